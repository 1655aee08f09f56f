// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/change.h>
#include <objectsync/result.h>

#include <QJsonObject>
#include <QList>
#include <QSqlDatabase>
#include <QStringList>
#include <functional>
#include <optional>

namespace objectsync {
class Engine;
}

namespace objectsync::storage {

/*!
 * What opening a workspace will restore, read and verified before the engine is touched:
 * the newest intact snapshot and the unbroken, verified journal rows after it. Rows from
 * the first bad one on (checksum mismatch, undecodable, a sequence missing or out of order)
 * are marked to be cut. A row holds the transitions of one or more event-loop turns.
 */
struct RestorePlan
{
    struct Row
    {
        quint64 sequence = 0;
        QList<Change> changes;
    };

    quint64 base = 0; //!< journal sequence of the snapshot used (0: none)
    std::optional<QJsonObject> snapshot;
    QList<Row> rows;                 //!< verified rows base+1, base+2, ...
    QList<quint64> damagedSnapshots; //!< snapshots to delete (newer than base, damaged)

    std::optional<quint64> cutFrom; //!< the first journal sequence that is lost
    QString cutReason;
    QList<qint64> cutRows;             //!< the rows (by first sequence) to move away
    bool cutUnreadable = false;        //!< the rest of the table could not be read
    qsizetype cutCount = 0;            //!< how many transitions that drops
    quint64 cutFirst = 0, cutLast = 0; //!< the sequences of the dropped transitions present

    QStringList warnings;

    /*! The journal sequence the workspace stands at once the plan is applied. */
    quint64 lastSequence() const { return rows.isEmpty() ? base : rows.last().sequence; }
    bool isEmpty() const { return !snapshot && rows.isEmpty(); }
};

/*! Reads and verifies a workspace; an error when nothing usable can be read (Io when SQLite
 *  cannot read it, Corrupt when every snapshot is damaged and the journal does not reach
 *  back to the start). Only reads. */
Result<RestorePlan> readRestorePlan(QSqlDatabase &db);

/*! Applies a plan to \a engine as one transition of kind Redo, without running behaviours.
 *  \a beforeCommit runs once everything is applied and before the transition commits (the
 *  caller commits its file changes there); an error from it reverts everything. All or
 *  nothing: an error (the engine unchanged) when the engine refuses. */
Result<void> applyRestorePlan(Engine &engine, const RestorePlan &plan,
                              const std::function<Result<void>()> &beforeCommit);

/*! Moves the rows the plan cuts into dropped_journal and deletes damaged snapshots, inside
 *  the caller's open SQLite transaction. */
Result<void> cutJournal(QSqlDatabase &db, const RestorePlan &plan);

/*! cutJournal(), then commits the caller's SQLite transaction; on failure rolls it back and
 *  returns why. */
Result<void> commitJournalCut(QSqlDatabase &db, const RestorePlan &plan);

} // namespace objectsync::storage
