// SPDX-License-Identifier: MIT
// Workspaces: journal, snapshots and restore into a fresh engine.
#include "sqltestutil.h"
#include "storagetestutil.h"

#include "checksum.h"
#include "journalcodec.h"

#include <objectsync/workspace.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>
#include <ctime>

using namespace objectsync;
using namespace storagetest;

namespace {

/*! Copies a workspace as a crash would leave it: the database and its WAL, while open. */
void crashImage(const QString &from, const QString &to)
{
    for (const char *suffix : {"", "-wal"}) {
        QFile::remove(to + QLatin1String(suffix));
        if (QFile::exists(from + QLatin1String(suffix)))
            QVERIFY(QFile::copy(from + QLatin1String(suffix), to + QLatin1String(suffix)));
    }
}

/*! Folds a workspace's WAL into its database file, as SQLite does when the last
 *  connection closes, so that the file alone can be compared byte for byte. */
void foldWal(const QString &path)
{
    withSql(path,
            [](QSqlDatabase &db) { exec(db, QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)")); });
}

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
            QString error;
            const auto decoded =
                storage::decodeRow(read.value(2).toByteArray(), first, last, &error);
            QVERIFY2(decoded, qPrintable(error));
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

qint64 countRows(const QString &path, const QString &table)
{
    return scalar(path, QStringLiteral("SELECT COUNT(*) FROM ") + table);
}

/*! How many transitions a workspace's journal holds. */
qint64 countTransitions(const QString &path)
{
    return scalar(path, QStringLiteral("SELECT TOTAL(last_sequence - sequence + 1) FROM journal"));
}

/*! Makes a little of everything: objects made by code and by create_object, children
 *  made by build(), every change type, plain topics, tags, moves, destruction, undo and
 *  redo, and a refused transition. */
void makeHistory(Engine &e)
{
    auto *folder = e.createObject<Folder>(nullptr, {}, {{QStringLiteral("notes"), 2}});
    auto *note = e.createObject<Note>();
    note->text->insert(5, QStringLiteral(", world"));
    note->text->remove(0, 1);
    note->count->add(4);
    note->x->add(0.25);
    note->style->add(QStringLiteral("color"), QStringLiteral("red"));
    note->style->add(QStringLiteral("border"), 1);
    note->style->changeValue(QStringLiteral("border"), 2);
    note->style->pop(QStringLiteral("color"));
    note->items->append(1);
    note->items->append(QJsonObject{{QStringLiteral("k"), QJsonArray{1, 2}}});
    note->items->insert(0, QStringLiteral("first"));
    note->items->pop(1);
    note->marks->append(QStringLiteral("a"));
    note->marks->append(QStringLiteral("b"));
    note->marks->remove(QStringLiteral("a"));
    note->extra->set(QJsonObject{{QStringLiteral("big"), qint64(1) << 60}});
    note->addTag(QStringLiteral("pinned"));
    e.root()->addTag(QStringLiteral("root-tag"));

    auto *counter = e.addTopic<IntTopic>(QStringLiteral("counter"), 3);
    counter->add(39);
    auto *title = e.addTopic<StringTopic>(QStringLiteral("title"), QStringLiteral("board"));
    title->insert(0, QStringLiteral("my "));
    e.addTopic<DictTopic>(QStringLiteral("settings"))->add(QStringLiteral("zoom"), 2);
    e.addTopic<GenericTopic>(QStringLiteral("gone"), 1);
    e.removeTopic(QStringLiteral("gone"));
    e.addTopic(QStringLiteral("ping"), TopicType::Event);

    // Through the create_object and destroy_object events, as a client does.
    auto *create = e.topicAs<EventTopic>(QStringLiteral("create_object"));
    create->emitEvent({{QStringLiteral("type"), QStringLiteral("Note")},
                       {QStringLiteral("parent_id"), folder->id()},
                       {QStringLiteral("id"), QStringLiteral("3_1")}});
    create->emitEvent(
        {{QStringLiteral("type"), QStringLiteral("Folder")},
         {QStringLiteral("id"), QStringLiteral("3_2")},
         {QStringLiteral("build_kwargs"), QJsonObject{{QStringLiteral("notes"), 1}}}});
    e.objectAs<Note>(QStringLiteral("3_1"))->count->set(10);
    e.moveObject(note, folder);
    e.topicAs<EventTopic>(QStringLiteral("destroy_object"))
        ->emitEvent({{QStringLiteral("id"), QStringLiteral("3_2")}});
    {
        auto t = e.transaction(7, QStringLiteral("act-1"));
        note->count->set(100);
        note->text->set(QStringLiteral("replaced"));
    }
    QVERIFY(e.undo().isEmpty());
    QVERIFY(e.undo().isEmpty());
    QVERIFY(e.redo().isEmpty());
    const QString refused = e.tryTransition([&] {
        note->count->set(5);
        note->style->pop(QStringLiteral("missing")); // refused: the whole transition goes
    });
    QVERIFY(!refused.isEmpty());
    auto *doomed = e.createObject<Note>(folder);
    e.destroyObject(doomed);
}

} // namespace

class TstWorkspace : public QObject
{
    Q_OBJECT
private slots:
    void init() { QVERIFY(m_dir.isValid()); }

    void newWorkspace()
    {
        const QString path = m_dir.filePath(QStringLiteral("new/ws.osw"));
        Engine e;
        {
            Workspace ws(&e);
            QVERIFY2(ws.open(path), qPrintable(ws.errorString()));
            QVERIFY(ws.isOpen());
            QVERIFY(ws.isNew());
            QCOMPARE(ws.path(), QFileInfo(path).absoluteFilePath());
            QVERIFY(ws.warnings().isEmpty());
            QVERIFY(QFile::exists(path));
            QVERIFY(QFile::exists(path + QStringLiteral(".lock")));
        }
        QVERIFY(!QFile::exists(path + QStringLiteral(".lock")));
        Engine e2;
        Workspace ws2(&e2);
        QVERIFY2(ws2.open(path), qPrintable(ws2.errorString()));
        QVERIFY(!ws2.isNew());
        QCOMPARE(e2.objectCount(), 1);
    }

    void emptyFileIsNew()
    {
        const QString path = m_dir.filePath(QStringLiteral("empty.osw"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        Engine e;
        Workspace ws(&e);
        QVERIFY2(ws.open(path), qPrintable(ws.errorString()));
        QVERIFY(ws.isNew());
    }

    void journalRestoresEverything()
    {
        const QString path = m_dir.filePath(QStringLiteral("journal.osw"));
        const QString image = m_dir.filePath(QStringLiteral("journal-image.osw"));
        Engine a;
        registerTypes(a);
        Workspace ws(&a);
        ws.setSnapshotInterval(0);
        QVERIFY2(ws.open(path), qPrintable(ws.errorString()));
        quint64 last = 0;
        connect(&a, &Engine::transitionCommitted, this,
                [&last](const TransitionPtr &t) { last = t->sequence; });
        makeHistory(a);
        QVERIFY(ws.flush());
        QCOMPARE(ws.durableSequence(), last);
        crashImage(path, image); // no snapshot: only the journal
        QCOMPARE(countRows(image, QStringLiteral("snapshots")), 0);
        QVERIFY(countTransitions(image) > 20);
        QCOMPARE(countRows(image, QStringLiteral("journal")), 1); // one event-loop turn

        Engine b;
        registerTypes(b);
        Workspace wb(&b);
        QVERIFY2(wb.open(image), qPrintable(wb.errorString()));
        QVERIFY(!wb.isNew());
        QVERIFY(wb.warnings().isEmpty());
        QCOMPARE(state(b), state(a));
        // Restoring ran neither build() nor behaviours again.
        const auto *folder = b.root()->children().at(0);
        QCOMPARE(folder->typeName(), QStringLiteral("Folder"));
        QCOMPARE(folder->children().size(), 4); // 2 built, 3_1, the moved note
        // Undo history starts empty.
        QVERIFY(!b.canUndo());
        // Restored objects work: the behaviour is attached again.
        auto *note = b.objectAs<Note>(QStringLiteral("3_1"));
        QVERIFY(note);
        note->count->set(21);
        QCOMPARE(note->twice->get(), 42);
        // New host-made ids do not repeat ids used before the restart.
        const QString fresh = b.newObjectId();
        QVERIFY(!a.objectIds().contains(fresh));
        QVERIFY(fresh.mid(2).toULongLong() > 6);
    }

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
            QVERIFY2(ws.open(image), qPrintable(ws.errorString()));
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
        QVERIFY2(ws.open(path), qPrintable(ws.errorString()));
        QVERIFY(ws.warnings().isEmpty());
        QCOMPARE(state(e), after);
    }

    void snapshotOnCloseRestores()
    {
        const QString path = m_dir.filePath(QStringLiteral("closed.osw"));
        Engine a;
        registerTypes(a);
        QByteArray before;
        {
            Workspace ws(&a);
            QVERIFY2(ws.open(path), qPrintable(ws.errorString()));
            makeHistory(a);
            before = state(a);
        } // close(): snapshot
        QCOMPARE(countRows(path, QStringLiteral("snapshots")), 1);
        QVERIFY(!QFile::exists(path + QStringLiteral("-wal")));
        Engine b;
        registerTypes(b);
        Workspace wb(&b);
        QVERIFY2(wb.open(path), qPrintable(wb.errorString()));
        QCOMPARE(state(b), before);
    }

    void snapshotPlusJournal()
    {
        const QString path = m_dir.filePath(QStringLiteral("compact.osw"));
        const QString image = m_dir.filePath(QStringLiteral("compact-image.osw"));
        Engine a;
        registerTypes(a);
        Workspace ws(&a);
        ws.setSnapshotInterval(5);
        QVERIFY2(ws.open(path), qPrintable(ws.errorString()));
        auto *note = a.createObject<Note>();
        for (int i = 0; i < 40; ++i) {
            note->count->add(1); // two changes: count, then twice by the behaviour
            note->text->insert(0, QString::number(i % 10));
            QCoreApplication::processEvents(); // one commit per turn
        }
        auto *counter = a.addTopic<IntTopic>(QStringLiteral("counter"));
        counter->set(9);
        QVERIFY(ws.flush());
        QVERIFY(ws.snapshot());
        note->items->append(QStringLiteral("after the snapshot"));
        counter->add(1);
        QVERIFY(ws.flush());
        crashImage(path, image);
        // Compaction keeps the newest two snapshots and the rows after the older one.
        QCOMPARE(countRows(image, QStringLiteral("snapshots")), 2);
        QVERIFY(countTransitions(image) < 20);
        QVERIFY(countRows(image, QStringLiteral("journal")) > 1);

        Engine b;
        registerTypes(b);
        Workspace wb(&b);
        QVERIFY2(wb.open(image), qPrintable(wb.errorString()));
        QVERIFY(wb.warnings().isEmpty());
        QCOMPARE(state(b), state(a));
        // String topics keep working after restore (versions are consistent).
        auto *restored = b.objectAs<Note>(note->id());
        restored->text->insert(0, QStringLiteral("x"));
        QVERIFY(restored->text->get().startsWith(QStringLiteral("x")));
    }

    void durableSignal()
    {
        const QString path = m_dir.filePath(QStringLiteral("durable.osw"));
        Engine e;
        Workspace ws(&e);
        ws.setDurability(Workspace::Durability::ProcessCrash);
        QVERIFY2(ws.open(path), qPrintable(ws.errorString()));
        QSignalSpy spy(&ws, &Workspace::durable);
        quint64 last = 0;
        connect(&e, &Engine::transitionCommitted, this,
                [&last](const TransitionPtr &t) { last = t->sequence; });
        auto *n = e.addTopic<IntTopic>(QStringLiteral("n"));
        for (int i = 0; i < 10; ++i)
            n->add(1);
        QVERIFY(ws.durableSequence() < last); // not yet written
        QTRY_COMPARE(ws.durableSequence(), last);
        QVERIFY(!spy.isEmpty());
        QCOMPARE(spy.last().at(0).toULongLong(), last);
        // Batched: fewer commits than transitions.
        QVERIFY(spy.size() < 11);
        // flush() makes it durable before returning and emits durable().
        n->add(1);
        spy.clear();
        QVERIFY(ws.flush());
        QCOMPARE(ws.durableSequence(), last);
        QCOMPARE(spy.size(), 1);
        QCOMPARE(spy.at(0).at(0).toULongLong(), last);
    }

    void turnByTurnCommitsBecomeDurableThenIdle()
    {
        // One transition per event-loop turn (the engine's thread reads the writer's
        // progress at each turn while they go on): once the turns go quiet, the last ones
        // still become durable without flush(), and nothing keeps running.
        const QString path = m_dir.filePath(QStringLiteral("turns.osw"));
        Engine e;
        Workspace ws(&e);
        ws.setDurability(Workspace::Durability::ProcessCrash);
        QVERIFY2(ws.open(path), qPrintable(ws.errorString()));
        quint64 last = 0;
        connect(&e, &Engine::transitionCommitted, this,
                [&last](const TransitionPtr &t) { last = t->sequence; });
        auto *n = e.addTopic<IntTopic>(QStringLiteral("n"));
        for (int i = 0; i < 300; ++i) {
            n->add(1);
            QCoreApplication::processEvents();
        }
        QTRY_COMPARE(ws.durableSequence(), last);

        // Idle: neither the event loop nor the writer spins. Busy, this would take about
        // as much CPU time as the wait.
        timespec before{}, after{};
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &before);
        QTest::qWait(500);
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &after);
        const double cpu =
            double(after.tv_sec - before.tv_sec) + double(after.tv_nsec - before.tv_nsec) * 1e-9;
        QVERIFY2(cpu < 0.25, qPrintable(QStringLiteral("%1 s of CPU while idle").arg(cpu)));
        QCOMPARE(countTransitions(path), qint64(last));
    }

    void sequencesContinueAcrossRestarts()
    {
        const QString path = m_dir.filePath(QStringLiteral("continue.osw"));
        for (int run = 0; run < 3; ++run) {
            Engine e;
            Workspace ws(&e);
            ws.setSnapshotInterval(run == 1 ? 2 : 0);
            QVERIFY2(ws.open(path), qPrintable(ws.errorString()));
            auto *n = e.topicAs<IntTopic>(QStringLiteral("n"));
            if (!n)
                n = e.addTopic<IntTopic>(QStringLiteral("n"));
            QCOMPARE(n->get(), run * 5);
            for (int i = 0; i < 5; ++i)
                n->add(1);
            QVERIFY(ws.flush());
            if (run == 1) {
                const QString image = m_dir.filePath(QStringLiteral("continue-image.osw"));
                crashImage(path, image);
                Engine check;
                Workspace wc(&check);
                QVERIFY2(wc.open(image), qPrintable(wc.errorString()));
                QCOMPARE(check.topicAs<IntTopic>(QStringLiteral("n"))->get(), 10);
            }
        }
    }

    void nestedCommitsAnnouncedOutOfOrder()
    {
        // A receiver connected before the workspace commits a transition while another is
        // being announced: the workspace then sees the newer one first.
        const QString path = m_dir.filePath(QStringLiteral("nested.osw"));
        const QString image = m_dir.filePath(QStringLiteral("nested-image.osw"));
        Engine a;
        auto *n = a.addTopic<IntTopic>(QStringLiteral("n"));
        auto *echo = a.addTopic<IntTopic>(QStringLiteral("echo"));
        connect(&a, &Engine::transitionCommitted, this, [&](const TransitionPtr &t) {
            if (t->changes.first().topicName == QLatin1String("n") && n->get() % 3 == 0)
                echo->set(n->get());
        });
        Workspace ws(&a);
        ws.setSnapshotInterval(0);
        QVERIFY2(ws.open(path), qPrintable(ws.errorString()));
        for (int i = 0; i < 10; ++i) {
            n->add(1);
            QCoreApplication::processEvents();
        }
        QVERIFY(ws.flush());
        QCOMPARE(ws.durableSequence(), quint64(a.topicAs<IntTopic>(QStringLiteral("n"))->get() +
                                               3 /* echoes */ + 2 /* topics */));
        crashImage(path, image);
        Engine b;
        Workspace wb(&b);
        QVERIFY2(wb.open(image), qPrintable(wb.errorString()));
        QCOMPARE(state(b), state(a));
        QCOMPARE(b.topicAs<IntTopic>(QStringLiteral("echo"))->get(), 9);
    }

    void refusesEngineWithState()
    {
        const QString path = m_dir.filePath(QStringLiteral("busy.osw"));
        {
            Engine a;
            Workspace ws(&a);
            QVERIFY(ws.open(path));
            a.addTopic<IntTopic>(QStringLiteral("n"), 1);
        }
        const QByteArray hash = fileHash(path);
        Engine b;
        registerTypes(b);
        b.createObject<Note>();
        const QByteArray before = state(b);
        Workspace wb(&b);
        QVERIFY(!wb.open(path));
        QVERIFY2(wb.errorString().contains(QStringLiteral("already holds")),
                 qPrintable(wb.errorString()));
        QVERIFY(!wb.isOpen());
        QCOMPARE(state(b), before);
        QCOMPARE(fileHash(path), hash);
    }

    void refusesUnknownTypeAndChangesNothing()
    {
        const QString path = m_dir.filePath(QStringLiteral("types.osw"));
        const QString image = m_dir.filePath(QStringLiteral("types-image.osw"));
        for (const bool fromSnapshot : {true, false}) {
            QFile::remove(path);
            {
                Engine a;
                registerTypes(a);
                Workspace ws(&a);
                QVERIFY(ws.open(path));
                a.addTopic<IntTopic>(QStringLiteral("n"), 1);
                a.createObject<Note>();
                QVERIFY(ws.flush());
                crashImage(path, image);
            }
            const QString file = fromSnapshot ? path : image;
            foldWal(file);
            const QByteArray hash = fileHash(file);
            Engine b; // no types registered: Note is unknown
            const QByteArray before = state(b);
            Workspace wb(&b);
            QVERIFY(!wb.open(file));
            QVERIFY2(wb.errorString().contains(QStringLiteral("Note")),
                     qPrintable(wb.errorString()));
            QCOMPARE(state(b), before);
            QCOMPARE(fileHash(file), hash);
            QVERIFY(!QFile::exists(file + QStringLiteral(".lock")));
            // With the type it opens.
            registerTypes(b);
            QVERIFY2(wb.open(file), qPrintable(wb.errorString()));
            QCOMPARE(b.root()->children().size(), 1);
        }
    }

    void refusesSecondUser()
    {
        const QString path = m_dir.filePath(QStringLiteral("shared.osw"));
        Engine a, b;
        Workspace wa(&a), wb(&b);
        QVERIFY(wa.open(path));
        QVERIFY(!wb.open(path));
        QVERIFY2(wb.errorString().contains(QStringLiteral("in use")), qPrintable(wb.errorString()));
        QVERIFY(!wa.open(path)); // already open
        wa.close();
        QVERIFY2(wb.open(path), qPrintable(wb.errorString()));
    }

    void refusesInsideTransition()
    {
        Engine e;
        Workspace ws(&e);
        bool opened = true;
        const QString error = e.tryTransition([&] {
            e.addTopic<IntTopic>(QStringLiteral("n"));
            opened = ws.open(m_dir.filePath(QStringLiteral("tx.osw")));
        });
        QVERIFY(error.isEmpty());
        QVERIFY(!opened);
        QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("tx.osw"))));
    }

    void stateBeforeOpeningBecomesFirstSnapshot()
    {
        const QString path = m_dir.filePath(QStringLiteral("late.osw"));
        const QString image = m_dir.filePath(QStringLiteral("late-image.osw"));
        Engine a;
        registerTypes(a);
        makeHistory(a);
        Workspace ws(&a);
        QVERIFY2(ws.open(path), qPrintable(ws.errorString()));
        QVERIFY(ws.isNew());
        a.addTopic<IntTopic>(QStringLiteral("later"), 5);
        QVERIFY(ws.flush());
        crashImage(path, image);
        Engine b;
        registerTypes(b);
        Workspace wb(&b);
        QVERIFY2(wb.open(image), qPrintable(wb.errorString()));
        QCOMPARE(state(b), state(a));
    }

    void saveAs()
    {
        const QString first = m_dir.filePath(QStringLiteral("first.osw"));
        const QString second = m_dir.filePath(QStringLiteral("sub/second.osw"));
        Engine a;
        registerTypes(a);
        makeHistory(a);
        Workspace ws(&a);
        // A host without a workspace saves: it has one from then on.
        QVERIFY2(ws.saveAs(first), qPrintable(ws.errorString()));
        QVERIFY(ws.isOpen());
        QVERIFY(!ws.isNew());
        auto *n = a.addTopic<IntTopic>(QStringLiteral("n"), 1);
        QVERIFY(ws.flush());
        const QByteArray atFirst = state(a);
        // Save as another file: later changes go there; the first keeps what it had.
        QVERIFY2(ws.saveAs(second), qPrintable(ws.errorString()));
        QCOMPARE(ws.path(), QFileInfo(second).absoluteFilePath());
        n->add(1);
        ws.close();
        const QByteArray atSecond = state(a);
        QVERIFY(atFirst != atSecond);
        for (const auto &[file, expected] :
             {std::pair{first, atFirst}, std::pair{second, atSecond}}) {
            Engine b;
            registerTypes(b);
            Workspace wb(&b);
            QVERIFY2(wb.open(file), qPrintable(wb.errorString()));
            QCOMPARE(state(b), expected);
        }
        // Saving over an existing workspace replaces it.
        Engine c;
        c.addTopic<IntTopic>(QStringLiteral("only"), 3);
        Workspace wc(&c);
        QVERIFY2(wc.saveAs(first), qPrintable(wc.errorString()));
        wc.close();
        Engine d;
        Workspace wd(&d);
        QVERIFY2(wd.open(first), qPrintable(wd.errorString()));
        QCOMPARE(state(d), state(c));
    }

    void values()
    {
        const QString path = m_dir.filePath(QStringLiteral("values.osw"));
        {
            Engine e;
            Workspace ws(&e);
            QVERIFY(ws.open(path));
            QVERIFY(ws.value(QStringLiteral("next_client")).isUndefined());
            ws.setValue(QStringLiteral("next_client"), 12);
            ws.setValue(QStringLiteral("name"), QStringLiteral("board"));
            ws.setValue(QStringLiteral("next_client"), 13);
            QVERIFY(ws.flush());
            QCOMPARE(ws.value(QStringLiteral("next_client")).toInt(), 13);
        }
        Engine e;
        Workspace ws(&e);
        QVERIFY(ws.open(path));
        QCOMPARE(ws.value(QStringLiteral("next_client")).toInt(), 13);
        QCOMPARE(ws.value(QStringLiteral("name")).toString(), QStringLiteral("board"));
        ws.close();
        // Values set before a new workspace is opened go into it.
        const QString fresh = m_dir.filePath(QStringLiteral("values-new.osw"));
        {
            Engine e2;
            Workspace w2(&e2);
            w2.setValue(QStringLiteral("early"), true);
            QVERIFY(w2.open(fresh));
        }
        Engine e3;
        Workspace w3(&e3);
        QVERIFY(w3.open(fresh));
        QCOMPARE(w3.value(QStringLiteral("early")), QJsonValue(true));
    }

    void engineDestroyedFirst()
    {
        const QString path = m_dir.filePath(QStringLiteral("orphan.osw"));
        auto *e = new Engine;
        Workspace ws(e);
        QVERIFY(ws.open(path));
        e->addTopic<IntTopic>(QStringLiteral("n"), 4);
        delete e; // pending rows are written, no snapshot is attempted
        QVERIFY(!ws.isOpen());
        Engine b;
        Workspace wb(&b);
        QVERIFY2(wb.open(path), qPrintable(wb.errorString()));
        QCOMPARE(b.topicAs<IntTopic>(QStringLiteral("n"))->get(), 4);
    }

    void defaultPath()
    {
        QVERIFY(Workspace::defaultPath().endsWith(QStringLiteral("/workspace.osw")));
    }

private:
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TstWorkspace)
#include "tst_workspace.moc"
