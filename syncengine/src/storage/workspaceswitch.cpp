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

bool Workspace::switchTo(const QString &path)
{
    d->error.clear();
    QString file;
    if (!d->checkOpenable(path, &file))
        return false;
    if (d->open && QFileInfo(file) == QFileInfo(d->path))
        return true; // it is the open one

    switch (fileKind(file)) {
    case FileKind::Missing:
        return d->fail(QStringLiteral("%1 does not exist").arg(file));
    case FileKind::Empty:
        return d->fail(QStringLiteral("%1 is empty, not an ObjectSync workspace").arg(file));
    case FileKind::Foreign:
        return d->fail(
            QStringLiteral("%1 is not an ObjectSync workspace (not an SQLite database)").arg(file));
    case FileKind::Unreadable:
        return d->fail(QStringLiteral("%1 cannot be read").arg(file));
    case FileKind::Sqlite:
        break;
    }
    auto lock = d->takeLock(file);
    if (!lock)
        return false;

    // 1. Read and verify everything, and build the state in a scratch engine: nothing has
    //    changed yet.
    Database db(file);
    QString why;
    if (!db.open(&why))
        return d->fail(QStringLiteral("%1 cannot be opened (%2)").arg(file, why));
    bool isNew = false;
    if (!inspectWorkspace(db.db(), &isNew, &why))
        return d->fail(QStringLiteral("%1 is refused: %2").arg(file, why));
    if (isNew)
        return d->fail(QStringLiteral("%1 is an SQLite database without tables, not an "
                                      "ObjectSync workspace")
                           .arg(file));
    RestorePlan plan;
    if (!readRestorePlan(db.db(), &plan, &why))
        return d->fail(QStringLiteral("%1 cannot be restored: %2").arg(file, why));
    const std::optional<QJsonObject> state = buildState(*d->engine, plan, &why);
    if (!state)
        return d->fail(QStringLiteral("%1 cannot be restored: %2").arg(file, why));
    QHash<QString, QJsonValue> values;
    WorkspacePrivate::readValues(db.db(), &values);

    // 2. Everything committed so far goes to the current file; the switch itself does not.
    if (d->open) {
        d->timer.stop();
        d->submitPending(false);
        d->waitAndDeliver(); // a failure closes the current file: then there is none
    }
    const quint64 gen = d->generation + 1;
    std::unique_ptr<JournalWriter> writer = d->makeWriter(file, gen, &why);
    if (!writer)
        return d->fail(QStringLiteral("%1: %2").arg(file, why));
    if (d->open)
        QObject::disconnect(d->committed);

    // 3. Replace the engine's content; the damaged journal rows are moved away in the same
    //    step (only if the engine takes the new state).
    const bool cut = plan.cutFrom || !plan.damagedSnapshots.isEmpty();
    if (cut && !db.db().transaction()) {
        if (d->open)
            d->reconnect();
        return d->fail(QStringLiteral("%1 cannot be repaired (%2)").arg(file, sqlError(db.db())));
    }
    bool sqlOpen = cut;
    const auto commitCut = [&](QString *error) {
        if (!cut)
            return true;
        sqlOpen = false;
        return commitJournalCut(db.db(), plan, error);
    };
    if (!replaceState(*d->engine, *state, commitCut, &why)) {
        if (sqlOpen)
            db.db().rollback();
        writer.reset();
        if (d->open)
            d->reconnect(); // the current file continues
        return d->fail(QStringLiteral("%1 cannot be opened here: %2").arg(file, why));
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
    d->writer = std::move(writer);
    d->lock = std::move(lock);
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
    if (!d->waitAndDeliver())
        return false; // the file failed (failed() was emitted): the engine runs in memory
    d->attach();
    qCInfo(lcStorage) << "switched to" << file << "at journal sequence" << d->lastJournal;
    return true;
}

bool Workspace::saveAs(const QString &path)
{
    d->error.clear();
    if (!d->engine || d->engineGone)
        return d->fail(QStringLiteral("the workspace has no engine"));
    if (path.isEmpty())
        return d->fail(QStringLiteral("no workspace path given"));
    const QString file = QFileInfo(path).absoluteFilePath();
    if (d->open && QFileInfo(file) == QFileInfo(d->path))
        return snapshot();
    if (d->engine->inTransition())
        return d->fail(QStringLiteral("the workspace cannot be saved while a transition is open"));
    if (!QDir().mkpath(QFileInfo(file).absolutePath()))
        return d->fail(QStringLiteral("the folder of %1 cannot be created").arg(file));
    if (QFileInfo(file).isDir())
        return d->fail(QStringLiteral("%1 is a folder").arg(file));
    auto lock = d->takeLock(file);
    if (!lock)
        return false;

    // Write the whole state to a side file, then put it in place in one rename.
    const QString temporary = file + QStringLiteral(".saving");
    removeDatabaseFiles(temporary);
    const quint64 engineSeq = d->engine->lastSequence();
    {
        Database db(temporary);
        QString why;
        bool ok = db.open(&why) && createSchema(db.db(), &why) &&
                  configureConnection(db.db(), true, &why) && db.db().transaction() &&
                  insertSnapshot(db.db(), 0, captureSnapshot(*d->engine), &why);
        if (ok) {
            QSqlQuery insert(db.db());
            insert.prepare(QStringLiteral("INSERT INTO app_values (key, value) VALUES (?, ?)"));
            for (auto it = d->values.cbegin(); ok && it != d->values.cend(); ++it) {
                insert.bindValue(0, it.key());
                insert.bindValue(
                    1, QJsonDocument(QJsonArray{it.value()}).toJson(QJsonDocument::Compact));
                ok = insert.exec();
            }
            ok = ok && db.db().commit();
            if (!ok && why.isEmpty())
                why = sqlError(db.db());
        }
        if (!ok) {
            db.db().close();
            removeDatabaseFiles(temporary);
            return d->fail(QStringLiteral("%1 cannot be written (%2)").arg(file, why));
        }
    }
    QFile::remove(file + QStringLiteral("-wal"));
    QFile::remove(file + QStringLiteral("-shm"));
    if (std::rename(QFile::encodeName(temporary).constData(),
                    QFile::encodeName(file).constData()) != 0) {
        removeDatabaseFiles(temporary);
        return d->fail(QStringLiteral("%1 cannot be replaced").arg(file));
    }

    if (d->open)
        d->shutDown(false);
    d->path = file;
    d->lock = std::move(lock);
    d->isNew = false;
    d->warnings.clear();
    d->lastJournal = 0;
    d->lastEngine = engineSeq;
    d->lastTicket = 0;
    if (!d->startWriter(file)) {
        d->lock.reset();
        return false;
    }
    d->attach();
    return true;
}

} // namespace objectsync
