// SPDX-License-Identifier: MIT
#include "attributemodel.h"

#include "jsontext.h"
#include "topicedit.h"
#include "topicnames.h"

#include <objectsync/engine.h>
#include <objectsync/error.h>
#include <objectsync/sobject.h>

#include <QFont>
#include <QTimer>

namespace objectsync {

namespace {
constexpr qsizetype displayWidth = 1000; //!< longest value text a cell shows
constexpr qsizetype toolTipWidth = 4000;

} // namespace

AttributeModel::AttributeModel(Engine *engine, QObject *parent)
    : QAbstractItemModel(parent), m_engine(engine)
{
    attach();
}

void AttributeModel::attach()
{
    if (!m_engine)
        return;
    connect(m_engine, &Engine::transitionCommitted, this, &AttributeModel::onTransitionCommitted);
    connect(m_engine, &QObject::destroyed, this, [this] { setObjectId(QString()); });
}

void AttributeModel::setEngine(Engine *engine)
{
    if (engine == m_engine)
        return;
    if (m_engine)
        disconnect(m_engine, nullptr, this, nullptr);
    m_engine = engine;
    attach();
    m_infoDirty = false;
    setObjectId(QString());
}

QStringList AttributeModel::currentNames() const
{
    const SObject *o = m_engine && !m_id.isEmpty() ? m_engine->object(m_id) : nullptr;
    return o ? o->attributeNames() : QStringList();
}

void AttributeModel::setObjectId(const QString &id)
{
    beginResetModel();
    m_id = id;
    m_prefix = id.isEmpty() ? QString() : topicnames::attributePrefixOf(id);
    m_names = currentNames();
    m_rowByTopic.clear();
    m_entries.clear();
    for (int i = 0; i < m_names.size(); ++i) {
        m_rowByTopic.insert(m_prefix + m_names.at(i), i);
        m_entries.append(currentEntries(i));
    }
    m_dirtyRows.clear();
    m_structureDirty = false;
    endResetModel();
    emit objectInfoChanged();
}

void AttributeModel::onTransitionCommitted(const TransitionPtr &transition)
{
    if (m_id.isEmpty())
        return;
    bool any = false;
    for (const Change &c : transition->changes) {
        if (const auto it = m_rowByTopic.constFind(c.topicName); it != m_rowByTopic.cend()) {
            m_dirtyRows.insert(it.value());
            any = true;
        } else if (c.topicName == topicnames::topicList) {
            if (c.key.startsWith(m_prefix)) {
                m_structureDirty = true;
                any = true;
            }
        } else if ((c.topicName == topicnames::objects && c.key == m_id) ||
                   c.topicName == topicnames::parentIdPrefix + m_id ||
                   c.topicName == topicnames::tagsPrefix + m_id) {
            m_structureDirty = c.topicName == topicnames::objects || m_structureDirty;
            m_infoDirty = true;
            any = true;
        }
    }
    if (any)
        schedule();
}

void AttributeModel::schedule()
{
    if (m_scheduled)
        return;
    m_scheduled = true;
    QMetaObject::invokeMethod(this, &AttributeModel::flush, Qt::QueuedConnection);
}

void AttributeModel::flush()
{
    m_scheduled = false;
    if (m_engine && m_engine->inTransition()) {
        m_scheduled = true;
        QTimer::singleShot(10, this, &AttributeModel::flush);
        return;
    }
    if (m_structureDirty) {
        m_structureDirty = false;
        if (currentNames() != m_names) {
            setObjectId(m_id); // attributes came or went (the object died or came back)
            m_infoDirty = false;
            return;
        }
        for (int i = 0; i < m_names.size(); ++i)
            m_dirtyRows.insert(i);
    }
    const QSet<int> rows = std::exchange(m_dirtyRows, {});
    for (int row : rows) {
        if (row < m_names.size()) {
            const QModelIndex cell = index(row, ValueColumn);
            emit dataChanged(cell, cell);
            updateEntries(row);
        }
    }
    if (std::exchange(m_infoDirty, false))
        emit objectInfoChanged();
}

Topic *AttributeModel::topicAt(int row) const
{
    if (!m_engine || row < 0 || row >= m_names.size())
        return nullptr;
    return m_engine->topic(m_prefix + m_names.at(row));
}

int AttributeModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_names.size());
    if (parent.internalId() != 0 || parent.column() != 0 || parent.row() >= m_entries.size())
        return 0;
    return int(m_entries.at(parent.row()).size());
}

int AttributeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant AttributeModel::data(const QModelIndex &index, int role) const
{
    if (index.isValid() && index.internalId() != 0)
        return entryData(index, role);
    if (!index.isValid() || index.row() >= m_names.size())
        return {};
    const Topic *t = topicAt(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn:
            return m_names.at(index.row());
        case TypeColumn:
            if (!t)
                return {};
            return t->isReference() ? tr("%1 (object ids)").arg(topicTypeName(t->type()))
                                    : topicTypeName(t->type());
        case ValueColumn:
            if (!t || t->type() == TopicType::Event)
                return {};
            return jsontext::elided(jsontext::toText(t->type(), t->value()), displayWidth);
        }
        return {};
    case Qt::EditRole:
        if (index.column() != ValueColumn)
            return data(index, Qt::DisplayRole);
        return t ? jsontext::toText(t->type(), t->value()) : QString();
    case Qt::ToolTipRole:
        if (!t)
            return {};
        if (index.column() == ValueColumn && t->type() != TopicType::Event)
            return jsontext::elided(jsontext::indented(t->value()), toolTipWidth);
        return t->name();
    case Qt::FontRole:
        if (index.column() == ValueColumn && t && t->type() != TopicType::String &&
            t->type() != TopicType::Event) {
            QFont f;
            f.setFamily(QStringLiteral("monospace"));
            f.setStyleHint(QFont::Monospace);
            return f;
        }
        return {};
    case TopicTypeRole:
        return t ? int(t->type()) : -1;
    case TopicNameRole:
        return t ? t->name() : QString();
    case JsonValueRole:
        return t ? QVariant::fromValue(t->value()) : QVariant();
    default:
        return {};
    }
}

Qt::ItemFlags AttributeModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (index.column() == ValueColumn) {
        const Topic *t = topicAt(index.internalId() ? int(index.internalId() - 1) : index.row());
        if (t && t->type() != TopicType::Event)
            f |= Qt::ItemIsEditable;
    }
    return f;
}

bool AttributeModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!index.isValid() || index.column() != ValueColumn || role != Qt::EditRole)
        return false;
    if (index.internalId() != 0)
        return setEntryData(index, value.toString());
    const QString name = index.row() < m_names.size() ? m_names.at(index.row()) : QString();
    Topic *t = topicAt(index.row());
    if (!t) {
        emit editRefused(tr("%1: the attribute no longer exists").arg(name));
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

QVariant AttributeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Attribute");
    case TypeColumn:
        return tr("Type");
    case ValueColumn:
        return tr("Value");
    default:
        return {};
    }
}

} // namespace objectsync
