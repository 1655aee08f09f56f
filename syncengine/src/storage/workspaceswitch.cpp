// SPDX-License-Identifier: MIT
// Moving to another workspace file: Workspace::saveAs() writes the engine's state to a new
// file and continues there; Workspace::switchTo() continues in an existing file, whose
// content replaces the engine's.
#include "database.h"
#include "enginebridge.h"
#include "replacestate.h"
#include "restoreplan.h"
#include "snapshotdata.h"
#include "storage_p.h"
#include "workspace_p.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>

namespace objectsync {

using namespace storage;

namespace {
/*! Writes the whole state of \a engine and \a values to the new, empty file of \a db. */
Result<void> writeState(Database &db, const Engine &engine,
                        const QHash<QString, QJsonValue> &values)
{
    if (Result<void> opened = db.open(); !opened)
        return opened;
    if (Result<void> schema = createSchema(db.db()); !schema)
        return schema;
    if (Result<void> configured = configureConnection(db.db(), true); !configured)
        return configured;
    if (!db.db().transaction())
        return Error(ErrorCode::Io, sqlError(db.db()));
    if (Result<void> inserted = insertSnapshot(db.db(), 0, captureSnapshot(engine)); !inserted)
        return inserted;
    QSqlQuery insert(db.db());
    insert.prepare(QStringLiteral("INSERT INTO app_values (key, value) VALUES (?, ?)"));
    for (auto it = values.cbegin(); it != values.cend(); ++it) {
        insert.bindValue(0, it.key());
        insert.bindValue(1, QJsonDocument(QJsonArray{it.value()}).toJson(QJsonDocument::Compact));
        if (!insert.exec())
            return Error(ErrorCode::Io, sqlError(db.db()));
    }
    if (!db.db().commit())
        return Error(ErrorCode::Io, sqlError(db.db()));
    return {};
}
} // namespace

Result<void> Workspace::switchTo(const QString &path)
{
    const Result<QString> openable = d->checkOpenable(path);
    if (!openable)
        return openable.error();
    const QString file = *openable;
    if (d->open && QFileInfo(file) == QFileInfo(d->path))
        return {}; // it is the open one

    switch (fileKind(file)) {
    case FileKind::Missing:
        return Error(ErrorCode::NotFound, QStringLiteral("%1 does not exist").arg(file));
    case FileKind::Empty:
        return Error(ErrorCode::Corrupt,
                     QStringLiteral("%1 is empty, not an ObjectSync workspace").arg(file));
    case FileKind::Foreign:
        return Error(
            ErrorCode::Corrupt,
            QStringLiteral("%1 is not an ObjectSync workspace (not an SQLite database)").arg(file));
    case FileKind::Unreadable:
        return Error(ErrorCode::Io, QStringLiteral("%1 cannot be read").arg(file));
    case FileKind::Sqlite:
        break;
    }
    Result<std::unique_ptr<QLockFile>> lock = d->takeLock(file);
    if (!lock)
        return lock.error();

    // 1. Read and verify everything, and build the state in a scratch engine: nothing has
    //    changed yet.
    Database db(file);
    if (Result<void> opened = db.open(); !opened)
        return rephrased(
            opened.error(),
            QStringLiteral("%1 cannot be opened (%2)").arg(file, opened.errorMessage()));
    const Result<bool> isNew = inspectWorkspace(db.db());
    if (!isNew)
        return rephrased(isNew.error(),
                         QStringLiteral("%1 is refused: %2").arg(file, isNew.errorMessage()));
    if (*isNew)
        return Error(ErrorCode::Corrupt, QStringLiteral("%1 is an SQLite database without tables, "
                                                        "not an ObjectSync workspace")
                                             .arg(file));
    Result<RestorePlan> read = readRestorePlan(db.db());
    if (!read)
        return rephrased(
            read.error(),
            QStringLiteral("%1 cannot be restored: %2").arg(file, read.errorMessage()));
    const RestorePlan plan = std::move(*read);
    const Result<QJsonObject> state = buildState(*d->engine, plan);
    if (!state)
        return rephrased(
            state.error(),
            QStringLiteral("%1 cannot be restored: %2").arg(file, state.errorMessage()));
    QHash<QString, QJsonValue> values = WorkspacePrivate::readValues(db.db()).valueOr({});

    // 2. Everything committed so far goes to the current file; the switch itself does not.
    if (d->open) {
        d->timer.stop();
        d->submitPending(false);
        (void)d->waitAndDeliver(); // a failure closes the current file: then there is none
    }
    const quint64 gen = d->generation + 1;
    Result<std::unique_ptr<JournalWriter>> writer = d->makeWriter(file, gen);
    if (!writer)
        return rephrased(writer.error(), QStringLiteral("%1: %2").arg(file, writer.errorMessage()));
    if (d->open)
        QObject::disconnect(d->committed);

    // 3. Replace the engine's content; the damaged journal rows are moved away in the same
    //    step (only if the engine takes the new state).
    const bool cut = plan.cutFrom || !plan.damagedSnapshots.isEmpty();
    if (cut && !db.db().transaction()) {
        if (d->open)
            d->reconnect();
        return Error(ErrorCode::Io,
                     QStringLiteral("%1 cannot be repaired (%2)").arg(file, sqlError(db.db())));
    }
    bool sqlOpen = cut;
    const auto commitCut = [&]() -> Result<void> {
        if (!cut)
            return {};
        sqlOpen = false;
        return commitJournalCut(db.db(), plan);
    };
    if (Result<void> replaced = replaceState(*d->engine, *state, commitCut); !replaced) {
        if (sqlOpen)
            db.db().rollback();
        writer.value().reset();
        if (d->open)
            d->reconnect(); // the current file continues
        return rephrased(
            replaced.error(),
            QStringLiteral("%1 cannot be opened here: %2").arg(file, replaced.errorMessage()));
    }
    d->engine->clearHistory(); // it spoke of objects that are gone

    // 4. Leave the old file and continue in the new one, starting with a snapshot of what
    //    the engine holds now (the new file's state plus what the engine kept).
    d->generation = gen; // what the old writer still reports is stale now
    if (d->writer) {
        d->writer->stop();
        d->writer->handOver({}, d->written, false);
        d->recycleWritten();
    }
    d->writer = std::move(*writer);
    d->lock = std::move(*lock);
    d->path = file;
    d->isNew = false;
    d->values = std::move(values);
    d->warnings = plan.warnings;
    for (const QString &w : std::as_const(d->warnings))
        qCWarning(lcStorage).noquote() << file << ":" << w;
    d->pending.clear();
    d->lastJournal = plan.lastSequence();
    d->lastEngine = d->engine->lastSequence();
    d->open = true;
    WriteBatch batch;
    batch.snapshot = SnapshotJob{++d->lastJournal, d->lastEngine, captureSnapshot(*d->engine)};
    d->lastTicket = d->writer->handOver(std::move(batch), d->written, false).ticket;
    d->recycleWritten();
    if (Result<void> written = d->waitAndDeliver(); !written)
        return written; // the file failed (failed() was emitted): the engine runs in memory
    d->attach();
    qCInfo(lcStorage) << "switched to" << file << "at journal sequence" << d->lastJournal;
    return {};
}

Result<void> Workspace::saveAs(const QString &path)
{
    if (!d->engine || d->engineGone)
        return Error(ErrorCode::InvalidArgument, QStringLiteral("the workspace has no engine"));
    if (path.isEmpty())
        return Error(ErrorCode::InvalidArgument, QStringLiteral("no workspace path given"));
    const QString file = QFileInfo(path).absoluteFilePath();
    if (d->open && QFileInfo(file) == QFileInfo(d->path))
        return snapshot();
    if (d->engine->inTransition())
        return Error(ErrorCode::Conflict,
                     QStringLiteral("the workspace cannot be saved while a transition is open"));
    if (!QDir().mkpath(QFileInfo(file).absolutePath()))
        return Error(ErrorCode::Io, QStringLiteral("the folder of %1 cannot be created").arg(file));
    if (QFileInfo(file).isDir())
        return Error(ErrorCode::InvalidArgument, QStringLiteral("%1 is a folder").arg(file));
    Result<std::unique_ptr<QLockFile>> lock = d->takeLock(file);
    if (!lock)
        return lock.error();

    // Write the whole state to a side file, then put it in place in one rename.
    const QString temporary = file + QStringLiteral(".saving");
    removeDatabaseFiles(temporary);
    const quint64 engineSeq = d->engine->lastSequence();
    {
        Database db(temporary);
        if (Result<void> written = writeState(db, *d->engine, d->values); !written) {
            db.db().close();
            removeDatabaseFiles(temporary);
            return rephrased(
                written.error(),
                QStringLiteral("%1 cannot be written (%2)").arg(file, written.errorMessage()));
        }
    }
    QFile::remove(file + QStringLiteral("-wal"));
    QFile::remove(file + QStringLiteral("-shm"));
    if (std::rename(QFile::encodeName(temporary).constData(),
                    QFile::encodeName(file).constData()) != 0) {
        removeDatabaseFiles(temporary);
        return Error(ErrorCode::Io, QStringLiteral("%1 cannot be replaced").arg(file));
    }

    if (d->open)
        d->shutDown(false);
    d->path = file;
    d->lock = std::move(*lock);
    d->isNew = false;
    d->warnings.clear();
    d->lastJournal = 0;
    d->lastEngine = engineSeq;
    d->lastTicket = 0;
    if (Result<void> started = d->startWriter(file); !started) {
        d->lock.reset();
        return started;
    }
    d->attach();
    return {};
}

} // namespace objectsync
