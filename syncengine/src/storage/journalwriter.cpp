// SPDX-License-Identifier: MIT
#include "journalwriter.h"

#include "checksum.h"
#include "database.h"
#include "journalcodec.h"
#include "storage_p.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QMetaObject>
#include <QSqlError>
#include <QSqlQuery>
#include <algorithm>
#include <chrono>
#include <iterator>

#ifdef Q_OS_LINUX
#include <pthread.h>
#endif

namespace objectsync::storage {

namespace {
QString queryError(const QSqlQuery &q)
{
    const QSqlError e = q.lastError();
    return e.databaseText().isEmpty() ? e.text() : e.databaseText();
}

/*! The prepared statements of the writer's connection. */
class Writer
{
public:
    explicit Writer(QSqlDatabase &db) : m_db(db), m_row(db), m_previous(db), m_value(db) {}

    Result<void> prepare()
    {
        const std::pair<QSqlQuery *, QString> statements[] = {
            {&m_row, QStringLiteral("INSERT INTO journal (sequence, last_sequence, transitions, "
                                    "checksum) VALUES (?, ?, ?, ?)")},
            {&m_previous, QStringLiteral("SELECT MAX(sequence) FROM snapshots WHERE sequence < ?")},
            {&m_value,
             QStringLiteral("INSERT OR REPLACE INTO app_values (key, value) VALUES (?, ?)")},
        };
        for (const auto &[query, sql] : statements) {
            if (!query->prepare(sql))
                return fail(*query);
        }
        return {};
    }

    /*! Writes \a batches in one transaction; sets \a engineSequence to the highest engine
     *  sequence they make durable. Consecutive batches share one journal row; a snapshot
     *  ends the row, so that rows never straddle a snapshot. */
    Result<void> write(const std::vector<WriteBatch> &batches, quint64 *engineSequence)
    {
        if (!m_db.transaction())
            return Error(ErrorCode::Io, sqlError(m_db));
        if (Result<void> written = writeAll(batches, engineSequence); !written) {
            m_db.rollback();
            return written;
        }
        if (!m_db.commit()) {
            const Error error(ErrorCode::Io, sqlError(m_db));
            m_db.rollback();
            return error;
        }
        return {};
    }

private:
    static Error fail(const QSqlQuery &q) { return Error(ErrorCode::Io, queryError(q)); }

    Result<void> writeAll(const std::vector<WriteBatch> &batches, quint64 *engineSequence)
    {
        // A file of an older format is marked as the current one along with the first rows
        // written in it.
        if (!m_formatMarked) {
            if (Result<void> marked = markCurrentFormat(m_db); !marked)
                return marked;
            m_formatMarked = true;
        }
        m_first = 0;
        for (const WriteBatch &batch : batches) {
            if (batch.count > 0) {
                if (m_first == 0) {
                    m_first = batch.firstSequence;
                    m_payload.clear();
                    m_payload += rowTag;
                }
                m_payload += batch.transitions.view();
                m_last = batch.firstSequence + batch.count - 1;
                *engineSequence = qMax(*engineSequence, batch.engineSequence);
            }
            for (const auto &[key, value] : batch.values) {
                m_value.bindValue(0, key);
                m_value.bindValue(1,
                                  QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact));
                if (!m_value.exec())
                    return fail(m_value);
            }
            if (batch.snapshot) {
                if (Result<void> row = writeRow(); !row)
                    return row;
                if (Result<void> snapshot = writeSnapshot(*batch.snapshot, engineSequence);
                    !snapshot)
                    return snapshot;
            }
        }
        return writeRow();
    }

    Result<void> writeRow()
    {
        if (m_first == 0)
            return {};
        const QByteArray payload =
            QByteArray::fromRawData(m_payload.data(), qsizetype(m_payload.size()));
        m_row.bindValue(0, m_first);
        m_row.bindValue(1, m_last);
        m_row.bindValue(2, payload);
        m_row.bindValue(3, qint64(rowChecksum(m_first, m_last, payload)));
        m_first = 0;
        const bool ok = m_row.exec();
        m_row.bindValue(2, QVariant()); // drop the reference to the buffer
        if (!ok)
            return fail(m_row);
        return {};
    }

    Result<void> writeSnapshot(const SnapshotJob &s, quint64 *engineSequence)
    {
        if (Result<void> inserted = insertSnapshot(m_db, s.journalSequence, s.data); !inserted)
            return inserted;
        // Compaction keeps the previous snapshot and the rows after it, so that a damaged
        // newest snapshot still leaves a way back.
        m_previous.bindValue(0, s.journalSequence);
        if (!m_previous.exec())
            return fail(m_previous);
        const QVariant previous = m_previous.next() ? m_previous.value(0) : QVariant();
        m_previous.finish();
        if (!previous.isNull()) {
            QSqlQuery del(m_db);
            del.prepare(QStringLiteral("DELETE FROM journal WHERE last_sequence <= ?"));
            del.bindValue(0, previous);
            if (!del.exec())
                return fail(del);
            del.prepare(QStringLiteral("DELETE FROM snapshots WHERE sequence < ?"));
            del.bindValue(0, previous);
            if (!del.exec())
                return fail(del);
        }
        *engineSequence = qMax(*engineSequence, s.engineSequence);
        return {};
    }

    QSqlDatabase &m_db;
    ByteBuffer m_payload;
    quint64 m_first = 0;
    quint64 m_last = 0;
    bool m_formatMarked = false;
    QSqlQuery m_row;
    QSqlQuery m_previous;
    QSqlQuery m_value;
};
} // namespace

JournalWriter::JournalWriter(const QString &path, bool fullSync, QObject *context,
                             DurableFn durable, FailedFn failed,
                             std::shared_ptr<LatencyHistogram> commitLatency)
    : m_path(path), m_fullSync(fullSync), m_context(context), m_onDurable(std::move(durable)),
      m_onFailed(std::move(failed)), m_commitLatency(std::move(commitLatency))
{}

JournalWriter::~JournalWriter()
{
    stop();
}

Result<void> JournalWriter::start()
{
    m_thread = std::thread([this] { run(); });
    std::unique_lock lock(m_mutex);
    m_done.wait(lock, [this] { return m_started || m_failed; });
    if (!m_started) {
        const Error error(ErrorCode::Io, m_error);
        lock.unlock();
        m_thread.join();
        return error;
    }
    return {};
}

JournalWriter::Handover JournalWriter::handOver(WriteBatch &&batch,
                                                std::vector<WriteBatch> &written, bool polling)
{
    Handover h;
    std::lock_guard lock(m_mutex);
    if (!batch.isEmpty()) {
        m_queue.push_back(std::move(batch));
        m_queued.store(1, std::memory_order_relaxed);
        if (m_idle)
            m_wake.notify_one(); // a busy writer finds the batch when it looks again
        h.ticket = ++m_nextTicket;
    }
    written.swap(m_written);
    m_polling = polling;
    m_notified = false;
    h.committed = m_committed;
    return h;
}

Result<void> JournalWriter::waitFor(quint64 ticket)
{
    std::unique_lock lock(m_mutex);
    m_done.wait(lock, [&] { return m_doneTicket >= ticket || m_finished; });
    if (m_failed || m_doneTicket < ticket)
        return Error(ErrorCode::Io, m_error.isEmpty()
                                        ? QStringLiteral("the journal writer has stopped")
                                        : m_error);
    return {};
}

void JournalWriter::stop()
{
    if (!m_thread.joinable())
        return;
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
        m_wake.notify_one();
    }
    m_thread.join();
}

void JournalWriter::awaitBriefly() const
{
    // Before going to sleep, look for a batch for a few microseconds. When the engine's
    // thread commits turn after turn, the next batch usually arrives meanwhile and then needs
    // no wake-up, a system call that costs that thread about as much as a small transition.
    // When nothing comes, this costs the writer at most spinBudget per commit.
    constexpr auto spinBudget = std::chrono::microseconds(10);
    const auto until = std::chrono::steady_clock::now() + spinBudget;
    for (int i = 1; m_queued.load(std::memory_order_relaxed) == 0; ++i) {
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
#elif defined(__aarch64__)
        asm volatile("yield");
#endif
        if (i % 32 == 0 && std::chrono::steady_clock::now() >= until)
            return;
    }
}

void JournalWriter::run()
{
    // A thread of its own (not a QThread: joining a std::thread is a synchronization that
    // thread checkers see). Qt adopts it for the SQL connection.
#ifdef Q_OS_LINUX
    pthread_setname_np(pthread_self(), "objectsync-jrnl");
#endif
    Database database(m_path);
    Result<void> opened = database.open();
    if (opened)
        opened = configureConnection(database.db(), m_fullSync);
    if (!opened) {
        std::lock_guard lock(m_mutex);
        m_failed = true;
        m_finished = true;
        m_error = QStringLiteral("the journal cannot be opened for writing (%1)")
                      .arg(opened.errorMessage());
        m_done.notify_all();
        return;
    }
    {
        Writer writer(database.db());
        if (Result<void> prepared = writer.prepare(); !prepared) {
            std::lock_guard lock(m_mutex);
            m_failed = true;
            m_finished = true;
            m_error = QStringLiteral("the journal cannot be opened for writing (%1)")
                          .arg(prepared.errorMessage());
            m_done.notify_all();
            return;
        }
        {
            std::lock_guard lock(m_mutex);
            m_started = true;
            m_done.notify_all();
        }
        std::vector<WriteBatch> batches;
        for (;;) {
            quint64 lastTicket = 0;
            bool stopping = false;
            bool failedBefore = false;
            awaitBriefly();
            {
                std::unique_lock lock(m_mutex);
                while (!m_stopping && m_queue.empty()) {
                    m_idle = true;
                    m_wake.wait(lock);
                    m_idle = false;
                }
                batches.swap(m_queue); // batches is empty here, m_queue keeps its room
                m_queued.store(0, std::memory_order_relaxed);
                lastTicket = m_nextTicket;
                stopping = m_stopping;
                failedBefore = m_failed;
            }
            if (!batches.empty()) {
                quint64 engineSequence = 0;
                QString writeError;
                // After a failure nothing more is written: a gap would break the journal.
                const auto began = std::chrono::steady_clock::now();
                bool ok = false;
                if (!failedBefore) {
                    const Result<void> written = writer.write(batches, &engineSequence);
                    ok = written.ok();
                    if (!ok)
                        writeError = written.errorMessage();
                }
                if (ok && m_commitLatency)
                    m_commitLatency->record(std::chrono::steady_clock::now() - began);
                bool notify = false;
                {
                    std::lock_guard lock(m_mutex);
                    if (m_written.empty()) {
                        m_written.swap(batches);
                    } else {
                        std::move(batches.begin(), batches.end(), std::back_inserter(m_written));
                        batches.clear();
                    }
                    if (!ok && !failedBefore) {
                        m_failed = true;
                        m_error = QStringLiteral("writing the journal failed (%1)").arg(writeError);
                    }
                    if (ok && engineSequence > m_committed) {
                        m_committed = engineSequence;
                        notify = !m_polling && !m_notified;
                        m_notified = m_notified || notify;
                    }
                    m_doneTicket = lastTicket;
                    m_done.notify_all();
                }
                if (!ok && !failedBefore) {
                    qCWarning(lcStorage).noquote() << "writing the journal failed:" << writeError;
                    const QString message = m_error;
                    QMetaObject::invokeMethod(
                        m_context, [fn = m_onFailed, message] { fn(message); },
                        Qt::QueuedConnection);
                } else if (notify) {
                    QMetaObject::invokeMethod(m_context, m_onDurable, Qt::QueuedConnection);
                }
            }
            if (stopping) {
                std::lock_guard lock(m_mutex);
                if (m_queue.empty())
                    break;
            }
        }
    }
    std::lock_guard lock(m_mutex);
    m_finished = true;
    m_done.notify_all();
}

} // namespace objectsync::storage
