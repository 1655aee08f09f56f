// SPDX-License-Identifier: MIT
// Workspaces: a file whose journal rows are JSON, as format 1 wrote them, restores from those
// rows and is upgraded by the first new row.
#include "workspacetestutil.h"

#include "storage/checksum.h"
#include "storage/journalcodec.h"

#include <objectsync/workspace.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

using namespace objectsync;
using namespace storagetest;

namespace {

/*! A change as format 1 stored it: a JSON object with short keys, defaults left out. */
QJsonObject changeAsFormatOne(const Change &c)
{
    QJsonObject o{{QStringLiteral("n"), c.topicName},
                  {QStringLiteral("t"), topicTypeName(c.topicType)},
                  {QStringLiteral("c"), changeTypeName(c.type)}};
    const std::pair<const char *, QString> strings[] = {{"i", c.id},
                                                        {"k", c.key},
                                                        {"x", c.text},
                                                        {"tv", c.topicVersion},
                                                        {"rv", c.resultTopicVersion}};
    for (const auto &[key, value] : strings)
        if (!value.isEmpty())
            o.insert(QLatin1String(key), value);
    if (c.position != 0)
        o.insert(QStringLiteral("p"), c.position);
    if (!c.value.isNull())
        o.insert(QStringLiteral("v"), c.value);
    return o;
}

/*! Rewrites every journal row of \a path as format 1 wrote it (JSON, with its checksum)
 *  and marks the file as format 1. Returns how many rows were rewritten. */
int convertToFormatOne(const QString &path)
{
    int rows = 0;
    withSql(path, [&](QSqlDatabase &db) {
        QSqlQuery read(db);
        QVERIFY(
            read.exec(QStringLiteral("SELECT sequence, last_sequence, transitions FROM journal")));
        QList<std::tuple<quint64, quint64, QByteArray>> converted;
        while (read.next()) {
            const quint64 first = read.value(0).toULongLong();
            const quint64 last = read.value(1).toULongLong();
            const auto decoded = storage::decodeRow(read.value(2).toByteArray(), first, last);
            QVERIFY2(decoded, qPrintable(decoded.errorMessage()));
            QJsonArray transitions;
            for (const storage::JournalTransition &jt : *decoded) {
                QJsonObject t{{QStringLiteral("s"), qint64(jt.sequence)}};
                if (jt.transition.origin != 0)
                    t.insert(QStringLiteral("o"), jt.transition.origin);
                if (!jt.transition.actionId.isEmpty())
                    t.insert(QStringLiteral("a"), jt.transition.actionId);
                if (jt.transition.kind != TransitionKind::Forward)
                    t.insert(QStringLiteral("k"), jt.transition.kind == TransitionKind::Undo
                                                      ? QStringLiteral("undo")
                                                      : QStringLiteral("redo"));
                QJsonArray changes;
                for (const Change &c : jt.transition.changes)
                    changes.append(changeAsFormatOne(c));
                t.insert(QStringLiteral("c"), changes);
                transitions.append(t);
            }
            converted.append(
                {first, last, QJsonDocument(transitions).toJson(QJsonDocument::Compact)});
        }
        read.finish();
        QSqlQuery write(db);
        write.prepare(
            QStringLiteral("UPDATE journal SET transitions = ?, checksum = ? WHERE sequence = ?"));
        for (const auto &[first, last, json] : converted) {
            write.bindValue(0, json);
            write.bindValue(1, qint64(storage::rowChecksum(first, last, json)));
            write.bindValue(2, first);
            QVERIFY(write.exec());
            ++rows;
        }
        exec(db, QStringLiteral("UPDATE meta SET value = '1' WHERE key = 'format_version'"));
        exec(db, QStringLiteral("PRAGMA user_version = 1"));
    });
    return rows;
}

} // namespace

class TstWorkspaceFormat : public QObject
{
    Q_OBJECT
private slots:
    void init() { QVERIFY(m_dir.isValid()); }

    void formatOneFileIsReadAndUpgraded()
    {
        // A file whose journal rows are JSON, as format 1 wrote them, left by a crash (no
        // snapshot): it restores from those rows, and is marked format 2 once new rows go in.
        const QString path = m_dir.filePath(QStringLiteral("format1-live.osw"));
        const QString image = m_dir.filePath(QStringLiteral("format1.osw"));
        QByteArray before;
        {
            Engine e;
            registerTypes(e);
            Workspace ws(&e);
            ws.setSnapshotInterval(0);
            QVERIFY(ws.open(path));
            makeHistory(e);
            QVERIFY(ws.flush());
            before = state(e);
            crashImage(path, image);
        }
        foldWal(image);
        QCOMPARE(countRows(image, QStringLiteral("snapshots")), 0);
        const int jsonRows = convertToFormatOne(image);
        QVERIFY(jsonRows > 0);
        const QString jsonRowCount = QStringLiteral(
            "SELECT COUNT(*) FROM journal WHERE substr(transitions, 1, 1) = CAST('[' AS BLOB)");
        QCOMPARE(scalar(image, jsonRowCount), jsonRows);

        const QString version =
            QStringLiteral("SELECT value FROM meta WHERE key = 'format_version'");
        QByteArray after;
        {
            Engine e;
            registerTypes(e);
            Workspace ws(&e);
            ws.setSnapshotInterval(0);
            VERIFY_OK(ws.open(image));
            QVERIFY2(ws.warnings().isEmpty(), qPrintable(ws.warnings().join(u'\n')));
            QCOMPARE(state(e), before);
            QCOMPARE(scalar(image, version), 1); // opening alone writes nothing
            auto *counter = e.topicAs<IntTopic>(QStringLiteral("counter"));
            QVERIFY(counter);
            counter->add(1);
            QVERIFY(ws.flush());
            QCOMPARE(scalar(image, version), 2);
            QCOMPARE(scalar(image, QStringLiteral("PRAGMA user_version")), 2);
            QCOMPARE(scalar(image, jsonRowCount), jsonRows); // old rows stay as they were
            QCOMPARE(countTransitions(image), countTransitions(path) + 1);
            after = state(e);
            QVERIFY(after != before);
            crashImage(image, path);
        }
        // Both kinds of rows restore together.
        Engine e;
        registerTypes(e);
        Workspace ws(&e);
        VERIFY_OK(ws.open(path));
        QVERIFY(ws.warnings().isEmpty());
        QCOMPARE(state(e), after);
    }

private:
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TstWorkspaceFormat)
#include "tst_workspaceformat.moc"
