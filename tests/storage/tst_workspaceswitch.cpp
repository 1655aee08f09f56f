// SPDX-License-Identifier: MIT
// Workspace::switchTo(): a running engine continues in another workspace file whose content
// replaces its own, in one transition that a mirror can replay; bad files change nothing.
#include "storagetestutil.h"

#include <objectsync/workspace.h>

#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

using namespace objectsync;
using namespace storagetest;

namespace {

/*! What a file was made with: its object tree (with the root's tags) and plain topics. */
struct Made
{
    QJsonObject tree;
    QByteArray state;
};

/*! Makes a workspace at \a path with \a fill and returns what it holds. */
Made makeFile(const QString &path, const std::function<void(Engine &)> &fill,
              bool withFolders = true)
{
    Engine e;
    e.registerType<Note>();
    if (withFolders)
        e.registerType<Folder>();
    Workspace ws(&e);
    if (const Result<void> opened = ws.open(path); !opened)
        qFatal("%s", qPrintable(opened.errorMessage()));
    fill(e);
    ws.setValue(QStringLiteral("next_client_id"), 9);
    ws.close();
    return {e.serialize(e.root()), state(e)};
}

/*! The content "b" files hold: folders with notes, edited values, plain topics, tags. */
void fillB(Engine &e)
{
    auto *folder = e.createObject<Folder>(nullptr, {}, {{QStringLiteral("notes"), 3}});
    auto *note = e.createObject<Note>(folder);
    note->text->set(QStringLiteral("from b"));
    note->count->set(42);
    note->addTag(QStringLiteral("b-note"));
    e.root()->addTag(QStringLiteral("b-root"));
    e.addTopic<IntTopic>(QStringLiteral("counter"), 7);
    e.addTopic<StringTopic>(QStringLiteral("only_b"), QStringLiteral("b"));
    e.addTopic(QStringLiteral("ping"), TopicType::Event);
    e.createObject<Note>()->x->set(2.5);
}

/*! Mirrors every transition \a source commits by replaying it, as a client would. */
class Mirror
{
public:
    explicit Mirror(Engine &source)
    {
        registerTypes(engine);
        QObject::connect(&source, &Engine::transitionCommitted, &engine,
                         [this](const TransitionPtr &t) { engine.replay(*t); });
    }
    Engine engine;
};

} // namespace

class TstWorkspaceSwitch : public QObject
{
    Q_OBJECT
private slots:
    void init() { QVERIFY(m_dir.isValid()); }

    void replacesTheContentAndContinuesInTheNewFile()
    {
        const QString a = m_dir.filePath(QStringLiteral("a.osw"));
        const QString b = m_dir.filePath(QStringLiteral("b.osw"));
        const Made madeB = makeFile(b, fillB);

        Engine engine;
        registerTypes(engine);
        Mirror mirror(engine);
        Workspace ws(&engine);
        VERIFY_OK(ws.open(a));
        auto *mine = engine.createObject<Note>();
        mine->text->set(QStringLiteral("from a"));
        engine.root()->addTag(QStringLiteral("a-root"));
        engine.addTopic<IntTopic>(QStringLiteral("counter"), 1)->add(1);
        engine.addTopic<IntTopic>(QStringLiteral("only_a"), 5);
        int pings = 0;
        engine.addTopic<EventTopic>(QStringLiteral("ping"))->on([&](const QJsonObject &) {
            ++pings;
        });
        ws.setValue(QStringLiteral("next_client_id"), 4);
        QVERIFY(engine.canUndo());
        QVERIFY(ws.flush());
        const QByteArray beforeA = state(engine);

        QList<TransitionPtr> committed;
        connect(&engine, &Engine::transitionCommitted, this,
                [&](const TransitionPtr &t) { committed.append(t); });
        VERIFY_OK(ws.switchTo(b));
        QVERIFY(ws.isOpen());
        QCOMPARE(ws.path(), QFileInfo(b).absoluteFilePath());
        QVERIFY(ws.warnings().isEmpty());

        // One transition, of kind Redo, that a mirror replays to the same state.
        QCOMPARE(committed.size(), 1);
        const TransitionPtr t = committed.first();
        QCOMPARE(t->kind, TransitionKind::Redo);
        QCOMPARE(state(mirror.engine), state(engine));
        QVERIFY(ws.durableSequence() >= t->sequence);
        // The history spoke of objects that are gone.
        QVERIFY(!engine.canUndo());

        // The objects and tags are the file's; its plain topics have its values; plain
        // topics it does not hold stay; event handlers stay attached.
        QCOMPARE(engine.serialize(engine.root()), madeB.tree);
        QCOMPARE(engine.topic(QStringLiteral("counter"))->value().toInt(), 7);
        QCOMPARE(engine.topic(QStringLiteral("only_b"))->value().toString(), QStringLiteral("b"));
        QCOMPARE(engine.topic(QStringLiteral("only_a"))->value().toInt(), 5);
        engine.topicAs<EventTopic>(QStringLiteral("ping"))->emitEvent();
        QCOMPARE(pings, 1);
        QCOMPARE(ws.value(QStringLiteral("next_client_id")).toInt(), 9);

        // Restored objects follow their behaviours; new ids do not clash with the file's.
        auto *restored = engine.objectAs<Note>(engine.root()->children().last()->id());
        QVERIFY(restored);
        restored->count->set(6);
        QCOMPARE(restored->twice->get(), 12);
        for (int i = 0; i < 8; ++i)
            engine.createObject<Note>();
        const QByteArray afterB = state(engine);
        QCOMPARE(state(mirror.engine), afterB);
        ws.close();

        // The new file holds everything since the switch, the old one what it had.
        for (const auto &[file, expected] : {std::pair{b, afterB}, std::pair{a, beforeA}}) {
            Engine check;
            registerTypes(check);
            Workspace wc(&check);
            VERIFY_OK(wc.open(file));
            QVERIFY(wc.warnings().isEmpty());
            QCOMPARE(state(check), expected);
        }
    }

    void worksWithoutAnOpenWorkspace()
    {
        const QString b = m_dir.filePath(QStringLiteral("b2.osw"));
        const Made madeB = makeFile(b, fillB);
        Engine engine;
        registerTypes(engine);
        engine.createObject<Folder>();
        Workspace ws(&engine);
        QVERIFY(!ws.isOpen());
        VERIFY_OK(ws.switchTo(b));
        QVERIFY(ws.isOpen());
        QCOMPARE(engine.serialize(engine.root()), madeB.tree);
        engine.topicAs<IntTopic>(QStringLiteral("counter"))->add(1);
        ws.close();
        Engine check;
        registerTypes(check);
        Workspace wc(&check);
        QVERIFY(wc.open(b));
        QCOMPARE(state(check), state(engine));
    }

    void switchingToTheOpenFileDoesNothing()
    {
        const QString a = m_dir.filePath(QStringLiteral("same.osw"));
        Engine engine;
        registerTypes(engine);
        Workspace ws(&engine);
        QVERIFY(ws.open(a));
        engine.createObject<Note>();
        QSignalSpy committed(&engine, &Engine::transitionCommitted);
        QVERIFY(ws.switchTo(a));
        QCOMPARE(committed.size(), 0);
        QCOMPARE(engine.root()->children().size(), 1);
    }

    void damagedJournalTailIsCut()
    {
        // A file as a crash leaves it (no snapshot yet), then its last journal row damaged.
        const QString live = m_dir.filePath(QStringLiteral("live.osw"));
        const QString b = m_dir.filePath(QStringLiteral("damaged.osw"));
        QByteArray expected;
        {
            Engine e;
            registerTypes(e);
            Workspace ws(&e);
            QVERIFY(ws.open(live));
            auto *note = e.createObject<Note>();
            QVERIFY(ws.flush());
            expected = state(e);
            note->count->set(5); // the row that will be damaged
            QVERIFY(ws.flush());
            for (const char *suffix : {"", "-wal"})
                QVERIFY(QFile::copy(live + QLatin1String(suffix), b + QLatin1String(suffix)));
        }
        {
            QSqlDatabase db =
                QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("damage"));
            db.setDatabaseName(b);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("UPDATE journal SET checksum = checksum + 1 WHERE "
                                          "sequence = (SELECT MAX(sequence) FROM journal)")));
            q.finish();
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("damage"));

        Engine engine;
        registerTypes(engine);
        engine.createObject<Folder>();
        Workspace ws(&engine);
        VERIFY_OK(ws.switchTo(b));
        QCOMPARE(ws.warnings().size(), 1);
        QVERIFY2(ws.warnings().first().contains(QStringLiteral("checksum mismatch")),
                 qPrintable(ws.warnings().first()));
        QCOMPARE(state(engine), expected);
        ws.close();
        Engine check;
        registerTypes(check);
        Workspace wc(&check);
        QVERIFY(wc.open(b));
        QVERIFY(wc.warnings().isEmpty()); // the damaged row was moved away
        QCOMPARE(state(check), expected);
    }

    void badFilesChangeNothing_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<int>("code"); // an ErrorCode; -1: the engine's own
        QTest::newRow("missing") << "missing"
                                 << "does not exist" << int(ErrorCode::NotFound);
        QTest::newRow("empty") << "empty"
                               << "is empty" << int(ErrorCode::Corrupt);
        QTest::newRow("text") << "text"
                              << "not an SQLite database" << int(ErrorCode::Corrupt);
        QTest::newRow("other database") << "database"
                                        << "no meta table" << int(ErrorCode::Corrupt);
        QTest::newRow("empty database") << "tables"
                                        << "without tables" << int(ErrorCode::Corrupt);
        QTest::newRow("unknown type") << "type"
                                      << "Folder" << -1;
        QTest::newRow("topic type")
            << "topic"
            << "is a int topic here and a string topic" << int(ErrorCode::Refused);
        QTest::newRow("in use") << "inuse"
                                << "in use" << int(ErrorCode::Conflict);
    }

    void badFilesChangeNothing()
    {
        QFETCH(QString, kind);
        QFETCH(QString, reason);
        QFETCH(int, code);
        const QString a = m_dir.filePath(kind + QStringLiteral("-a.osw"));
        const QString bad = m_dir.filePath(kind + QStringLiteral("-bad.osw"));
        std::unique_ptr<Engine> otherEngine;
        std::unique_ptr<Workspace> otherUser;
        if (kind == QLatin1String("empty") || kind == QLatin1String("text")) {
            QFile f(bad);
            QVERIFY(f.open(QIODevice::WriteOnly));
            if (kind == QLatin1String("text"))
                f.write("not a workspace at all\n");
        } else if (kind == QLatin1String("database") || kind == QLatin1String("tables")) {
            {
                QSqlDatabase db =
                    QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("other"));
                db.setDatabaseName(bad);
                QVERIFY(db.open());
                QSqlQuery q(db);
                QVERIFY(q.exec(kind == QLatin1String("database")
                                   ? QStringLiteral("CREATE TABLE notes (text TEXT)")
                                   : QStringLiteral("PRAGMA user_version = 3")));
                q.finish();
                db.close();
            }
            QSqlDatabase::removeDatabase(QStringLiteral("other"));
        } else if (kind == QLatin1String("type")) {
            makeFile(bad, fillB);
        } else if (kind == QLatin1String("topic")) {
            makeFile(bad, [](Engine &e) {
                e.addTopic<StringTopic>(QStringLiteral("counter"), QStringLiteral("seven"));
            });
        } else if (kind == QLatin1String("inuse")) {
            makeFile(bad, fillB);
            otherEngine = std::make_unique<Engine>();
            registerTypes(*otherEngine);
            otherUser = std::make_unique<Workspace>(otherEngine.get());
            QVERIFY(otherUser->open(bad));
        }
        const QByteArray badHash = fileHash(bad);

        Engine engine;
        engine.registerType<Note>(); // no Folder: "type" cannot be restored
        Mirror mirror(engine);
        Workspace ws(&engine);
        QVERIFY(ws.open(a));
        auto *note = engine.createObject<Note>();
        engine.addTopic<IntTopic>(QStringLiteral("counter"), 3);
        QVERIFY(ws.flush());
        const QByteArray before = state(engine);
        QSignalSpy committed(&engine, &Engine::transitionCommitted);
        QSignalSpy failed(&ws, &Workspace::failed);

        const Result<void> switched = ws.switchTo(bad);
        QVERIFY(!switched);
        QVERIFY2(switched.errorMessage().contains(reason), qPrintable(switched.errorMessage()));
        if (code >= 0)
            QCOMPARE(int(switched.error().code()), code);
        QCOMPARE(committed.size(), 0);
        QCOMPARE(failed.size(), 0);
        QCOMPARE(state(engine), before);
        QCOMPARE(fileHash(bad), badHash);
        QVERIFY(!QFile::exists(bad + QStringLiteral(".lock")) || kind == QLatin1String("inuse"));
        if (kind == QLatin1String("missing"))
            QVERIFY(!QFile::exists(bad));

        // The current file goes on as before.
        QVERIFY(ws.isOpen());
        QCOMPARE(ws.path(), QFileInfo(a).absoluteFilePath());
        note->count->set(77);
        const QByteArray after = state(engine);
        QCOMPARE(state(mirror.engine), after);
        ws.close();
        Engine check;
        check.registerType<Note>();
        Workspace wc(&check);
        VERIFY_OK(wc.open(a));
        QCOMPARE(state(check), after);
    }

private:
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TstWorkspaceSwitch)
#include "tst_workspaceswitch.moc"
