// SPDX-License-Identifier: MIT
// Workspaces: journal, snapshots and restore into a fresh engine.
#include "workspacetestutil.h"

#include <objectsync/workspace.h>

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>
#include <ctime>

using namespace objectsync;
using namespace storagetest;

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
            VERIFY_OK(ws.open(path));
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
        VERIFY_OK(ws2.open(path));
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
        VERIFY_OK(ws.open(path));
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
        VERIFY_OK(ws.open(path));
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
        VERIFY_OK(wb.open(image));
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

    void snapshotOnCloseRestores()
    {
        const QString path = m_dir.filePath(QStringLiteral("closed.osw"));
        Engine a;
        registerTypes(a);
        QByteArray before;
        {
            Workspace ws(&a);
            VERIFY_OK(ws.open(path));
            makeHistory(a);
            before = state(a);
        } // close(): snapshot
        QCOMPARE(countRows(path, QStringLiteral("snapshots")), 1);
        QVERIFY(!QFile::exists(path + QStringLiteral("-wal")));
        Engine b;
        registerTypes(b);
        Workspace wb(&b);
        VERIFY_OK(wb.open(path));
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
        VERIFY_OK(ws.open(path));
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
        VERIFY_OK(wb.open(image));
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
        VERIFY_OK(ws.open(path));
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
        VERIFY_OK(ws.open(path));
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
            VERIFY_OK(ws.open(path));
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
                VERIFY_OK(wc.open(image));
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
        VERIFY_OK(ws.open(path));
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
        VERIFY_OK(wb.open(image));
        QCOMPARE(state(b), state(a));
        QCOMPARE(b.topicAs<IntTopic>(QStringLiteral("echo"))->get(), 9);
    }

    void stateBeforeOpeningBecomesFirstSnapshot()
    {
        const QString path = m_dir.filePath(QStringLiteral("late.osw"));
        const QString image = m_dir.filePath(QStringLiteral("late-image.osw"));
        Engine a;
        registerTypes(a);
        makeHistory(a);
        Workspace ws(&a);
        VERIFY_OK(ws.open(path));
        QVERIFY(ws.isNew());
        a.addTopic<IntTopic>(QStringLiteral("later"), 5);
        QVERIFY(ws.flush());
        crashImage(path, image);
        Engine b;
        registerTypes(b);
        Workspace wb(&b);
        VERIFY_OK(wb.open(image));
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
        VERIFY_OK(ws.saveAs(first));
        QVERIFY(ws.isOpen());
        QVERIFY(!ws.isNew());
        auto *n = a.addTopic<IntTopic>(QStringLiteral("n"), 1);
        QVERIFY(ws.flush());
        const QByteArray atFirst = state(a);
        // Save as another file: later changes go there; the first keeps what it had.
        VERIFY_OK(ws.saveAs(second));
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
            VERIFY_OK(wb.open(file));
            QCOMPARE(state(b), expected);
        }
        // Saving over an existing workspace replaces it.
        Engine c;
        c.addTopic<IntTopic>(QStringLiteral("only"), 3);
        Workspace wc(&c);
        VERIFY_OK(wc.saveAs(first));
        wc.close();
        Engine d;
        Workspace wd(&d);
        VERIFY_OK(wd.open(first));
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
        VERIFY_OK(wb.open(path));
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
