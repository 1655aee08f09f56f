// SPDX-License-Identifier: MIT
#include "objectfilterproxy.h"

#include "jsontext.h"
#include "objecttreemodel.h"

#include <objectsync/engine.h>
#include <objectsync/sobject.h>

namespace objectsync {

ObjectFilterProxy::ObjectFilterProxy(Engine *engine, QObject *parent)
    : QSortFilterProxyModel(parent), m_engine(engine)
{
    setRecursiveFilteringEnabled(true);
    setAutoAcceptChildRows(false);
    setDynamicSortFilter(true);
}

void ObjectFilterProxy::setFilterText(const QString &text)
{
    if (text == m_text)
        return;
    m_text = text;
    QString needle = text.trimmed();
    Field field = Field::Any;
    static const std::pair<QLatin1String, Field> prefixes[] = {
        {QLatin1String("id:"), Field::Id},
        {QLatin1String("type:"), Field::Type},
        {QLatin1String("value:"), Field::Value},
    };
    for (const auto &[prefix, f] : prefixes) {
        if (needle.startsWith(prefix, Qt::CaseInsensitive)) {
            field = f;
            needle = needle.mid(prefix.size()).trimmed();
            break;
        }
    }
    m_needle = needle;
    m_field = field;
    invalidateFilter();
}

bool ObjectFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (m_needle.isEmpty())
        return true;
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    const QString id = index.data(ObjectTreeModel::ObjectIdRole).toString();
    if ((m_field == Field::Any || m_field == Field::Id) &&
        id.contains(m_needle, Qt::CaseInsensitive))
        return true;
    if ((m_field == Field::Any || m_field == Field::Type) &&
        index.data(ObjectTreeModel::TypeNameRole)
            .toString()
            .contains(m_needle, Qt::CaseInsensitive))
        return true;
    if (m_field == Field::Any || m_field == Field::Value)
        return valueMatches(id);
    return false;
}

bool ObjectFilterProxy::valueMatches(const QString &id) const
{
    const SObject *o = m_engine ? m_engine->object(id) : nullptr;
    if (!o)
        return false;
    const QStringList names = o->attributeNames();
    for (const QString &name : names) {
        const Topic *t = o->attribute(name);
        if (t && t->type() != TopicType::Event &&
            jsontext::toText(t->type(), t->value()).contains(m_needle, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

} // namespace objectsync
