// SPDX-License-Identifier: MIT
// The host with a workspace: the scene is built only into a new workspace, the objects and
// the plugins' topics come back after a restart, and plugins hear that the host started.
#include "core/host.h"
#include "core/pluginmanager.h"

#include <objectsync/engine.h>

#include <QtTest>

using namespace objectsync;

class TstHostWorkspace : public QObject
{
    Q_OBJECT
private slots:
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
            QCOMPARE(host.prepare(options), QString());
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
            QCOMPARE(host.prepare(options), QString());
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
        const QString error = host.prepare(options);
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
        QVERIFY(host.prepare(options).contains(QStringLiteral("unknown scene \"nope\"")));
        QVERIFY(!host.hasWorkspace());
        QVERIFY(!QFile::exists(options.workspace));
    }
};

QTEST_GUILESS_MAIN(TstHostWorkspace)
#include "tst_hostworkspace.moc"
