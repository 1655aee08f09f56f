// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/transition.h>

#include <QAbstractTableModel>
#include <QPointer>
#include <QTime>
#include <QTimer>
#include <deque>

namespace objectsync {

class Engine;

/*!
 * The latest committed transitions, oldest first: sequence, time, origin, action id, kind,
 * number of changes and a summary (the tool tip lists the changes).
 *
 * The log is bounded: beyond capacity() the oldest rows go (a tenth of the capacity at a
 * time, so each transition does not shift the whole list). New transitions are collected
 * and appended together at most every updateInterval() milliseconds (100 by default; 0
 * appends once per event-loop turn): nobody reads a thousand rows a second one by one,
 * and repainting the log for each of them would cost more than everything else the
 * inspector does. While paused, rows stay as they are and new transitions are held back
 * (at most capacity() of them); resuming appends them.
 */
class TransitionLogModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        SequenceColumn,
        TimeColumn,
        OriginColumn,
        ActionColumn,
        KindColumn,
        ChangesColumn,
        SummaryColumn,
        ColumnCount
    };
    enum Role { SequenceRole = Qt::UserRole + 1, OriginRole, KindRole };

    explicit TransitionLogModel(Engine *engine, QObject *parent = nullptr);

    /*! Logs the transitions of \a engine (none when null) instead; the log starts empty. */
    void setEngine(Engine *engine);

    int updateInterval() const { return m_flushTimer.interval(); }
    void setUpdateInterval(int milliseconds) { m_flushTimer.setInterval(qMax(0, milliseconds)); }
    int capacity() const { return m_capacity; }
    void setCapacity(int capacity);
    bool isPaused() const { return m_paused; }
    void setPaused(bool paused);
    /*! Transitions held back while paused. */
    int heldCount() const { return int(m_held.size()); }
    /*! Transitions that never made it into the log because it was full while paused. */
    qint64 droppedCount() const { return m_dropped; }
    void clear();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

public slots:
    /*! Appends the collected transitions now (normally run once per event-loop turn). */
    void flush();

signals:
    void heldCountChanged(int count);

private:
    struct Entry
    {
        quint64 sequence = 0;
        QTime time;
        int origin = 0;
        QString actionId;
        TransitionKind kind = TransitionKind::Forward;
        int changeCount = 0;
        QString summary;
        QString details;
    };
    void onTransitionCommitted(const TransitionPtr &transition);
    void append(std::deque<Entry> entries);

    QPointer<Engine> m_engine;
    std::deque<Entry> m_rows;
    std::deque<Entry> m_incoming;
    std::deque<Entry> m_held;
    int m_capacity = 2000;
    bool m_paused = false;
    QTimer m_flushTimer;
    qint64 m_dropped = 0;
};

} // namespace objectsync
