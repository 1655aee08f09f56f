// SPDX-License-Identifier: MIT
// Workspace::switchTo(): continuing in another workspace file, whose content replaces the
// engine's.
#include "database.h"
#include "enginebridge.h"
#include "replacestate.h"
#include "restoreplan.h"
#include "snapshotdata.h"
#include "storage_p.h"
#include "workspace_p.h"

#include <QFileInfo>

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

} // namespace objectsync
