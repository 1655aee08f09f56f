// SPDX-License-Identifier: MIT
// The host with a workspace: the scene is built only into a new workspace, the objects and
// the plugins' topics come back after a restart, plugins hear that the host started, the
// default workspace lives in the data folder, messages wait until they are durable and
// client ids are not handed out twice across restarts.
#include "core/endpoint.h"
#include "core/host.h"
#include "core/pluginmanager.h"

#include <objectsync/client.h>
#include <objectsync/engine.h>
#include <objectsync/server.h>
#include <objectsync/workspace.h>

#include <QSignalSpy>
#include <QtTest>

using namespace objectsync;

namespace {

/*! Connects a client to \a host and waits for its hello; returns its id (0: none). */
int connectClient(Host &host, Client &client)
{
    client.open(QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(host.endpoint()->server()->port())));
    if (!QTest::qWaitFor([&] { return client.state() == Client::State::Connected; }, 10000))
        return 0;
    return client.clientId();
}

} // namespace

class TstHostWorkspace : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        // Never the user's own data folder, also when run outside ctest.
        QVERIFY(m_dataHome.isValid());
        qputenv("XDG_DATA_HOME", QFile::encodeName(m_dataHome.path()));
        QCoreApplication::setApplicationName(QStringLiteral("objectsync-host"));
    }

    void workspaceTheCommandLineAsksFor()
    {
        HostOptions options;
        const QString fallback = Host::workspaceFor(options);
        QCOMPARE(fallback, Workspace::defaultPath());
        QCOMPARE(fallback, m_dataHome.filePath(QStringLiteral("objectsync-host/workspace.osw")));
        options.noWorkspace = true;
        QCOMPARE(Host::workspaceFor(options), QString());
        options.noWorkspace = false;
        options.workspace = QStringLiteral("mine.osw");
        QCOMPARE(Host::workspaceFor(options), QStringLiteral("mine.osw"));
        // A host made in code opens only what its options name.
        Host host;
        QCOMPARE(host.prepare(HostOptions{}).errorMessage(), QString());
        QVERIFY(!host.hasWorkspace());
        QVERIFY(!QFile::exists(fallback));
    }

    void messagesWaitUntilDurable()
    {
        QTemporaryDir dir;
        HostOptions options;
        options.defaultPluginDirs = false;
        options.workspace = dir.filePath(QStringLiteral("durable.osw"));
        Host host;
        QCOMPARE(host.prepare(options).errorMessage(), QString());
        Server *server = host.endpoint()->server();
        Workspace *workspace = host.workspace();
        QVERIFY(server->holdsUntilDurable());
        QCOMPARE(server->durableSequence(), workspace->durableSequence());
        auto *n = host.engine()->addTopic<IntTopic>(QStringLiteral("n"));
        n->set(1);
        n->set(2);
        // The server learns when they are durable.
        QTRY_VERIFY(server->durableSequence() >= 3);
        QCOMPARE(server->durableSequence(), workspace->durableSequence());

        // When the disk fails the host carries on in memory and stops waiting.
        QSignalSpy changed(&host, &Host::workspaceChanged);
        QTest::ignoreMessage(QtCriticalMsg,
                             QRegularExpression(QStringLiteral("stopped writing: disk full")));
        emit workspace->failed(QStringLiteral("disk full"));
        QVERIFY(!server->holdsUntilDurable());
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.at(0).at(0).toString(), QString());

        // Without a workspace nothing is held back.
        Host memory;
        QCOMPARE(memory.prepare(HostOptions{}).errorMessage(), QString());
        QVERIFY(!memory.endpoint()->server()->holdsUntilDurable());
    }

    void clientIdsAreNotReusedAfterRestart()
    {
        QTemporaryDir dir;
        HostOptions options;
        options.port = 0;
        options.serveWeb = false;
        options.defaultPluginDirs = false;
        options.workspace = dir.filePath(QStringLiteral("ids.osw"));
        int highest = 0;
        {
            Host host;
            QCOMPARE(host.start(options).errorMessage(), QString());
            Client a, b, c;
            for (Client *client : {&a, &b, &c})
                highest = qMax(highest, connectClient(host, *client));
            QCOMPARE(highest, 3);
            QCOMPARE(host.workspace()->value(Host::nextClientIdKey()).toInt(), 4);
        }
        for (int restart = 0; restart < 2; ++restart) {
            Host host;
            QCOMPARE(host.start(options).errorMessage(), QString());
            Client client;
            const int id = connectClient(host, client);
            QVERIFY2(id > highest, qPrintable(QString::number(id)));
            highest = id;
        }
        // Save As carries the counter into the new file.
        const QString copy = dir.filePath(QStringLiteral("copy.osw"));
        {
            Host host;
            QCOMPARE(host.start(options).errorMessage(), QString());
            QCOMPARE(host.saveWorkspaceAs(copy).errorMessage(), QString());
        }
        options.workspace = copy;
        Host host;
        QCOMPARE(host.start(options).errorMessage(), QString());
        Client client;
        QVERIFY(connectClient(host, client) > highest);
    }

    void restartKeepsTheObjectsAndSkipsTheScene()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        HostOptions options;
        options.port = 0;
        options.defaultPluginDirs = false;
        options.pluginDirs = {QStringLiteral(OBJECTSYNC_EXAMPLE_PLUGIN_DIR),
                              QStringLiteral(OBJECTSYNC_TEST_PLUGIN_DIR "/good")};
        options.scene = QStringLiteral("taskboard");
        options.workspace = dir.filePath(QStringLiteral("board.osw"));

        QString boardId;
        {
            Host host;
            QCOMPARE(host.prepare(options).errorMessage(), QString());
            QVERIFY(host.hasWorkspace());
            Engine *engine = host.engine();
            QCOMPARE(engine->root()->children().size(), 1);
            boardId = engine->root()->children().first()->id();
            engine->topicAs<StringTopic>(QStringLiteral("a/%1/title").arg(boardId))
                ->set(QStringLiteral("Renamed"));
            // State that must not survive a restart, and state that must.
            host.pluginManager()->clientConnected(3, QStringLiteral("127.0.0.1:1"));
            QVERIFY(engine->topic(QStringLiteral("taskboard/online"))
                        ->value()
                        .toObject()
                        .contains(QStringLiteral("3")));
            engine->topicAs<ListTopic>(QStringLiteral("good/clients"))
                ->append(QStringLiteral("kept"));
        }
        {
            Host host;
            QCOMPARE(host.prepare(options).errorMessage(), QString());
            Engine *engine = host.engine();
            // Restored, and the scene was not built a second time.
            QCOMPARE(engine->root()->children().size(), 1);
            QCOMPARE(engine->root()->children().first()->id(), boardId);
            QCOMPARE(engine->topic(QStringLiteral("a/%1/title").arg(boardId))->value().toString(),
                     QStringLiteral("Renamed"));
            QCOMPARE(engine->root()->children().first()->children().size(), 3);
            // The plugins' topics came back with their values; started() cleared presence.
            QVERIFY(
                engine->topic(QStringLiteral("taskboard/online"))->value().toObject().isEmpty());
            QVERIFY(engine->topic(QStringLiteral("good/clients"))
                        ->value()
                        .toArray()
                        .contains(QStringLiteral("kept")));
            // Event handlers are attached to the restored event topic.
            engine->topicAs<EventTopic>(QStringLiteral("good/ping"))->emitEvent();
            QCOMPARE(engine->callService(QStringLiteral("good/pings"), {}).toInt(), 1);
            // The restored objects follow their rules.
            const QString card =
                engine->root()->children().first()->children().first()->children().first()->id();
            QVERIFY_THROWS_EXCEPTION(
                Error, engine->topicAs<StringTopic>(QStringLiteral("a/%1/title").arg(card))
                           ->set(QString()));
            for (const PluginInfo &p : host.pluginManager()->plugins())
                QVERIFY2(p.error.isEmpty(), qPrintable(p.error));
        }
    }

    void unusableWorkspaceIsAnError()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("not-a-workspace.osw"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("this is not a workspace");
        file.close();
        HostOptions options;
        options.defaultPluginDirs = false;
        options.workspace = path;
        Host host;
        const QString error = host.prepare(options).errorMessage();
        QVERIFY2(error.startsWith(QStringLiteral("cannot open workspace '%1'").arg(path)),
                 qPrintable(error));
    }

    void unknownSceneIsCheckedFirst()
    {
        QTemporaryDir dir;
        HostOptions options;
        options.defaultPluginDirs = false;
        options.pluginDirs = {QStringLiteral(OBJECTSYNC_EXAMPLE_PLUGIN_DIR)};
        options.scene = QStringLiteral("nope");
        options.workspace = dir.filePath(QStringLiteral("w.osw"));
        Host host;
        QVERIFY(host.prepare(options).errorMessage().contains(
            QStringLiteral("unknown scene \"nope\"")));
        QVERIFY(!host.hasWorkspace());
        QVERIFY(!QFile::exists(options.workspace));
    }

private:
    QTemporaryDir m_dataHome;
};

QTEST_GUILESS_MAIN(TstHostWorkspace)
#include "tst_hostworkspace.moc"
