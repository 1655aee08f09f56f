// SPDX-License-Identifier: MIT
#include "restoreplan.h"

#include "checksum.h"
#include "database.h"
#include "enginebridge.h"
#include "journalcodec.h"
#include "journaljson.h"
#include "snapshotdata.h"
#include "storage_p.h"

#include <objectsync/engine.h>
#include <objectsync/names.h>

#include <QDateTime>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>

namespace objectsync::storage {

namespace {
QString queryError(const QSqlQuery &q)
{
    const QSqlError e = q.lastError();
    return e.databaseText().isEmpty() ? e.text() : e.databaseText();
}

/*! Reads the newest intact snapshot into \a plan; true when there is any snapshot at all. */
Result<bool> readSnapshots(QSqlDatabase &db, RestorePlan *plan)
{
    bool anySnapshot = false;
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral(
            "SELECT sequence, data, checksum FROM snapshots ORDER BY sequence DESC")))
        return Error(ErrorCode::Io,
                     QStringLiteral("its snapshots cannot be read (%1)").arg(queryError(q)));
    while (q.next()) {
        anySnapshot = true;
        const quint64 sequence = q.value(0).toULongLong();
        const QByteArray data = q.value(1).toByteArray();
        const quint32 checksum = quint32(q.value(2).toLongLong());
        QString why;
        QJsonParseError parseError;
        QJsonDocument doc;
        if (crc32(data) != checksum) {
            why = QStringLiteral("checksum mismatch");
        } else {
            doc = QJsonDocument::fromJson(data, &parseError);
            if (parseError.error != QJsonParseError::NoError || !doc.isObject())
                why = QStringLiteral("not a JSON object");
            else if (Result<void> valid = validateSnapshot(doc.object()); !valid)
                why = valid.errorMessage().isEmpty() ? QStringLiteral("malformed")
                                                     : valid.errorMessage();
        }
        if (why.isEmpty()) {
            plan->base = sequence;
            plan->snapshot = doc.object();
            return true;
        }
        plan->damagedSnapshots.append(sequence);
        plan->warnings.append(
            QStringLiteral("the snapshot at sequence %1 is damaged (%2); an older state is "
                           "used and the journal replayed from there")
                .arg(sequence)
                .arg(why));
    }
    if (q.lastError().isValid())
        return Error(ErrorCode::Io,
                     QStringLiteral("its snapshots cannot be read (%1)").arg(queryError(q)));
    return anySnapshot;
}

/*! A row's transitions: binary rows (format 2), or JSON ones from format 1. */
Result<QList<JournalTransition>> decodePayload(const QByteArray &payload, quint64 first,
                                               quint64 last)
{
    if (payload.startsWith('['))
        return decodeTransitions(payload);
    return decodeRow(payload, first, last);
}
} // namespace

Result<RestorePlan> readRestorePlan(QSqlDatabase &db)
{
    RestorePlan plan;
    const Result<bool> anySnapshot = readSnapshots(db, &plan);
    if (!anySnapshot)
        return anySnapshot.error();
    if (*anySnapshot && !plan.snapshot) {
        // Every snapshot is damaged: only a journal that reaches back to the start helps.
        QSqlQuery q(db);
        if (!q.exec(QStringLiteral("SELECT MIN(sequence) FROM journal")) || !q.next() ||
            q.value(0).toULongLong() != 1)
            return Error(ErrorCode::Corrupt,
                         QStringLiteral("its snapshot is damaged and the journal does not reach "
                                        "back far enough to rebuild the state"));
    }

    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT sequence, last_sequence, transitions, checksum FROM journal "
                             "WHERE last_sequence > ? ORDER BY sequence"));
    q.bindValue(0, plan.base);
    if (!q.exec())
        return Error(ErrorCode::Io,
                     QStringLiteral("its journal cannot be read (%1)").arg(queryError(q)));
    quint64 expected = plan.base + 1;
    while (q.next()) {
        bool okFirst = false;
        bool okLast = false;
        const quint64 first = q.value(0).toULongLong(&okFirst);
        const quint64 last = q.value(1).toULongLong(&okLast);
        const bool plausible = okFirst && okLast && first <= last;
        const qsizetype covered = plausible ? qsizetype(last - first + 1) : 1;
        const qint64 rowId = q.value(0).toLongLong();
        if (plan.cutFrom) {
            plan.cutRows.append(rowId);
            plan.cutCount += covered;
            plan.cutLast = qMax(plan.cutLast, plausible ? last : first);
            continue;
        }
        QString why;
        if (!plausible || first != expected) {
            why = first > expected ? QStringLiteral("sequence %1 is missing").arg(expected)
                                   : QStringLiteral("a row out of order");
        } else {
            const QByteArray payload = q.value(2).toByteArray();
            const quint32 checksum = quint32(q.value(3).toLongLong());
            if (rowChecksum(first, last, payload) != checksum) {
                why = QStringLiteral("checksum mismatch");
            } else if (auto decoded = decodePayload(payload, first, last); !decoded) {
                why = QStringLiteral("undecodable: %1").arg(decoded.errorMessage());
            } else if (decoded->size() != covered || decoded->first().sequence != first ||
                       decoded->last().sequence != last) {
                why = QStringLiteral("the row does not hold the sequences it claims");
            } else {
                for (JournalTransition &t : *decoded) {
                    if (t.sequence != expected) {
                        why = QStringLiteral("the row does not hold the sequences it claims");
                        break;
                    }
                    ++expected;
                }
                if (why.isEmpty()) {
                    for (JournalTransition &t : *decoded)
                        plan.rows.append({t.sequence, std::move(t.transition.changes)});
                    continue;
                }
                expected = first; // nothing of this row is kept
            }
        }
        plan.cutFrom = expected;
        plan.cutReason = why;
        plan.cutRows.append(rowId);
        plan.cutCount = covered;
        plan.cutFirst = first;
        plan.cutLast = plausible ? last : first;
    }
    if (q.lastError().isValid() && !plan.cutFrom) {
        // The rest of the table cannot be read: everything from here on is lost.
        plan.cutFrom = expected;
        plan.cutReason = QStringLiteral("unreadable (%1)").arg(queryError(q));
        plan.cutUnreadable = true;
    }
    if (plan.cutFrom) {
        QString what;
        if (plan.cutCount == 0)
            what = QStringLiteral("no readable rows");
        else if (plan.cutFirst == plan.cutLast)
            what = QStringLiteral("1 transition (sequence %1)").arg(plan.cutFirst);
        else
            what = QStringLiteral("%1 transitions (sequences %2..%3)")
                       .arg(plan.cutCount)
                       .arg(plan.cutFirst)
                       .arg(plan.cutLast);
        plan.warnings.append(QStringLiteral("the journal is damaged at sequence %1 (%2): "
                                            "dropped %3; they are kept in the table "
                                            "dropped_journal")
                                 .arg(*plan.cutFrom)
                                 .arg(plan.cutReason, what));
    }
    return plan;
}

Result<void> applyRestorePlan(Engine &engine, const RestorePlan &plan,
                              const std::function<Result<void>()> &beforeCommit)
{
    if (plan.isEmpty())
        return beforeCommit();
    quint64 counter = plan.snapshot ? snapshotObjectCounter(*plan.snapshot) : 0;
    const auto apply = [&](ReplayScope &scope) {
        if (plan.snapshot) {
            try {
                restoreSnapshot(engine, *plan.snapshot);
            } catch (const std::exception &e) {
                throw Error(QStringLiteral("the snapshot at sequence %1 cannot be restored: %2")
                                .arg(plan.base)
                                .arg(QString::fromUtf8(e.what())));
            }
        }
        for (const RestorePlan::Row &row : plan.rows) {
            for (const Change &c : row.changes) {
                // Ids the host made ("0_17") must not be handed out again.
                if (c.topicName == names::objects && c.type == ChangeType::Add &&
                    c.key.startsWith(QLatin1String("0_")))
                    counter = qMax(counter, c.key.mid(2).toULongLong());
                try {
                    scope.apply(c);
                } catch (const std::exception &e) {
                    throw Error(QStringLiteral("journal sequence %1 cannot be applied: %2")
                                    .arg(row.sequence)
                                    .arg(QString::fromUtf8(e.what())));
                }
            }
        }
    };
    if (Result<void> replayed = replay(&engine, apply, beforeCommit); !replayed)
        return replayed;
    engine.raiseObjectIdCounter(counter);
    return {};
}

Result<void> cutJournal(QSqlDatabase &db, const RestorePlan &plan)
{
    const auto fail = [](const QSqlQuery &q) {
        return Error(ErrorCode::Io,
                     QStringLiteral("cutting the damaged journal failed (%1)").arg(queryError(q)));
    };
    const QString now = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
    for (const qint64 row : plan.cutRows) {
        QSqlQuery keep(db);
        keep.prepare(QStringLiteral(
            "INSERT INTO dropped_journal (sequence, last_sequence, transitions, checksum, reason, "
            "dropped_at) SELECT sequence, last_sequence, transitions, checksum, ?, ? FROM journal "
            "WHERE sequence = ?"));
        keep.bindValue(0, plan.cutReason);
        keep.bindValue(1, now);
        keep.bindValue(2, row);
        if (!keep.exec()) {
            // A row too damaged to copy is only deleted.
            qCWarning(lcStorage).noquote()
                << "a damaged journal row could not be kept:" << queryError(keep);
        }
        QSqlQuery del(db);
        del.prepare(QStringLiteral("DELETE FROM journal WHERE sequence = ?"));
        del.bindValue(0, row);
        if (!del.exec())
            return fail(del);
    }
    if (plan.cutUnreadable) {
        QSqlQuery del(db);
        del.prepare(QStringLiteral("DELETE FROM journal WHERE sequence >= ?"));
        del.bindValue(0, *plan.cutFrom);
        if (!del.exec())
            return fail(del);
    }
    for (const quint64 sequence : plan.damagedSnapshots) {
        QSqlQuery del(db);
        del.prepare(QStringLiteral("DELETE FROM snapshots WHERE sequence = ?"));
        del.bindValue(0, sequence);
        if (!del.exec())
            return fail(del);
    }
    return {};
}

Result<void> commitJournalCut(QSqlDatabase &db, const RestorePlan &plan)
{
    Result<void> cut = cutJournal(db, plan);
    if (cut && db.commit())
        return {};
    if (cut)
        cut = Error(ErrorCode::Io,
                    QStringLiteral("cutting the damaged journal failed (%1)").arg(sqlError(db)));
    db.rollback();
    return cut;
}

} // namespace objectsync::storage
