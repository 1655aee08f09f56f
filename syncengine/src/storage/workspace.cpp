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
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTimer>
#include <cstdio>

namespace objectsync {

Q_LOGGING_CATEGORY(lcStorage, "objectsync.storage", QtInfoMsg)

using namespace storage;

// ---- helpers ---------------------------------------------------------------------------

bool WorkspacePrivate::checkOpenable(const QString &path, QString *file)
{
    if (!engine || engineGone)
        return fail(QStringLiteral("the workspace has no engine"));
    if (engine->inTransition())
        return fail(QStringLiteral("a workspace cannot be opened inside a transition"));
    if (path.isEmpty())
        return fail(QStringLiteral("no workspace path given"));
    *file = QFileInfo(path).absoluteFilePath();
    return true;
}

std::unique_ptr<QLockFile> WorkspacePrivate::takeLock(const QString &file)
{
    auto l = std::make_unique<QLockFile>(file + QStringLiteral(".lock"));
    l->setStaleLockTime(0); // only a dead owner makes a lock stale, never its age
    if (l->tryLock(0))
        return l;
    if (l->error() == QLockFile::LockFailedError) {
        qint64 pid = 0;
        QString host, app;
        l->getLockInfo(&pid, &host, &app);
        error = QStringLiteral("%1 is in use by another process (pid %2)").arg(file).arg(pid);
    } else {
        error = QStringLiteral("%1 cannot be locked (no permission to create %2)")
                    .arg(file, l->fileName());
    }
    return nullptr;
}

std::unique_ptr<JournalWriter> WorkspacePrivate::makeWriter(const QString &file, quint64 gen,
                                                            QString *why)
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
    if (!w->start(why))
        return nullptr;
    return w;
}

bool WorkspacePrivate::startWriter(const QString &file)
{
    QString why;
    writer = makeWriter(file, ++generation, &why);
    if (!writer)
        return fail(why);
    return true;
}

void WorkspacePrivate::attach()
{
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

bool WorkspacePrivate::waitAndDeliver()
{
    if (!writer)
        return false;
    QString why;
    if (lastTicket && !writer->waitFor(lastTicket, &why)) {
        onWriterFailed(why);
        return false;
    }
    collect();
    return true;
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
        waitAndDeliver();
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

bool WorkspacePrivate::readValues(QSqlDatabase &db, QHash<QString, QJsonValue> *values)
{
    QSqlQuery query(db);
    if (!query.exec(QStringLiteral("SELECT key, value FROM app_values")))
        return false;
    while (query.next()) {
        const QJsonDocument doc = QJsonDocument::fromJson(query.value(1).toByteArray());
        if (doc.isArray() && doc.array().size() == 1)
            values->insert(query.value(0).toString(), doc.array().at(0));
    }
    return true;
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

bool Workspace::open(const QString &path)
{
    d->warnings.clear();
    d->error.clear();
    if (d->open)
        return d->fail(
            QStringLiteral("a workspace is already open (%1); close it first").arg(d->path));
    QString file;
    if (!d->checkOpenable(path, &file))
        return false;
    if (!QDir().mkpath(QFileInfo(file).absolutePath()))
        return d->fail(QStringLiteral("the folder of %1 cannot be created").arg(file));
    auto lock = d->takeLock(file);
    if (!lock)
        return false;

    const FileKind kind = fileKind(file);
    if (kind == FileKind::Foreign)
        return d->fail(
            QStringLiteral("%1 is not an ObjectSync workspace (not an SQLite database)").arg(file));
    if (kind == FileKind::Unreadable)
        return d->fail(QStringLiteral("%1 cannot be read").arg(file));
    const bool created = kind == FileKind::Missing;
    const auto removeCreated = [&] {
        if (created)
            removeDatabaseFiles(file);
    };

    bool isNew = kind != FileKind::Sqlite;
    RestorePlan plan;
    {
        Database db(file);
        QString why;
        if (!db.open(&why)) {
            removeCreated();
            return d->fail(QStringLiteral("%1 cannot be opened (%2)").arg(file, why));
        }
        if (!isNew && !inspectWorkspace(db.db(), &isNew, &why))
            return d->fail(QStringLiteral("%1 is refused: %2").arg(file, why));
        if (isNew) {
            if (!createSchema(db.db(), &why)) {
                removeCreated();
                return d->fail(QStringLiteral("%1: %2").arg(file, why));
            }
        } else {
            if (!readRestorePlan(db.db(), &plan, &why))
                return d->fail(QStringLiteral("%1 cannot be restored: %2").arg(file, why));
            if (!plan.isEmpty() && !isPristine(*d->engine))
                return d->fail(QStringLiteral("%1 cannot be restored into an engine that already "
                                              "holds objects or topics; open the workspace first")
                                   .arg(file));
        }
        if (!d->startWriter(file)) {
            removeCreated();
            d->error = QStringLiteral("%1: %2").arg(file, d->error);
            return false;
        }
        if (!isNew) {
            // The damaged rows are moved away in an SQLite transaction that commits only
            // if the engine takes the restored state, just before the engine commits.
            const bool cut = plan.cutFrom || !plan.damagedSnapshots.isEmpty();
            if (cut && !db.db().transaction()) {
                d->writer.reset();
                return d->fail(
                    QStringLiteral("%1 cannot be repaired (%2)").arg(file, sqlError(db.db())));
            }
            bool sqlOpen = cut;
            const auto commitCut = [&](QString *error) {
                if (!cut)
                    return true;
                sqlOpen = false;
                return commitJournalCut(db.db(), plan, error);
            };
            if (!applyRestorePlan(*d->engine, plan, commitCut, &why)) {
                if (sqlOpen)
                    db.db().rollback();
                d->writer.reset();
                return d->fail(QStringLiteral("%1 cannot be restored: %2").arg(file, why));
            }
            d->values.clear();
            WorkspacePrivate::readValues(db.db(), &d->values);
        }
    }

    d->path = file;
    d->lock = std::move(lock);
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
        if (!d->waitAndDeliver())
            return false;
    }
    qCDebug(lcStorage) << "opened" << file << (isNew ? "(new)" : "") << "at journal sequence"
                       << d->lastJournal;
    return true;
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

bool Workspace::flush()
{
    if (!d->open)
        return d->fail(QStringLiteral("no workspace is open"));
    d->timer.stop();
    d->submitPending(false);
    return d->waitAndDeliver();
}

quint64 Workspace::durableSequence() const
{
    return d->durable;
}

bool Workspace::snapshot()
{
    if (!d->open)
        return d->fail(QStringLiteral("no workspace is open"));
    d->timer.stop();
    if (!d->submitPending(true)) {
        d->waitAndDeliver();
        return d->fail(QStringLiteral("a snapshot cannot be taken while a transition is open or "
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
