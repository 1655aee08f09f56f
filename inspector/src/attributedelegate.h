// SPDX-License-Identifier: MIT
#pragma once

#include <QStyledItemDelegate>

namespace objectsync {

/*!
 * Editors for attribute values, chosen by the topic type: plain text for strings, a line
 * edit that only takes 64-bit whole numbers for ints, finite numbers for floats, and JSON
 * (checked while typing: an object for a dict, an array for a list, an array without
 * duplicates for a set, anything for a generic topic).
 *
 * Text that does not fit cannot be committed: the editor turns red, its tool tip and
 * invalidInput() say why. An editor the user has not typed in follows the live value; once
 * the user types, a change arriving from elsewhere no longer overwrites the text.
 */
class AttributeDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &option,
                          const QModelIndex &index) const override;
    void setEditorData(QWidget *editor, const QModelIndex &index) const override;
    void setModelData(QWidget *editor, QAbstractItemModel *model,
                      const QModelIndex &index) const override;

signals:
    /*! The editor holds text that cannot become a value; \a reason says why. */
    void invalidInput(const QString &reason) const;
};

} // namespace objectsync
