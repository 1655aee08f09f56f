// SPDX-License-Identifier: MIT
#include "transitionlogmodel.h"

#include "changesummary.h"

#include <objectsync/engine.h>

namespace objectsync {

TransitionLogModel::TransitionLogModel(Engine *engine, QObject *parent)
    : QAbstractTableModel(parent)
{
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(100);
    connect(&m_flushTimer, &QTimer::timeout, this, &TransitionLogModel::flush);
    setEngine(engine);
}

void TransitionLogModel::setEngine(Engine *engine)
{
    if (engine == m_engine)
        return;
    if (m_engine)
        disconnect(m_engine, nullptr, this, nullptr);
    m_engine = engine;
    m_flushTimer.stop();
    m_incoming.clear();
    clear();
    if (engine)
        connect(engine, &Engine::transitionCommitted, this,
                &TransitionLogModel::onTransitionCommitted);
}

void TransitionLogModel::onTransitionCommitted(const TransitionPtr &transition)
{
    Entry e;
    e.sequence = transition->sequence;
    e.time = QTime::currentTime();
    e.origin = transition->origin;
    e.actionId = transition->actionId;
    e.kind = transition->kind;
    e.changeCount = int(transition->changes.size());
    e.summary = changesummary::summarize(*transition);
    e.details = changesummary::details(*transition);
    m_incoming.push_back(std::move(e));
    // Never keep more than the log could show.
    if (int(m_incoming.size()) > m_capacity) {
        m_incoming.pop_front();
        ++m_dropped;
    }
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void TransitionLogModel::flush()
{
    m_flushTimer.stop();
    if (m_incoming.empty())
        return;
    std::deque<Entry> entries = std::exchange(m_incoming, {});
    if (m_paused) {
        for (Entry &e : entries)
            m_held.push_back(std::move(e));
        while (int(m_held.size()) > m_capacity) {
            m_held.pop_front();
            ++m_dropped;
        }
        emit heldCountChanged(heldCount());
        return;
    }
    append(std::move(entries));
}

void TransitionLogModel::append(std::deque<Entry> entries)
{
    while (int(entries.size()) > m_capacity) {
        entries.pop_front();
        ++m_dropped;
    }
    if (entries.empty())
        return;
    // Trim the oldest rows a tenth of the capacity at a time, not on every turn.
    const int total = int(m_rows.size() + entries.size());
    if (total > m_capacity) {
        const int slack = qMax(1, m_capacity / 10);
        const int remove = qMin(int(m_rows.size()), qMax(total - m_capacity, slack));
        if (remove > 0) {
            beginRemoveRows(QModelIndex(), 0, remove - 1);
            m_rows.erase(m_rows.begin(), m_rows.begin() + remove);
            endRemoveRows();
        }
    }
    const int first = int(m_rows.size());
    beginInsertRows(QModelIndex(), first, first + int(entries.size()) - 1);
    for (Entry &e : entries)
        m_rows.push_back(std::move(e));
    endInsertRows();
}

void TransitionLogModel::setCapacity(int capacity)
{
    m_capacity = qMax(1, capacity);
    if (int(m_rows.size()) > m_capacity) {
        beginRemoveRows(QModelIndex(), 0, int(m_rows.size()) - m_capacity - 1);
        m_rows.erase(m_rows.begin(), m_rows.end() - m_capacity);
        endRemoveRows();
    }
}

void TransitionLogModel::setPaused(bool paused)
{
    if (paused == m_paused)
        return;
    flush(); // what arrived before the switch belongs to the old state
    m_paused = paused;
    if (!paused && !m_held.empty()) {
        append(std::exchange(m_held, {}));
        emit heldCountChanged(0);
    }
}

void TransitionLogModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_held.clear();
    endResetModel();
    emit heldCountChanged(0);
}

int TransitionLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int TransitionLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TransitionLogModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_rows.size()))
        return {};
    const Entry &e = m_rows[size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case SequenceColumn:
            return e.sequence;
        case TimeColumn:
            return e.time.toString(QStringLiteral("HH:mm:ss.zzz"));
        case OriginColumn:
            return changesummary::originText(e.origin);
        case ActionColumn:
            return e.actionId;
        case KindColumn:
            return changesummary::kindText(e.kind);
        case ChangesColumn:
            return e.changeCount;
        case SummaryColumn:
            return e.summary;
        }
        return {};
    case Qt::ToolTipRole:
        return e.details;
    case Qt::TextAlignmentRole:
        if (index.column() == SequenceColumn || index.column() == ChangesColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case SequenceRole:
        return e.sequence;
    case OriginRole:
        return e.origin;
    case KindRole:
        return int(e.kind);
    default:
        return {};
    }
}

QVariant TransitionLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case SequenceColumn:
        return tr("#");
    case TimeColumn:
        return tr("Time");
    case OriginColumn:
        return tr("Origin");
    case ActionColumn:
        return tr("Action id");
    case KindColumn:
        return tr("Kind");
    case ChangesColumn:
        return tr("Changes");
    case SummaryColumn:
        return tr("Summary");
    default:
        return {};
    }
}

} // namespace objectsync
