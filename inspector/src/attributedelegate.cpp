// SPDX-License-Identifier: MIT
#include "attributedelegate.h"

#include "attributemodel.h"
#include "valuevalidators.h"

#include <objectsync/change.h>

#include <QLineEdit>
#include <QPalette>

namespace objectsync {

namespace {
const char *const validityProperty = "objectsyncValid";

void showValidity(QLineEdit *editor, const TopicValueValidator *validator)
{
    const QString why = validator ? validator->explain(editor->text()) : QString();
    if (editor->toolTip() == why && editor->property(validityProperty).isValid())
        return;
    editor->setProperty(validityProperty, why.isEmpty());
    QPalette palette = editor->parentWidget() ? editor->parentWidget()->palette() : QPalette();
    if (!why.isEmpty())
        palette.setColor(QPalette::Base, QColor(255, 221, 221));
    editor->setPalette(palette);
    editor->setToolTip(why);
}
} // namespace

QWidget *AttributeDelegate::createEditor(QWidget *parent, const QStyleOptionViewItem &,
                                         const QModelIndex &index) const
{
    const int typeValue = index.data(AttributeModel::TopicTypeRole).toInt();
    if (typeValue < 0 || typeValue == int(TopicType::Event))
        return nullptr;
    const auto type = static_cast<TopicType>(typeValue);
    auto *editor = new QLineEdit(parent);
    editor->setObjectName(QStringLiteral("attributeEditor"));
    editor->setFrame(false);
    if (type != TopicType::String) {
        auto *validator = new TopicValueValidator(type, editor);
        editor->setValidator(validator);
        connect(editor, &QLineEdit::textEdited, this, [this, editor, validator] {
            showValidity(editor, validator);
            const QString why = validator->explain(editor->text());
            if (!why.isEmpty())
                emit invalidInput(why);
        });
    }
    return editor;
}

void AttributeDelegate::setEditorData(QWidget *editor, const QModelIndex &index) const
{
    auto *line = qobject_cast<QLineEdit *>(editor);
    if (!line) {
        QStyledItemDelegate::setEditorData(editor, index);
        return;
    }
    // Keep what the user typed; follow the live value until then.
    if (line->isModified())
        return;
    const QString text = index.data(Qt::EditRole).toString();
    if (line->text() != text) {
        const int cursor = line->cursorPosition();
        line->setText(text);
        line->setCursorPosition(qMin(cursor, int(text.size())));
    }
    showValidity(line, qobject_cast<const TopicValueValidator *>(line->validator()));
}

void AttributeDelegate::setModelData(QWidget *editor, QAbstractItemModel *model,
                                     const QModelIndex &index) const
{
    auto *line = qobject_cast<QLineEdit *>(editor);
    if (!line) {
        QStyledItemDelegate::setModelData(editor, model, index);
        return;
    }
    if (const auto *validator = qobject_cast<const TopicValueValidator *>(line->validator())) {
        const QString why = validator->explain(line->text());
        if (!why.isEmpty()) {
            emit invalidInput(why);
            return;
        }
    }
    if (model->setData(index, line->text(), Qt::EditRole))
        line->setModified(false);
}

} // namespace objectsync
