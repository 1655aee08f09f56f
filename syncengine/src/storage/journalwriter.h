// SPDX-License-Identifier: MIT
#pragma once

#include "bytebuffer.h"
#include "latencyhistogram.h"

#include <objectsync/result.h>

#include <QJsonObject>
#include <QList>
#include <QString>
#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
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
 * Batches queued while it is busy are merged into its next commit.
 *
 * Everything goes through handOver(), called on the engine's thread: it queues a batch,
 * takes back the batches written so far (that thread frees or reuses their memory: memory
 * handed back across threads is slow to reuse) and reads how far the journal is durable.
 * While that thread says it will come back soon (it is busy committing), the writer leaves
 * it alone; otherwise the writer calls durable() on the thread of \a context after its next
 * commit, once until handOver() is called again, so that it never floods that thread.
 */
class JournalWriter
{
public:
    using DurableFn = std::function<void()>;
    using FailedFn = std::function<void(const QString &message)>;

    /*! \a commitLatency, when given, records how long each commit takes. */
    JournalWriter(const QString &path, bool fullSync, QObject *context, DurableFn durable,
                  FailedFn failed, std::shared_ptr<LatencyHistogram> commitLatency = {});
    ~JournalWriter();
    JournalWriter(const JournalWriter &) = delete;
    JournalWriter &operator=(const JournalWriter &) = delete;

    /*! Starts the thread and opens the connection; an Io error when that fails. */
    Result<void> start();
    struct Handover
    {
        quint64 ticket = 0;    //!< of the batch queued, for waitFor(); 0 when it was empty
        quint64 committed = 0; //!< the highest engine sequence committed so far
    };
    /*! Queues \a batch unless it is empty and moves the batches written so far into \a written
     *  (which must be empty). \a polling: the caller will call again soon, so the writer
     *  need not call durable() until it does. */
    Handover handOver(WriteBatch &&batch, std::vector<WriteBatch> &written, bool polling);
    /*! Blocks until the batch with \a ticket (and every earlier one) is committed. An Io
     *  error when writing has failed. */
    Result<void> waitFor(quint64 ticket);
    /*! Writes what is queued, closes the connection and ends the thread. */
    void stop();

private:
    void run();
    /*! Waits a few microseconds for a batch before the writer goes to sleep. */
    void awaitBriefly() const;

    QString m_path;
    bool m_fullSync;
    QObject *m_context;
    DurableFn m_onDurable;
    FailedFn m_onFailed;
    std::shared_ptr<LatencyHistogram> m_commitLatency;
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
    std::atomic<int> m_queued{0}; //!< m_queue is not empty (read without the lock)
    bool m_polling = false;       //!< the engine's thread will call handOver() again soon
    bool m_notified = false;      //!< durable() is on its way, handOver() not called since
    bool m_started = false;
    bool m_failed = false;
    bool m_finished = false;
    QString m_error;
};

} // namespace objectsync::storage
