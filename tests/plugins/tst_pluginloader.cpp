// SPDX-License-Identifier: MIT
// Loading plugins: the good one loads; each broken one is refused with its reason while the
// others load; nothing of a refused plugin reaches the engine.
#include "core/pluginmanager.h"

#include <objectsync/engine.h>
#include <objectsync/error.h>
#include <objectsync/plugin.h>

#include <QtTest>
#include <string>

using namespace objectsync;

namespace {

const QString goodDir = QStringLiteral(OBJECTSYNC_TEST_PLUGIN_DIR "/good");
const QString brokenDir = QStringLiteral(OBJECTSYNC_TEST_PLUGIN_DIR "/broken");

/*! The entry of the plugin file whose name contains \a part. */
PluginInfo entry(const PluginManager &manager, const QString &part)
{
    for (const PluginInfo &p : manager.plugins())
        if (QFileInfo(p.fileName).fileName().contains(part))
            return p;
    return {};
}

} // namespace

class TstPluginLoader : public QObject
{
    Q_OBJECT
private slots:
    void goodAndBrokenPlugins()
    {
        Engine engine;
        PluginManager manager(&engine);
        QSignalSpy changed(&manager, &PluginManager::pluginsChanged);
        QCOMPARE(manager.loadDirectories({goodDir, brokenDir}), 1);
        QCOMPARE(manager.plugins().size(), 6);
        QCOMPARE(changed.size(), 6);

        const PluginInfo good = entry(manager, QStringLiteral("goodplugin"));
        QCOMPARE(good.state, PluginInfo::State::Loaded);
        QCOMPARE(good.id, QStringLiteral("good"));
        QCOMPARE(good.version, QStringLiteral("2.3.4"));
        QCOMPARE(good.apiVersion, ApiVersion);
        QVERIFY(good.error.isEmpty());
        QCOMPARE(good.types, QStringList{QStringLiteral("GoodWidget")});
        QCOMPARE(good.scenes, QStringList{QStringLiteral("good")});
        QVERIFY(QFileInfo(good.fileName).isAbsolute());

        const struct
        {
            const char *file;
            PluginInfo::State state;
            std::string reason;
        } expected[] = {
            {"notaplugin", PluginInfo::State::Refused, "not a Qt plugin"},
            {"wrongiid", PluginInfo::State::Refused,
             "not an ObjectSync object-type plugin (its interface is "
             "\"org.example.SomethingElse/1.0\""},
            {"wrongapi", PluginInfo::State::Refused,
             "built for engine API version 99, but this host provides version " +
                 std::to_string(ApiVersion)},
            {"duplicatetype", PluginInfo::State::Refused,
             "object type \"GoodWidget\" is already registered by plugin \"good\""},
            {"failinginit", PluginInfo::State::Failed,
             "initialisation failed: the licence file is missing"},
        };
        for (const auto &e : expected) {
            const PluginInfo p = entry(manager, QString::fromLatin1(e.file));
            QVERIFY2(!p.fileName.isEmpty(), e.file);
            QCOMPARE(p.state, e.state);
            QVERIFY2(p.error.contains(QString::fromStdString(e.reason)), qPrintable(p.error));
            QVERIFY(p.types.isEmpty());
        }

        // Only the good plugin's contributions reached the engine.
        QVERIFY(engine.hasType(QStringLiteral("GoodWidget")));
        for (const char *type :
             {"WrongIidThing", "WrongApiThing", "DuplicateOwnThing", "FailingThing"})
            QVERIFY2(!engine.hasType(QString::fromLatin1(type)), type);
        QVERIFY(engine.hasService(QStringLiteral("good/echo")));
        QVERIFY(!engine.hasService(QStringLiteral("duplicate/hello")));
        QVERIFY(engine.topic(QStringLiteral("good/clients")));
        QVERIFY(!engine.topic(QStringLiteral("failing/topic")));
        QCOMPARE(manager.sceneNames(), QStringList{QStringLiteral("good")});
        QVERIFY(manager.plugin(QStringLiteral("good")));
        QVERIFY(!manager.plugin(QStringLiteral("failinginit")));

        // The loaded plugin's type works.
        SObject *widget = engine.createObject(QStringLiteral("GoodWidget"));
        QCOMPARE(widget->frontendType(), QStringLiteral("widget"));
        QCOMPARE(widget->attribute(QStringLiteral("size"))->value().toInt(), 1);
    }

    void servicesOfObjectsAreListed()
    {
        // Found without any object of the type existing, and without running its build().
        Engine engine;
        PluginManager manager(&engine);
        const PluginInfo good = manager.loadFile(entryFile(QStringLiteral("goodplugin")));
        QVERIFY(good.isLoaded());
        QCOMPARE(good.objectServices, QStringList{QStringLiteral("<GoodWidget>/grow")});
        QCOMPARE(engine.objectCount(), 1); // the root alone: nothing was made in this engine
    }

    void typedArgumentsOfAnObjectService()
    {
        Engine engine;
        PluginManager manager(&engine);
        QVERIFY(manager.loadFile(entryFile(QStringLiteral("goodplugin"))).isLoaded());
        SObject *widget = engine.createObject(QStringLiteral("GoodWidget"));
        const QString grow = widget->id() + QStringLiteral("/grow");
        QCOMPARE(engine.callService(grow, {{QStringLiteral("by"), 2}}, 3), QJsonValue(3));
        QString why;
        try {
            engine.callService(grow, {{QStringLiteral("by"), QStringLiteral("a lot")}}, 3);
        } catch (const Error &e) {
            why = e.message();
        }
        QCOMPARE(why, QStringLiteral("argument \"by\" must be a whole number, not a string"));
        QCOMPARE(widget->attribute(QStringLiteral("size"))->value().toInt(), 3);
    }

    void brokenAloneStillLeavesAWorkingEngine()
    {
        Engine engine;
        PluginManager manager(&engine);
        QCOMPARE(manager.loadDirectories({brokenDir}), 1);
        // Without the good plugin the duplicate fits, and loads.
        QCOMPARE(entry(manager, QStringLiteral("duplicatetype")).state, PluginInfo::State::Loaded);
        QVERIFY(engine.hasType(QStringLiteral("GoodWidget")));
        QVERIFY(engine.hasService(QStringLiteral("duplicate/hello")));
        QCOMPARE(entry(manager, QStringLiteral("failinginit")).state, PluginInfo::State::Failed);
    }

    void sameFileTwiceIsOneEntry()
    {
        Engine engine;
        PluginManager manager(&engine);
        const QString file = entryFile(QStringLiteral("goodplugin"));
        QVERIFY(manager.loadFile(file).isLoaded());
        QVERIFY(manager.loadFile(file).isLoaded());
        QCOMPARE(manager.loadDirectories({goodDir, goodDir}), 0);
        QCOMPARE(manager.plugins().size(), 1);
    }

    void sameIdFromAnotherFileIsRefused()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString copy = dir.filePath(QStringLiteral("libanothercopy.so"));
        QVERIFY(QFile::copy(entryFile(QStringLiteral("goodplugin")), copy));
        Engine engine;
        PluginManager manager(&engine);
        QCOMPARE(manager.loadDirectories({goodDir, dir.path()}), 1);
        const PluginInfo second = entry(manager, QStringLiteral("anothercopy"));
        QCOMPARE(second.state, PluginInfo::State::Refused);
        QVERIFY2(
            second.error.contains(QStringLiteral("a plugin with id \"good\" is already loaded")),
            qPrintable(second.error));
    }

    void missingFilesAndDirectories()
    {
        Engine engine;
        PluginManager manager(&engine);
        QCOMPARE(manager.loadDirectories({QStringLiteral("/nonexistent/objectsync/plugins")}), 0);
        QVERIFY(manager.plugins().isEmpty());
        const PluginInfo missing = manager.loadFile(QStringLiteral("/nonexistent/libnothing.so"));
        QCOMPARE(missing.state, PluginInfo::State::Failed);
        QVERIFY(missing.error.contains(QStringLiteral("does not exist")));
    }

    void servicesEventsAndTopics()
    {
        Engine engine;
        PluginManager manager(&engine);
        QVERIFY(manager.loadFile(entryFile(QStringLiteral("goodplugin"))).isLoaded());
        const QJsonObject args{{QStringLiteral("x"), 1}};
        QCOMPARE(engine.callService(QStringLiteral("good/echo"), args), QJsonValue(args));
        // A transition opened by a service is the calling client's.
        QCOMPARE(engine.callService(QStringLiteral("good/origin"), {}, 9).toInt(), 9);

        // The event's forward handler runs on emit and redo, the inverse on undo.
        auto *ping = engine.topicAs<EventTopic>(QStringLiteral("good/ping"));
        QVERIFY(ping);
        ping->emitEvent();
        ping->emitEvent();
        QCOMPARE(engine.callService(QStringLiteral("good/pings"), {}).toInt(), 2);
        QCOMPARE(engine.undo().errorMessage(), QString());
        QCOMPARE(engine.callService(QStringLiteral("good/pings"), {}).toInt(), 1);
        QCOMPARE(engine.redo().errorMessage(), QString());
        QCOMPARE(engine.callService(QStringLiteral("good/pings"), {}).toInt(), 2);

        // The plain topic is not stateful: its changes are not undone.
        Topic *clients = engine.topic(QStringLiteral("good/clients"));
        QVERIFY(clients && !clients->isStateful());
    }

    void clientCallbacksKnowTheClient()
    {
        Engine engine;
        PluginManager manager(&engine);
        QVERIFY(manager.loadFile(entryFile(QStringLiteral("goodplugin"))).isLoaded());
        QList<TransitionPtr> committed;
        connect(&engine, &Engine::transitionCommitted, this,
                [&](const TransitionPtr &t) { committed.append(t); });
        manager.clientConnected(4, QStringLiteral("127.0.0.1:5000"));
        manager.clientDisconnected(4);
        const QJsonArray log = engine.topic(QStringLiteral("good/clients"))->value().toArray();
        QCOMPARE(log.size(), 2);
        QCOMPARE(log.at(0)[QStringLiteral("event")].toString(), QStringLiteral("connected"));
        QCOMPARE(log.at(0)[QStringLiteral("client")].toInt(), 4);
        QCOMPARE(log.at(0)[QStringLiteral("origin")].toInt(), 4);
        QCOMPARE(log.at(0)[QStringLiteral("address")].toString(), QStringLiteral("127.0.0.1:5000"));
        QCOMPARE(log.at(1)[QStringLiteral("event")].toString(), QStringLiteral("disconnected"));
        QCOMPARE(log.at(1)[QStringLiteral("origin")].toInt(), 4);
        QCOMPARE(committed.size(), 2);
        QCOMPARE(committed.at(0)->origin, 4);
    }

    void scenes()
    {
        Engine engine;
        PluginManager manager(&engine);
        QVERIFY(manager.loadFile(entryFile(QStringLiteral("goodplugin"))).isLoaded());
        QCOMPARE(manager.sceneOwner(QStringLiteral("good")), QStringLiteral("good"));
        QCOMPARE(manager.sceneDescription(QStringLiteral("good")), QStringLiteral("one widget"));

        const QString unknown = manager.buildScene(QStringLiteral("nope")).errorMessage();
        QVERIFY2(unknown.contains(QStringLiteral("unknown scene \"nope\" (available: good)")),
                 qPrintable(unknown));
        QCOMPARE(engine.root()->children().size(), 0);

        QCOMPARE(manager.buildScene(QStringLiteral("good")).errorMessage(), QString());
        QCOMPARE(engine.root()->children().size(), 1);
        QCOMPARE(
            engine.root()->children().first()->attribute(QStringLiteral("size"))->value().toInt(),
            7);
        // The scene is the starting point: not undoable.
        QVERIFY(!engine.canUndo());

        // Only a new, empty workspace gets a scene.
        const QString again = manager.buildScene(QStringLiteral("good")).errorMessage();
        QVERIFY2(again.contains(QStringLiteral("not empty")), qPrintable(again));
        QCOMPARE(engine.root()->children().size(), 1);
    }

private:
    static QString entryFile(const QString &part)
    {
        const QDir dir(part == QLatin1String("goodplugin") ? goodDir : brokenDir);
        for (const QString &f : dir.entryList(QDir::Files))
            if (f.contains(part))
                return dir.absoluteFilePath(f);
        return {};
    }
};

QTEST_GUILESS_MAIN(TstPluginLoader)
#include "tst_pluginloader.moc"
