// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/transition.h>

#include <QJsonObject>
#include <QList>
#include <QString>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

class QObject;

namespace objectsync::storage {

/*! A committed transition waiting to be written as journal row \a journalSequence. */
struct RowJob
{
    quint64 journalSequence = 0;
    quint64 engineSequence = 0;
    TransitionPtr transition;
};

/*! A snapshot taken when the journal stood at \a journalSequence. */
struct SnapshotJob
{
    quint64 journalSequence = 0;
    quint64 engineSequence = 0;
    QJsonObject data;
};

/*! Everything collected during one event-loop turn; written in one SQLite commit. */
struct WriteBatch
{
    std::vector<RowJob> rows;
    std::optional<SnapshotJob> snapshot;
    QList<std::pair<QString, QJsonValue>> values;
    bool isEmpty() const { return rows.empty() && !snapshot && values.isEmpty(); }
};

/*!
 * Writes journal rows, snapshots and values on a thread of its own, with its own SQLite
 * connection, so that encoding and the disk's flushes never hold up the event loop.
 * Batches queued while it is busy are merged into its next commit. After each commit it
 * reports, on the thread of \a context, the highest engine sequence that is now durable.
 */
class JournalWriter
{
public:
    using DurableFn = std::function<void(quint64 engineSequence)>;
    using FailedFn = std::function<void(const QString &message)>;

    JournalWriter(const QString &path, bool fullSync, QObject *context, DurableFn durable,
                  FailedFn failed);
    ~JournalWriter();
    JournalWriter(const JournalWriter &) = delete;
    JournalWriter &operator=(const JournalWriter &) = delete;

    /*! Starts the thread and opens the connection; false with \a error when that fails. */
    bool start(QString *error);
    /*! Queues a batch; returns its ticket for waitFor(). */
    quint64 submit(WriteBatch batch);
    /*! Blocks until the batch with \a ticket (and every earlier one) is committed. False
     *  with \a error when writing has failed. */
    bool waitFor(quint64 ticket, QString *error);
    /*! Frees the batches written so far; called on the thread that submitted them. */
    void releaseWritten();
    /*! The highest engine sequence committed so far. */
    quint64 committedEngineSequence() const;
    /*! Writes what is queued, closes the connection and ends the thread. */
    void stop();

private:
    void run();

    QString m_path;
    bool m_fullSync;
    QObject *m_context;
    DurableFn m_onDurable;
    FailedFn m_onFailed;
    std::thread m_thread;

    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::condition_variable m_done;
    std::deque<std::pair<quint64, WriteBatch>> m_queue;
    std::vector<WriteBatch> m_written;
    quint64 m_nextTicket = 0;
    quint64 m_doneTicket = 0;
    quint64 m_committed = 0;
    bool m_stopping = false;
    bool m_idle = false;
    bool m_started = false;
    bool m_failed = false;
    bool m_finished = false;
    QString m_error;
};

} // namespace objectsync::storage
