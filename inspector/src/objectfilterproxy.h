// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/engine.h>

#include <QPointer>
#include <QSortFilterProxyModel>

namespace objectsync {

/*!
 * Filters the object tree by id, type or attribute value. An object that matches keeps its
 * ancestors visible (recursive filtering).
 *
 * The filter text is matched case-insensitively as a substring. A prefix narrows it:
 * "id:", "type:" or "value:" (any attribute's value, as the attribute panel shows it).
 * Without a prefix all three are searched.
 */
class ObjectFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    enum class Field : quint8 { Any, Id, Type, Value };

    explicit ObjectFilterProxy(Engine *engine, QObject *parent = nullptr);

    /*! Matches values in \a engine instead (set before the source model shows it). */
    void setEngine(Engine *engine) { m_engine = engine; }
    void setFilterText(const QString &text);
    QString filterText() const { return m_text; }
    bool isFiltering() const { return !m_needle.isEmpty(); }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    bool valueMatches(const QString &id) const;

    QPointer<Engine> m_engine;
    QString m_text;
    QString m_needle;
    Field m_field = Field::Any;
};

} // namespace objectsync
