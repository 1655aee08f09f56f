// SPDX-License-Identifier: MIT
#include "topicmodel.h"

#include "jsontext.h"
#include "topicedit.h"
#include "topicnames.h"

#include <QBrush>
#include <QFont>
#include <QPalette>
#include <QTimer>
#include <algorithm>

namespace objectsync {

namespace {
constexpr qsizetype displayWidth = 1000; //!< longest value text a cell shows
constexpr qsizetype toolTipWidth = 4000;
constexpr qsizetype manyTopics = 64;
constexpr qsizetype summaryOver = 200; //!< collections larger than this show their size only

/*! A short text in place of a large value (building its JSON would cost too much for a
 *  cell); empty when the value is small enough to show. */
QString summary(const Engine *engine, const Topic *t)
{
    if (t->name() == topicnames::topicList) // the engine builds its value on every call
        return TopicModel::tr("(%n topic(s))", nullptr, int(engine->topicCount()));
    qsizetype n = 0;
    switch (t->type()) {
    case TopicType::Dict:
        n = static_cast<const DictTopic *>(t)->size();
        break;
    case TopicType::List:
        n = static_cast<const ListTopic *>(t)->size();
        break;
    case TopicType::Set:
        n = static_cast<const SetTopic *>(t)->size();
        break;
    default:
        return {};
    }
    return n > summaryOver ? TopicModel::tr("(%n entries)", nullptr, int(n)) : QString();
}
} // namespace

TopicModel::TopicModel(Engine *engine, QObject *parent)
    : QAbstractTableModel(parent), m_engine(engine)
{
    attach();
    reload();
}

void TopicModel::attach()
{
    if (!m_engine)
        return;
    connect(m_engine, &Engine::transitionCommitted, this, &TopicModel::onTransitionCommitted);
    connect(m_engine, &QObject::destroyed, this, [this] { setEngine(nullptr); });
}

void TopicModel::setEngine(Engine *engine)
{
    if (engine == m_engine && engine)
        return;
    if (m_engine)
        disconnect(m_engine, nullptr, this, nullptr);
    m_engine = engine;
    m_lastChange.clear();
    attach();
    reload();
}

void TopicModel::reload()
{
    beginResetModel();
    m_names = m_engine ? m_engine->topicNames() : QStringList();
    std::sort(m_names.begin(), m_names.end());
    m_listChanges.clear();
    m_dirty.clear();
    m_reloadPending = false;
    endResetModel();
}

void TopicModel::setSubscriberCounts(const QHash<QString, int> &counts)
{
    if (counts == m_subscribers)
        return;
    m_subscribers = counts;
    if (!m_names.isEmpty())
        emit dataChanged(index(0, SubscribersColumn),
                         index(int(m_names.size()) - 1, SubscribersColumn));
}

int TopicModel::rowOf(const QString &name) const
{
    const auto it = std::lower_bound(m_names.cbegin(), m_names.cend(), name);
    return it != m_names.cend() && *it == name ? int(it - m_names.cbegin()) : -1;
}

void TopicModel::onTransitionCommitted(const TransitionPtr &transition)
{
    const QDateTime now = QDateTime::currentDateTime();
    for (const Change &c : transition->changes) {
        if (c.topicName == topicnames::topicList) {
            if (c.type == ChangeType::Add)
                m_listChanges.append({c.key, true});
            else if (c.type == ChangeType::Pop)
                m_listChanges.append({c.key, false});
            else if (c.type == ChangeType::Set)
                m_reloadPending = true;
        }
        m_lastChange.insert(c.topicName, now);
        m_dirty.insert(c.topicName);
    }
    if (m_scheduled || transition->changes.isEmpty())
        return;
    m_scheduled = true;
    QMetaObject::invokeMethod(this, &TopicModel::flush, Qt::QueuedConnection);
}

void TopicModel::insertName(const QString &name)
{
    const auto it = std::lower_bound(m_names.cbegin(), m_names.cend(), name);
    if (it != m_names.cend() && *it == name)
        return;
    const int row = int(it - m_names.cbegin());
    beginInsertRows(QModelIndex(), row, row);
    m_names.insert(row, name);
    endInsertRows();
}

void TopicModel::removeName(const QString &name)
{
    const int row = rowOf(name);
    if (row < 0)
        return;
    beginRemoveRows(QModelIndex(), row, row);
    m_names.removeAt(row);
    endRemoveRows();
    m_lastChange.remove(name);
}

void TopicModel::applyManyListChanges()
{
    // The names that exist now, merged into the sorted list: no sort of the whole list.
    QStringList added;
    QSet<QString> gone;
    for (const ListChange &c : std::exchange(m_listChanges, {})) {
        if (c.added && m_engine && m_engine->topic(c.name))
            added.append(c.name);
        else if (!c.added)
            gone.insert(c.name);
    }
    std::sort(added.begin(), added.end());
    added.erase(std::unique(added.begin(), added.end()), added.end());
    beginResetModel();
    QStringList merged;
    merged.reserve(m_names.size() + added.size());
    auto a = added.cbegin();
    for (const QString &name : std::as_const(m_names)) {
        for (; a != added.cend() && *a < name; ++a)
            merged.append(*a);
        if (a != added.cend() && *a == name)
            ++a;
        if (!gone.contains(name) || (m_engine && m_engine->topic(name)))
            merged.append(name);
    }
    for (; a != added.cend(); ++a)
        merged.append(*a);
    m_names = std::move(merged);
    endResetModel();
}

void TopicModel::flush()
{
    m_scheduled = false;
    if (m_engine && m_engine->inTransition()) {
        m_scheduled = true;
        QTimer::singleShot(10, this, &TopicModel::flush);
        return;
    }
    // Many topics at once (a large subtree created or destroyed): reading the list again
    // costs less than announcing the rows one by one.
    if (m_reloadPending) {
        reload();
        return;
    }
    if (m_listChanges.size() > manyTopics)
        applyManyListChanges();
    for (const ListChange &c : std::exchange(m_listChanges, {})) {
        if (c.added)
            insertName(c.name);
        else
            removeName(c.name);
    }
    // A safety net: the list applied in order must hold every topic the engine has.
    if (m_engine && m_names.size() != m_engine->topicCount()) {
        reload();
        return;
    }
    for (const QString &name : std::exchange(m_dirty, {})) {
        if (const int row = rowOf(name); row >= 0)
            emit dataChanged(index(row, ValueColumn), index(row, LastChangeColumn));
    }
}

Topic *TopicModel::topicAt(int row) const
{
    if (!m_engine || row < 0 || row >= m_names.size())
        return nullptr;
    return m_engine->topic(m_names.at(row));
}

int TopicModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_names.size());
}

int TopicModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TopicModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_names.size())
        return {};
    const QString &name = m_names.at(index.row());
    const Topic *t = topicAt(index.row());
    const bool hasValue = t && t->type() != TopicType::Event;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn:
            return name;
        case TypeColumn:
            if (!t)
                return {};
            if (t->isSystem())
                return tr("%1 (system)").arg(topicTypeName(t->type()));
            return t->isReference() ? tr("%1 (object ids)").arg(topicTypeName(t->type()))
                                    : topicTypeName(t->type());
        case ValueColumn: {
            if (!hasValue)
                return {};
            const QString brief = summary(m_engine, t);
            return brief.isEmpty()
                       ? jsontext::elided(jsontext::toText(t->type(), t->value()), displayWidth)
                       : brief;
        }
        case SubscribersColumn:
            return m_subscribers.value(name);
        case LastChangeColumn: {
            const QDateTime when = m_lastChange.value(name);
            return when.isValid() ? when.toString(QStringLiteral("HH:mm:ss.zzz")) : QVariant();
        }
        }
        return {};
    case Qt::EditRole:
        if (index.column() != ValueColumn)
            return data(index, Qt::DisplayRole);
        return hasValue ? jsontext::toText(t->type(), t->value()) : QString();
    case Qt::ToolTipRole:
        if (index.column() == ValueColumn && hasValue) {
            const QString brief = summary(m_engine, t);
            return brief.isEmpty() ? jsontext::elided(jsontext::indented(t->value()), toolTipWidth)
                                   : brief;
        }
        if (index.column() == LastChangeColumn && m_lastChange.contains(name))
            return m_lastChange.value(name).toString(Qt::ISODateWithMs);
        if (t && t->isSystem())
            return tr("%1: the engine's own topic, read-only").arg(name);
        return name;
    case Qt::ForegroundRole:
        if (t && t->isSystem())
            return QPalette().brush(QPalette::Disabled, QPalette::Text);
        return {};
    case Qt::FontRole:
        if (index.column() == ValueColumn && hasValue && t->type() != TopicType::String) {
            QFont f;
            f.setFamily(QStringLiteral("monospace"));
            f.setStyleHint(QFont::Monospace);
            return f;
        }
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == SubscribersColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case TopicTypeRole:
        return t ? int(t->type()) : -1;
    case TopicNameRole:
        return name;
    case JsonValueRole:
        return t ? QVariant::fromValue(t->value()) : QVariant();
    case SystemRole:
        return t && t->isSystem();
    default:
        return {};
    }
}

Qt::ItemFlags TopicModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (index.column() == ValueColumn) {
        const Topic *t = topicAt(index.row());
        if (t && !t->isSystem() && t->type() != TopicType::Event)
            f |= Qt::ItemIsEditable;
    }
    return f;
}

bool TopicModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!index.isValid() || index.column() != ValueColumn || role != Qt::EditRole)
        return false;
    const QString name = m_names.value(index.row());
    Topic *t = topicAt(index.row());
    if (!t) {
        emit editRefused(tr("%1: the topic no longer exists").arg(name));
        return false;
    }
    if (t->isSystem()) {
        emit editRefused(tr("%1: the engine's own topics are read-only").arg(name));
        return false;
    }
    const QString error = topicedit::setText(m_engine, t, value.toString());
    if (!error.isEmpty()) {
        emit editRefused(tr("%1: %2").arg(name, error));
        return false;
    }
    emit dataChanged(index, index);
    return true;
}

QVariant TopicModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Topic");
    case TypeColumn:
        return tr("Type");
    case ValueColumn:
        return tr("Value");
    case SubscribersColumn:
        return tr("Subscribers");
    case LastChangeColumn:
        return tr("Last change");
    default:
        return {};
    }
}

} // namespace objectsync
