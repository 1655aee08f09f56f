// SPDX-License-Identifier: MIT
#pragma once

#include "bytebuffer.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

class QObject;

namespace objectsync::storage {

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
    ByteBuffer transitions;     //!< encoded (journalcodec.h), back to back
    quint64 firstSequence = 0;  //!< the journal sequence of the first of them
    quint64 count = 0;          //!< how many there are
    quint64 engineSequence = 0; //!< the engine sequence of the last of them
    std::optional<SnapshotJob> snapshot;
    QList<std::pair<QString, QJsonValue>> values;
    bool isEmpty() const { return count == 0 && !snapshot && values.isEmpty(); }
    /*! Empties the batch and keeps the memory of its buffer. */
    void clear()
    {
        transitions.clear();
        firstSequence = count = engineSequence = 0;
        snapshot.reset();
        values.clear();
    }
};

/*!
 * Writes journal rows, snapshots and values on a thread of its own, with its own SQLite
 * connection, so that encoding and the disk's flushes never hold up the event loop.
 * Batches queued while it is busy are merged into its next commit. After a commit it tells
 * the thread of \a context (durable()) that collect() has news; it does not tell again
 * until collect() has been called, so that a busy writer does not flood that thread.
 *
 * Written batches go back to the submitting thread (submit(), collect()), which frees or
 * reuses their memory: memory handed back across threads is slow to reuse.
 */
class JournalWriter
{
public:
    using DurableFn = std::function<void()>;
    using FailedFn = std::function<void(const QString &message)>;

    JournalWriter(const QString &path, bool fullSync, QObject *context, DurableFn durable,
                  FailedFn failed);
    ~JournalWriter();
    JournalWriter(const JournalWriter &) = delete;
    JournalWriter &operator=(const JournalWriter &) = delete;

    /*! Starts the thread and opens the connection; false with \a error when that fails. */
    bool start(QString *error);
    /*! Queues a batch and returns its ticket for waitFor(); moves the batches written so far
     *  into \a written (which must be empty). */
    quint64 submit(WriteBatch &&batch, std::vector<WriteBatch> &written);
    /*! Blocks until the batch with \a ticket (and every earlier one) is committed. False
     *  with \a error when writing has failed. */
    bool waitFor(quint64 ticket, QString *error);
    /*! Returns the highest engine sequence committed so far and moves the batches written
     *  so far into \a written (which must be empty); the next commit calls durable() again. */
    quint64 collect(std::vector<WriteBatch> &written);
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
    std::vector<WriteBatch> m_queue;   //!< tickets m_doneTicket + 1 .. m_nextTicket
    std::vector<WriteBatch> m_written; //!< written, not yet collected
    quint64 m_nextTicket = 0;
    quint64 m_doneTicket = 0;
    quint64 m_committed = 0;
    bool m_stopping = false;
    bool m_idle = false;
    bool m_notified = false; //!< durable() is on its way and collect() not called since
    bool m_started = false;
    bool m_failed = false;
    bool m_finished = false;
    QString m_error;
};

} // namespace objectsync::storage
