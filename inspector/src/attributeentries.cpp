// SPDX-License-Identifier: MIT
// The entry rows of dict and list attributes in AttributeModel: one child row per key or
// position, edited, added and removed one change at a time.
#include "attributemodel.h"

#include "jsontext.h"

#include <objectsync/engine.h>

#include <QFont>

namespace objectsync {

namespace {
constexpr qsizetype entryDisplayWidth = 1000;

/*! The value of entry \a key (a dict key, or a list position as text) of \a topic. */
QJsonValue entryValue(const Topic *topic, const QString &key, int row)
{
    if (topic->type() == TopicType::Dict)
        return static_cast<const DictTopic *>(topic)->value(key);
    const auto *list = static_cast<const ListTopic *>(topic);
    return row < list->size() ? list->at(row) : QJsonValue(QJsonValue::Undefined);
}
} // namespace

QModelIndex AttributeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    return createIndex(row, column, parent.isValid() ? quintptr(parent.row() + 1) : quintptr(0));
}

QModelIndex AttributeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == 0)
        return {};
    return createIndex(int(child.internalId() - 1), 0, quintptr(0));
}

QStringList AttributeModel::currentEntries(int row) const
{
    const Topic *t = topicAt(row);
    if (!t)
        return {};
    if (t->type() == TopicType::Dict)
        return static_cast<const DictTopic *>(t)->keys();
    if (t->type() != TopicType::List)
        return {};
    QStringList positions;
    const qsizetype n = static_cast<const ListTopic *>(t)->size();
    positions.reserve(n);
    for (qsizetype i = 0; i < n; ++i)
        positions.append(QString::number(i));
    return positions;
}

void AttributeModel::updateEntries(int row)
{
    const QStringList now = currentEntries(row);
    QStringList &old = m_entries[row];
    const QModelIndex parent = index(row, 0);
    qsizetype same = 0;
    while (same < old.size() && same < now.size() && old.at(same) == now.at(same))
        ++same;
    if (same > 0)
        emit dataChanged(index(0, 0, parent), index(int(same) - 1, ColumnCount - 1, parent));
    if (old.size() > same) {
        beginRemoveRows(parent, int(same), int(old.size()) - 1);
        old.resize(same);
        endRemoveRows();
    }
    if (now.size() > same) {
        beginInsertRows(parent, int(same), int(now.size()) - 1);
        old = now;
        endInsertRows();
    }
}

QVariant AttributeModel::entryData(const QModelIndex &index, int role) const
{
    const int parentRow = int(index.internalId() - 1);
    if (parentRow >= m_entries.size() || index.row() >= m_entries.at(parentRow).size())
        return {};
    const QString &key = m_entries.at(parentRow).at(index.row());
    const Topic *t = topicAt(parentRow);
    const QJsonValue v = t ? entryValue(t, key, index.row()) : QJsonValue(QJsonValue::Undefined);
    switch (role) {
    case Qt::DisplayRole:
        if (index.column() == NameColumn)
            return t && t->type() == TopicType::List ? QStringLiteral("[%1]").arg(key) : key;
        if (index.column() == ValueColumn && !v.isUndefined())
            return jsontext::elided(jsontext::compact(v), entryDisplayWidth);
        return {};
    case Qt::EditRole:
        return index.column() == ValueColumn && !v.isUndefined() ? jsontext::compact(v)
                                                                 : data(index, Qt::DisplayRole);
    case Qt::FontRole:
        if (index.column() == ValueColumn) {
            QFont f;
            f.setFamily(QStringLiteral("monospace"));
            f.setStyleHint(QFont::Monospace);
            return f;
        }
        return {};
    case TopicTypeRole:
        return int(TopicType::Generic); // any JSON value
    case TopicNameRole:
        return t ? t->name() : QString();
    case JsonValueRole:
        return QVariant::fromValue(v);
    case EntryRole:
        return true;
    default:
        return {};
    }
}

bool AttributeModel::edit(const QString &what, const std::function<void()> &fn)
{
    const QString error =
        m_engine ? m_engine->tryTransition(fn).errorMessage() : tr("there is no engine");
    if (error.isEmpty())
        return true;
    emit editRefused(tr("%1: %2").arg(what, error));
    return false;
}

bool AttributeModel::setEntryData(const QModelIndex &index, const QString &text)
{
    const int parentRow = int(index.internalId() - 1);
    if (parentRow >= m_entries.size() || index.row() >= m_entries.at(parentRow).size())
        return false;
    const QString key = m_entries.at(parentRow).at(index.row());
    const QString what = m_names.value(parentRow) + QLatin1Char('/') + key;
    Topic *t = topicAt(parentRow);
    if (!t) {
        emit editRefused(tr("%1: the attribute no longer exists").arg(what));
        return false;
    }
    const Result<QJsonValue> parsed = jsontext::fromText(TopicType::Generic, text);
    if (!parsed) {
        emit editRefused(tr("%1: %2").arg(what, parsed.errorMessage()));
        return false;
    }
    if (entryValue(t, key, index.row()) == *parsed)
        return true; // nothing to change, nothing to record
    if (t->type() == TopicType::Dict)
        return edit(what, [&] { static_cast<DictTopic *>(t)->changeValue(key, *parsed); });
    return edit(what, [&] {
        auto *list = static_cast<ListTopic *>(t);
        list->pop(index.row());
        list->insert(index.row(), *parsed);
    });
}

bool AttributeModel::addEntry(const QModelIndex &attribute, const QString &key,
                              const QString &valueText)
{
    if (!attribute.isValid() || attribute.internalId() != 0)
        return false;
    const QString name = m_names.value(attribute.row());
    Topic *t = topicAt(attribute.row());
    if (!t || (t->type() != TopicType::Dict && t->type() != TopicType::List)) {
        emit editRefused(tr("%1: only dicts and lists have entries").arg(name));
        return false;
    }
    const Result<QJsonValue> parsed = jsontext::fromText(TopicType::Generic, valueText);
    if (!parsed) {
        emit editRefused(tr("%1: %2").arg(name, parsed.errorMessage()));
        return false;
    }
    if (t->type() == TopicType::Dict)
        return edit(name, [&] { static_cast<DictTopic *>(t)->add(key, *parsed); });
    return edit(name, [&] { static_cast<ListTopic *>(t)->append(*parsed); });
}

bool AttributeModel::removeEntry(const QModelIndex &entry)
{
    if (!entry.isValid() || entry.internalId() == 0)
        return false;
    const int parentRow = int(entry.internalId() - 1);
    if (parentRow >= m_entries.size() || entry.row() >= m_entries.at(parentRow).size())
        return false;
    const QString key = m_entries.at(parentRow).at(entry.row());
    Topic *t = topicAt(parentRow);
    if (!t)
        return false;
    const QString what = m_names.value(parentRow) + QLatin1Char('/') + key;
    if (t->type() == TopicType::Dict)
        return edit(what, [&] { static_cast<DictTopic *>(t)->pop(key); });
    return edit(what, [&] { static_cast<ListTopic *>(t)->pop(entry.row()); });
}

} // namespace objectsync
