// SPDX-License-Identifier: MIT
#include <objectsync/engine.h>
#include <objectsync/workspace.h>

#include "database.h"
#include "enginebridge.h"
#include "journalcodec.h"
#include "journalwriter.h"
#include "restoreplan.h"
#include "snapshotdata.h"
#include "storage_p.h"
#include "workspace_p.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLockFile>
#include <QPointer>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTimer>
#include <cstdio>

namespace objectsync {

Q_LOGGING_CATEGORY(lcStorage, "objectsync.storage", QtInfoMsg)

using namespace storage;

// ---- helpers ---------------------------------------------------------------------------

Result<QString> WorkspacePrivate::checkOpenable(const QString &path)
{
    if (!engine || engineGone)
        return Error(ErrorCode::InvalidArgument, QStringLiteral("the workspace has no engine"));
    if (engine->inTransition())
        return Error(ErrorCode::Conflict,
                     QStringLiteral("a workspace cannot be opened inside a transition"));
    if (path.isEmpty())
        return Error(ErrorCode::InvalidArgument, QStringLiteral("no workspace path given"));
    return QFileInfo(path).absoluteFilePath();
}

Result<std::unique_ptr<QLockFile>> WorkspacePrivate::takeLock(const QString &file)
{
    auto l = std::make_unique<QLockFile>(file + QStringLiteral(".lock"));
    l->setStaleLockTime(0); // only a dead owner makes a lock stale, never its age
    if (l->tryLock(0))
        return l;
    if (l->error() == QLockFile::LockFailedError) {
        qint64 pid = 0;
        QString host, app;
        l->getLockInfo(&pid, &host, &app);
        return Error(ErrorCode::Conflict,
                     QStringLiteral("%1 is in use by another process (pid %2)").arg(file).arg(pid));
    }
    return Error(ErrorCode::Io, QStringLiteral("%1 cannot be locked (no permission to create %2)")
                                    .arg(file, l->fileName()));
}

Result<std::unique_ptr<JournalWriter>> WorkspacePrivate::makeWriter(const QString &file,
                                                                    quint64 gen)
{
    // Its reports count only while it is the current writer (generation == gen).
    auto w = std::make_unique<JournalWriter>(
        file, durability == Workspace::Durability::PowerLoss, q,
        [this, gen] {
            if (gen == generation)
                collect();
        },
        [this, gen](const QString &message) {
            if (gen == generation)
                onWriterFailed(message);
        },
        commitLatency);
    if (Result<void> started = w->start(); !started)
        return started.error();
    return w;
}

Result<void> WorkspacePrivate::startWriter(const QString &file)
{
    Result<std::unique_ptr<JournalWriter>> made = makeWriter(file, ++generation);
    if (!made) {
        writer.reset();
        return made.error();
    }
    writer = std::move(*made);
    return {};
}

void WorkspacePrivate::attach()
{
    error.clear(); // a file is written again
    reconnect();
    sinceSnapshot = 0;
    resync = false;
    open = true;
    deliver(lastEngine); // everything up to here is in the file
}

void WorkspacePrivate::reconnect()
{
    committed = QObject::connect(engine, &Engine::transitionCommitted, q,
                                 [this](const TransitionPtr &t) { onCommitted(t); });
    if (!pending.isEmpty())
        scheduleSubmit();
}

void WorkspacePrivate::detach()
{
    QObject::disconnect(committed);
    timer.stop();
}

void WorkspacePrivate::onCommitted(const TransitionPtr &t)
{
    if (!open || t->sequence <= lastEngine)
        return; // already part of a snapshot (announced late, from a nested commit)
    if (resync || t->sequence != lastEngine + 1) {
        // The journal missed a transition (a receiver connected before this one committed
        // another while the first was being announced): continue from a snapshot.
        if (!resync)
            qCInfo(lcStorage) << "transitions" << lastEngine + 1 << "to" << t->sequence
                              << "arrived out of order; the journal continues from a snapshot";
        resync = true;
        scheduleSubmit();
        return;
    }
    // Encoded now, so that the transition is freed as soon as the engine is done with it.
    if (pending.count++ == 0)
        pending.firstSequence = lastJournal + 1;
    encodeTransition(pending.transitions, *t);
    ++lastJournal;
    pending.engineSequence = lastEngine = t->sequence;
    ++sinceSnapshot;
    scheduleSubmit();
}

void WorkspacePrivate::recycleWritten()
{
    for (WriteBatch &b : written) {
        // A few buffers of ordinary size are kept; a huge one goes back to the system.
        if (spare.size() < 4 && b.transitions.capacity() <= 1024 * 1024) {
            b.clear();
            spare.push_back(std::move(b));
        }
    }
    written.clear();
}

void WorkspacePrivate::collect()
{
    if (!writer)
        return;
    const quint64 seq = writer->handOver({}, written, false).committed;
    recycleWritten();
    deliver(seq);
}

void WorkspacePrivate::scheduleSubmit()
{
    // A zero-timer fires once the events already waiting have been handled: everything
    // committed until then goes to the writer as one batch. (A timer of the own thread
    // costs less than a posted call, which wakes the event dispatcher.)
    if (!timer.isActive())
        timer.start();
}

void WorkspacePrivate::onTurnEnd()
{
    // While turn after turn commits something, the timer keeps running (no timer to set up
    // per turn) and this thread reads the writer's progress at each turn itself, so the
    // writer need not wake it. The first quiet turn stops the timer; from then on the writer
    // reports by posting durable().
    const bool busy = !pending.isEmpty() || resync;
    if (!busy)
        timer.stop();
    submitPending(false, busy);
}

bool WorkspacePrivate::canSnapshot() const
{
    // The state must be exactly the one after the last journaled transition.
    return engine && !engineGone && !engine->inTransition() && engine->lastSequence() == lastEngine;
}

bool WorkspacePrivate::submitPending(bool forceSnapshot, bool polling)
{
    WriteBatch batch = std::move(pending);
    pending.clear();
    if (!spare.empty()) {
        pending = std::move(spare.back());
        spare.pop_back();
    }
    const bool due = snapshotInterval > 0 && sinceSnapshot >= quint64(snapshotInterval);
    bool snapshotTaken = false;
    if (resync && engine && !engineGone && !engine->inTransition()) {
        // Everything the engine holds now, as the journal's next sequence.
        lastEngine = engine->lastSequence();
        batch.snapshot = SnapshotJob{++lastJournal, lastEngine, captureSnapshot(*engine)};
        sinceSnapshot = 0;
        snapshotTaken = true;
        resync = false;
    } else if ((forceSnapshot || due) && canSnapshot()) {
        batch.snapshot = SnapshotJob{lastJournal, lastEngine, captureSnapshot(*engine)};
        sinceSnapshot = 0;
        snapshotTaken = true;
    }
    const JournalWriter::Handover h = writer->handOver(std::move(batch), written, polling);
    if (h.ticket)
        lastTicket = h.ticket;
    recycleWritten();
    deliver(h.committed);
    return snapshotTaken || !forceSnapshot;
}

Result<void> WorkspacePrivate::waitAndDeliver()
{
    if (!writer)
        return Error(ErrorCode::Internal, QStringLiteral("the workspace has no journal writer"));
    if (lastTicket) {
        if (Result<void> written = writer->waitFor(lastTicket); !written) {
            onWriterFailed(written.errorMessage());
            return written;
        }
    }
    collect();
    return {};
}

void WorkspacePrivate::deliver(quint64 engineSequence)
{
    if (engineSequence <= durable)
        return;
    durable = engineSequence;
    emit q->durable(engineSequence);
}

void WorkspacePrivate::onWriterFailed(const QString &message)
{
    if (!open)
        return;
    error = message;
    detach();
    pending.clear();
    ++generation;
    writer.reset();
    lock.reset();
    open = false;
    emit q->failed(message);
}

void WorkspacePrivate::shutDown(bool takeSnapshot)
{
    detach();
    if (writer) {
        submitPending(takeSnapshot && sinceSnapshot > 0);
        (void)waitAndDeliver(); // a failure was reported by failed()
        if (writer) {
            ++generation;
            writer->stop();
            writer.reset();
        }
    }
    pending.clear();
    lock.reset();
    open = false;
    isNew = false;
}

Result<QHash<QString, QJsonValue>> WorkspacePrivate::readValues(QSqlDatabase &db)
{
    QSqlQuery query(db);
    if (!query.exec(QStringLiteral("SELECT key, value FROM app_values")))
        return Error(ErrorCode::Io, query.lastError().text());
    QHash<QString, QJsonValue> values;
    while (query.next()) {
        const QJsonDocument doc = QJsonDocument::fromJson(query.value(1).toByteArray());
        if (doc.isArray() && doc.array().size() == 1)
            values.insert(query.value(0).toString(), doc.array().at(0));
    }
    return values;
}

// ---- Workspace -------------------------------------------------------------------------

Workspace::Workspace(Engine *engine, QObject *parent)
    : QObject(parent), d(std::make_unique<WorkspacePrivate>(this, engine))
{
    d->timer.setInterval(0);
    connect(&d->timer, &QTimer::timeout, this, [this] {
        if (d->open)
            d->onTurnEnd();
        else
            d->timer.stop();
    });
    if (engine) {
        connect(engine, &QObject::destroyed, this, [this] {
            d->engineGone = true;
            close();
        });
    }
}

Workspace::~Workspace()
{
    close();
}

Result<void> Workspace::open(const QString &path)
{
    d->warnings.clear();
    if (d->open)
        return Error(
            ErrorCode::Conflict,
            QStringLiteral("a workspace is already open (%1); close it first").arg(d->path));
    const Result<QString> openable = d->checkOpenable(path);
    if (!openable)
        return openable.error();
    const QString file = *openable;
    if (!QDir().mkpath(QFileInfo(file).absolutePath()))
        return Error(ErrorCode::Io, QStringLiteral("the folder of %1 cannot be created").arg(file));
    Result<std::unique_ptr<QLockFile>> lock = d->takeLock(file);
    if (!lock)
        return lock.error();

    const FileKind kind = fileKind(file);
    if (kind == FileKind::Foreign)
        return Error(
            ErrorCode::Corrupt,
            QStringLiteral("%1 is not an ObjectSync workspace (not an SQLite database)").arg(file));
    if (kind == FileKind::Unreadable)
        return Error(ErrorCode::Io, QStringLiteral("%1 cannot be read").arg(file));
    const bool created = kind == FileKind::Missing;
    const auto removeCreated = [&] {
        if (created)
            removeDatabaseFiles(file);
    };

    bool isNew = kind != FileKind::Sqlite;
    RestorePlan plan;
    {
        Database db(file);
        if (Result<void> opened = db.open(); !opened) {
            removeCreated();
            return rephrased(
                opened.error(),
                QStringLiteral("%1 cannot be opened (%2)").arg(file, opened.errorMessage()));
        }
        if (!isNew) {
            const Result<bool> inspected = inspectWorkspace(db.db());
            if (!inspected)
                return rephrased(
                    inspected.error(),
                    QStringLiteral("%1 is refused: %2").arg(file, inspected.errorMessage()));
            isNew = *inspected;
        }
        if (isNew) {
            if (Result<void> schema = createSchema(db.db()); !schema) {
                removeCreated();
                return rephrased(schema.error(),
                                 QStringLiteral("%1: %2").arg(file, schema.errorMessage()));
            }
        } else {
            Result<RestorePlan> read = readRestorePlan(db.db());
            if (!read)
                return rephrased(
                    read.error(),
                    QStringLiteral("%1 cannot be restored: %2").arg(file, read.errorMessage()));
            plan = std::move(*read);
            if (!plan.isEmpty() && !isPristine(*d->engine))
                return Error(ErrorCode::Conflict,
                             QStringLiteral("%1 cannot be restored into an engine that already "
                                            "holds objects or topics; open the workspace first")
                                 .arg(file));
        }
        if (Result<void> started = d->startWriter(file); !started) {
            removeCreated();
            return rephrased(started.error(),
                             QStringLiteral("%1: %2").arg(file, started.errorMessage()));
        }
        if (!isNew) {
            // The damaged rows are moved away in an SQLite transaction that commits only
            // if the engine takes the restored state, just before the engine commits.
            const bool cut = plan.cutFrom || !plan.damagedSnapshots.isEmpty();
            if (cut && !db.db().transaction()) {
                d->writer.reset();
                return Error(
                    ErrorCode::Io,
                    QStringLiteral("%1 cannot be repaired (%2)").arg(file, sqlError(db.db())));
            }
            bool sqlOpen = cut;
            const auto commitCut = [&]() -> Result<void> {
                if (!cut)
                    return {};
                sqlOpen = false;
                return commitJournalCut(db.db(), plan);
            };
            if (Result<void> applied = applyRestorePlan(*d->engine, plan, commitCut); !applied) {
                if (sqlOpen)
                    db.db().rollback();
                d->writer.reset();
                return rephrased(
                    applied.error(),
                    QStringLiteral("%1 cannot be restored: %2").arg(file, applied.errorMessage()));
            }
            d->values = WorkspacePrivate::readValues(db.db()).valueOr({});
        }
    }

    d->path = file;
    d->lock = std::move(*lock);
    d->isNew = isNew;
    d->warnings = plan.warnings;
    for (const QString &w : std::as_const(d->warnings))
        qCWarning(lcStorage).noquote() << file << ":" << w;
    d->lastJournal = plan.lastSequence();
    d->lastEngine = d->engine->lastSequence();
    d->pending.clear();
    if (isNew) // values set before opening go into the new file
        for (auto it = d->values.cbegin(); it != d->values.cend(); ++it)
            d->pending.values.append({it.key(), it.value()});
    d->lastTicket = 0;
    d->attach();
    if (!d->pending.values.isEmpty())
        d->scheduleSubmit();
    if (isNew && !isPristine(*d->engine)) {
        // State made before the workspace existed goes in as its first snapshot.
        WriteBatch batch;
        batch.snapshot = SnapshotJob{0, d->lastEngine, captureSnapshot(*d->engine)};
        d->lastTicket = d->writer->handOver(std::move(batch), d->written, false).ticket;
        d->recycleWritten();
        if (Result<void> written = d->waitAndDeliver(); !written)
            return written;
    }
    qCDebug(lcStorage) << "opened" << file << (isNew ? "(new)" : "") << "at journal sequence"
                       << d->lastJournal;
    return {};
}

void Workspace::close()
{
    if (!d->open)
        return;
    d->shutDown(true);
}

bool Workspace::isOpen() const
{
    return d->open;
}

QString Workspace::path() const
{
    return d->path;
}

bool Workspace::isNew() const
{
    return d->open && d->isNew;
}

QString Workspace::errorString() const
{
    return d->error;
}

QStringList Workspace::warnings() const
{
    return d->warnings;
}

Result<void> Workspace::flush()
{
    if (!d->open)
        return Error(ErrorCode::Conflict, QStringLiteral("no workspace is open"));
    d->timer.stop();
    d->submitPending(false);
    return d->waitAndDeliver();
}

quint64 Workspace::durableSequence() const
{
    return d->durable;
}

Result<void> Workspace::snapshot()
{
    if (!d->open)
        return Error(ErrorCode::Conflict, QStringLiteral("no workspace is open"));
    d->timer.stop();
    if (!d->submitPending(true)) {
        (void)d->waitAndDeliver(); // a failure is reported by failed()
        return Error(ErrorCode::Conflict,
                     QStringLiteral("a snapshot cannot be taken while a transition is open or "
                                    "being announced"));
    }
    return d->waitAndDeliver();
}

void Workspace::setSnapshotInterval(int transitions)
{
    d->snapshotInterval = qMax(0, transitions);
}

int Workspace::snapshotInterval() const
{
    return d->snapshotInterval;
}

void Workspace::setDurability(Durability durability)
{
    d->durability = durability;
}

Workspace::Durability Workspace::durability() const
{
    return d->durability;
}

void Workspace::setValue(const QString &key, const QJsonValue &value)
{
    d->values.insert(key, value);
    if (!d->open)
        return;
    d->pending.values.append({key, value});
    d->scheduleSubmit();
}

QJsonValue Workspace::value(const QString &key) const
{
    return d->values.value(key, QJsonValue(QJsonValue::Undefined));
}

QString Workspace::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
           QStringLiteral("/workspace.osw");
}

CommitLatency Workspace::commitLatency() const
{
    CommitLatency out;
    const storage::LatencyHistogram &h = *d->commitLatency;
    for (const double bound : storage::LatencyHistogram::upperBounds)
        out.upperBounds.append(bound);
    for (std::size_t i = 0; i <= storage::LatencyHistogram::upperBounds.size(); ++i) {
        out.counts.append(h.count(i));
        out.count += h.count(i);
    }
    out.sumSeconds = h.sumSeconds();
    return out;
}

} // namespace objectsync
