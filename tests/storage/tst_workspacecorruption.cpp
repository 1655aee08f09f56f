// SPDX-License-Identifier: MIT
// Damaged and foreign files: refused with a clear message and left alone, or a damaged
// journal tail cut with a warning while everything before it is kept.
#include "sqltestutil.h"
#include "storagetestutil.h"

#include <objectsync/workspace.h>

#include "storage/checksum.h"

#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

using namespace objectsync;
using namespace storagetest;

namespace {

/*! Moves everything in the WAL into the database file. */
void foldWal(const QString &path)
{
    withSql(path,
            [](QSqlDatabase &db) { exec(db, QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)")); });
}

QByteArray marker(int step)
{
    return "MARK-" + QByteArray::number(step) + "-xyzzy";
}

/*! A workspace after \a steps single-change transitions, each in a commit of its own,
 *  copied as a crash leaves it (database and WAL). Journal sequence 1 created the note;
 *  sequence k + 1 is step k. */
struct History
{
    QList<QByteArray> states; //!< states[k]: after step k (states[0]: after the creation)
    QList<qint64> walSizes;   //!< WAL size after each of those commits
};

History buildHistory(const QString &path, const QString &image, int steps, int snapshotInterval = 0)
{
    History h;
    Engine e;
    registerTypes(e);
    Workspace ws(&e);
    ws.setSnapshotInterval(snapshotInterval);
    ws.setDurability(Workspace::Durability::ProcessCrash);
    if (!ws.open(path))
        return h;
    auto *note = e.createObject<Note>();
    const auto record = [&] {
        if (const Result<void> flushed = ws.flush(); !flushed)
            qWarning() << "flushing failed:" << flushed.errorMessage();
        h.states.append(state(e));
        h.walSizes.append(QFileInfo(path + QStringLiteral("-wal")).size());
    };
    record();
    for (int k = 1; k <= steps; ++k) {
        note->text->set(QString::fromLatin1(marker(k)));
        record();
    }
    for (const char *suffix : {"", "-wal"}) {
        QFile::remove(image + QLatin1String(suffix));
        QFile::copy(path + QLatin1String(suffix), image + QLatin1String(suffix));
    }
    return h;
}

/*! Flips one byte inside every copy of \a needle in the file. */
int flipInFile(const QString &path, const QByteArray &needle)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadWrite))
        return 0;
    QByteArray bytes = f.readAll();
    int n = 0;
    for (qsizetype at = bytes.indexOf(needle); at >= 0; at = bytes.indexOf(needle, at + 1)) {
        bytes[at + needle.size() - 2] = 'Q'; // "xyzzy" -> "xyzQy"
        ++n;
    }
    f.seek(0);
    f.write(bytes);
    return n;
}

struct Opened
{
    bool ok = false;
    QString error;
    QStringList warnings;
    QByteArray state;
};

Opened openIn(const QString &path, bool withTypes = true)
{
    Opened o;
    Engine e;
    if (withTypes)
        registerTypes(e);
    Workspace ws(&e);
    const Result<void> opened = ws.open(path);
    o.ok = opened.ok();
    o.error = opened.errorMessage();
    o.warnings = ws.warnings();
    o.state = state(e);
    return o;
}

} // namespace

class TstWorkspaceCorruption : public QObject
{
    Q_OBJECT
private slots:
    void init() { QVERIFY(m_dir.isValid()); }

    // ---- foreign files: refused, untouched ----------------------------------------------

    void refusesRandomBytes()
    {
        const QString path = m_dir.filePath(QStringLiteral("random.osw"));
        QRandomGenerator rng(20240611);
        QByteArray bytes(4096, Qt::Uninitialized);
        for (char &c : bytes)
            c = char(rng.bounded(256));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(bytes);
        f.close();
        const QByteArray hash = fileHash(path);
        Engine e;
        const QByteArray before = state(e);
        Workspace ws(&e);
        const Result<void> opened = ws.open(path);
        QVERIFY(!opened);
        QVERIFY2(opened.errorMessage().contains(QStringLiteral("not an ObjectSync workspace")),
                 qPrintable(opened.errorMessage()));
        QVERIFY(!ws.isOpen());
        QCOMPARE(fileHash(path), hash);
        QCOMPARE(state(e), before);
        QVERIFY(!QFile::exists(path + QStringLiteral("-wal")));
        QVERIFY(!QFile::exists(path + QStringLiteral(".lock")));
    }

    void refusesBrokenSqlite()
    {
        const QString path = m_dir.filePath(QStringLiteral("broken.osw"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray("SQLite format 3\0", 16) + QByteArray(200, '\x7f'));
        f.close();
        const QByteArray hash = fileHash(path);
        Engine e;
        Workspace ws(&e);
        const Result<void> opened = ws.open(path);
        QVERIFY(!opened);
        QVERIFY2(opened.errorMessage().contains(QStringLiteral("refused")),
                 qPrintable(opened.errorMessage()));
        QCOMPARE(fileHash(path), hash);
    }

    void refusesSqliteWithoutMeta()
    {
        const QString path = m_dir.filePath(QStringLiteral("other.db"));
        withSql(path, [](QSqlDatabase &db) {
            exec(db, QStringLiteral("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)"));
            exec(db, QStringLiteral("INSERT INTO notes (body) VALUES ('keep me')"));
        });
        const QByteArray hash = fileHash(path);
        Engine e;
        Workspace ws(&e);
        const Result<void> opened = ws.open(path);
        QVERIFY(!opened);
        QVERIFY2(opened.errorMessage().contains(QStringLiteral("no meta table")),
                 qPrintable(opened.errorMessage()));
        QCOMPARE(fileHash(path), hash);
        QVERIFY(!QFile::exists(path + QStringLiteral("-wal")));
        QCOMPARE(scalar(path, QStringLiteral("SELECT COUNT(*) FROM notes")), 1);
    }

    void refusesForeignMeta()
    {
        const QString path = m_dir.filePath(QStringLiteral("meta.db"));
        withSql(path, [](QSqlDatabase &db) {
            exec(db, QStringLiteral("CREATE TABLE meta (key TEXT, value TEXT)"));
            exec(db, QStringLiteral("INSERT INTO meta VALUES ('format', 'something-else')"));
        });
        const QByteArray hash = fileHash(path);
        Engine e;
        Workspace ws(&e);
        const Result<void> opened = ws.open(path);
        QVERIFY(!opened);
        QVERIFY2(opened.errorMessage().contains(QStringLiteral("does not mark it")),
                 qPrintable(opened.errorMessage()));
        QCOMPARE(fileHash(path), hash);
    }

    void refusesNewerFormat()
    {
        const QString path = m_dir.filePath(QStringLiteral("future.osw"));
        {
            Engine e;
            Workspace ws(&e);
            QVERIFY(ws.open(path));
        }
        withSql(path, [](QSqlDatabase &db) {
            exec(db, QStringLiteral("UPDATE meta SET value = '99' WHERE key = 'format_version'"));
        });
        const QByteArray hash = fileHash(path);
        const Opened o = openIn(path);
        QVERIFY(!o.ok);
        QVERIFY2(o.error.contains(QStringLiteral("newer")), qPrintable(o.error));
        QCOMPARE(fileHash(path), hash);
    }

    void refusesFolder()
    {
        Engine e;
        Workspace ws(&e);
        const Result<void> opened = ws.open(m_dir.path());
        QVERIFY(!opened);
        QVERIFY(!opened.errorMessage().isEmpty());
        QVERIFY(ws.errorString().isEmpty()); // only failures of writing go there
    }

    // ---- damaged journal: cut with a warning --------------------------------------------

    void flippedByteInLastRow()
    {
        const QString path = m_dir.filePath(QStringLiteral("flip-last.osw"));
        const QString image = m_dir.filePath(QStringLiteral("flip-last-image.osw"));
        const History h = buildHistory(path, image, 6);
        QCOMPARE(h.states.size(), 7);
        foldWal(image);
        QVERIFY(!QFile::exists(image + QStringLiteral("-wal")));
        QCOMPARE(flipInFile(image, marker(6)), 1);

        Engine e;
        registerTypes(e);
        Workspace ws(&e);
        VERIFY_OK(ws.open(image));
        QCOMPARE(ws.warnings().size(), 1);
        const QString w = ws.warnings().first();
        QVERIFY2(w.contains(QStringLiteral("sequence 7")) &&
                     w.contains(QStringLiteral("checksum")) &&
                     w.contains(QStringLiteral("1 transition")),
                 qPrintable(w));
        QCOMPARE(state(e), h.states[5]); // everything before the damaged row
        // The host keeps going: new transitions follow the last good one.
        auto *note = static_cast<Note *>(e.root()->children().first());
        note->text->set(QStringLiteral("after repair"));
        const QByteArray after = state(e);
        ws.close();
        QCOMPARE(scalar(image, QStringLiteral("SELECT COUNT(*) FROM dropped_journal")), 1);
        QCOMPARE(scalar(image, QStringLiteral("SELECT sequence FROM dropped_journal")), 7);
        const Opened again = openIn(image);
        QVERIFY2(again.ok, qPrintable(again.error));
        QVERIFY(again.warnings.isEmpty());
        QCOMPARE(again.state, after);
    }

    void flippedByteInMiddleRow()
    {
        const QString path = m_dir.filePath(QStringLiteral("flip-mid.osw"));
        const QString image = m_dir.filePath(QStringLiteral("flip-mid-image.osw"));
        const History h = buildHistory(path, image, 9);
        foldWal(image);
        QCOMPARE(flipInFile(image, marker(3)), 1); // sequence 4
        const Opened o = openIn(image);
        QVERIFY2(o.ok, qPrintable(o.error));
        QCOMPARE(o.warnings.size(), 1);
        QVERIFY2(o.warnings.first().contains(QStringLiteral("7 transitions (sequences 4..10)")),
                 qPrintable(o.warnings.first()));
        QCOMPARE(o.state, h.states[2]);
        QCOMPARE(scalar(image, QStringLiteral("SELECT COUNT(*) FROM dropped_journal")), 7);
        QCOMPARE(scalar(image, QStringLiteral("SELECT MAX(sequence) FROM journal")), 3);
    }

    void missingSequence()
    {
        const QString path = m_dir.filePath(QStringLiteral("gap.osw"));
        const QString image = m_dir.filePath(QStringLiteral("gap-image.osw"));
        const History h = buildHistory(path, image, 6);
        withSql(image, [](QSqlDatabase &db) {
            exec(db, QStringLiteral("DELETE FROM journal WHERE sequence = 4"));
        });
        const Opened o = openIn(image);
        QVERIFY2(o.ok, qPrintable(o.error));
        QCOMPARE(o.warnings.size(), 1);
        QVERIFY2(o.warnings.first().contains(QStringLiteral("sequence 4 is missing")) &&
                     o.warnings.first().contains(QStringLiteral("3 transitions (sequences 5..7)")),
                 qPrintable(o.warnings.first()));
        QCOMPARE(o.state, h.states[2]);
    }

    void truncatedWal()
    {
        const QString path = m_dir.filePath(QStringLiteral("wal.osw"));
        const QString image = m_dir.filePath(QStringLiteral("wal-image.osw"));
        const QString cut = m_dir.filePath(QStringLiteral("wal-cut.osw"));
        const History h = buildHistory(path, image, 8);
        QCOMPARE(h.walSizes.size(), 9);
        for (const int k : {7, 4, 1}) {
            // Tear the WAL in the middle of the commit of step k + 1.
            QVERIFY(h.walSizes[k + 1] > h.walSizes[k]);
            for (const char *suffix : {"", "-wal"}) {
                QFile::remove(cut + QLatin1String(suffix));
                QVERIFY(QFile::copy(image + QLatin1String(suffix), cut + QLatin1String(suffix)));
            }
            QFile wal(cut + QStringLiteral("-wal"));
            QVERIFY(wal.resize((h.walSizes[k] + h.walSizes[k + 1]) / 2));
            const Opened o = openIn(cut);
            QVERIFY2(o.ok, qPrintable(o.error));
            QCOMPARE(o.state, h.states[k]); // every complete commit, nothing of the torn one
        }
    }

    void damagedSnapshotFallsBack()
    {
        const QString path = m_dir.filePath(QStringLiteral("snap.osw"));
        const QString image = m_dir.filePath(QStringLiteral("snap-image.osw"));
        const History h = buildHistory(path, image, 10, 3);
        QCOMPARE(scalar(image, QStringLiteral("SELECT COUNT(*) FROM snapshots")), 2);
        withSql(image, [](QSqlDatabase &db) {
            exec(db, QStringLiteral("UPDATE snapshots SET checksum = checksum + 1 WHERE sequence = "
                                    "(SELECT MAX(sequence) FROM snapshots)"));
        });
        const Opened o = openIn(image);
        QVERIFY2(o.ok, qPrintable(o.error));
        QCOMPARE(o.warnings.size(), 1);
        QVERIFY2(o.warnings.first().contains(QStringLiteral("snapshot")),
                 qPrintable(o.warnings.first()));
        QCOMPARE(o.state, h.states.last()); // nothing lost: the older snapshot and the rows
        QCOMPARE(scalar(image, QStringLiteral("SELECT COUNT(*) FROM snapshots")), 1);
    }

    void everySnapshotDamagedIsRefused()
    {
        const QString path = m_dir.filePath(QStringLiteral("lost.osw"));
        const QString image = m_dir.filePath(QStringLiteral("lost-image.osw"));
        buildHistory(path, image, 10, 2);
        withSql(image, [](QSqlDatabase &db) {
            exec(db, QStringLiteral("UPDATE snapshots SET checksum = checksum + 1"));
        });
        QVERIFY(scalar(image, QStringLiteral("SELECT MIN(sequence) FROM journal")) > 1);
        const QByteArray hash = fileHash(image);
        Engine e;
        registerTypes(e);
        const QByteArray before = state(e);
        Workspace ws(&e);
        const Result<void> opened = ws.open(image);
        QVERIFY(!opened);
        QVERIFY2(opened.errorMessage().contains(QStringLiteral("snapshot is damaged")),
                 qPrintable(opened.errorMessage()));
        QCOMPARE(state(e), before);
        QCOMPARE(fileHash(image), hash);
    }

    void replacedPayloadIsCut()
    {
        // A payload replaced by other valid JSON no longer matches its checksum.
        const QString path = m_dir.filePath(QStringLiteral("garbage.osw"));
        const QString image = m_dir.filePath(QStringLiteral("garbage-image.osw"));
        const History h = buildHistory(path, image, 3);
        withSql(image, [](QSqlDatabase &db) {
            exec(db,
                 QStringLiteral("UPDATE journal SET transitions = X'5B7B7D5D' WHERE sequence = 3"));
        });
        const Opened o = openIn(image);
        QVERIFY2(o.ok, qPrintable(o.error));
        QCOMPARE(o.warnings.size(), 1);
        QCOMPARE(o.state, h.states[1]);
    }

    void forgedRowWithValidChecksumIsCut()
    {
        // A row that verifies but does not hold what its columns claim (a faulty writer).
        const QString path = m_dir.filePath(QStringLiteral("forged.osw"));
        const QString image = m_dir.filePath(QStringLiteral("forged-image.osw"));
        const History h = buildHistory(path, image, 4);
        const QByteArray payload = R"([{"s":9,"c":[]}])";
        const qint64 checksum = storage::rowChecksum(3, 3, payload);
        withSql(image, [&](QSqlDatabase &db) {
            QSqlQuery q(db);
            q.prepare(QStringLiteral(
                "UPDATE journal SET transitions = ?, checksum = ? WHERE sequence = 3"));
            q.bindValue(0, payload);
            q.bindValue(1, checksum);
            QVERIFY(q.exec());
        });
        const Opened o = openIn(image);
        QVERIFY2(o.ok, qPrintable(o.error));
        QCOMPARE(o.warnings.size(), 1);
        QVERIFY2(o.warnings.first().contains(QStringLiteral("does not hold")),
                 qPrintable(o.warnings.first()));
        QCOMPARE(o.state, h.states[1]);
    }

private:
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TstWorkspaceCorruption)
#include "tst_workspacecorruption.moc"
