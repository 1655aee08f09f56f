// SPDX-License-Identifier: MIT
// Reading the host's command line.
#include "core/host.h"
#include "core/hostoptions.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace objectsync;

namespace {
HostCommandLine parse(QStringList args)
{
    args.prepend(QStringLiteral("objectsync-host"));
    return parseHostCommandLine(args);
}

/*! A configuration file with \a text in a temporary folder that lives as long as the test. */
QString writeConfig(const QTemporaryDir &dir, const QByteArray &text,
                    const QString &name = QStringLiteral("host.conf"))
{
    const QString path = dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    file.write(text);
    return path;
}
} // namespace

class TstHostOptions : public QObject
{
    Q_OBJECT
private slots:
    void defaults()
    {
        const HostCommandLine cl = parse({});
        QCOMPARE(cl.action, HostCommandLine::Action::Run);
        QCOMPARE(cl.options.port, quint16(8765));
        QCOMPARE(cl.options.address, QHostAddress(QHostAddress::LocalHost));
        QVERIFY(!cl.options.headless);
        QVERIFY(cl.options.defaultPluginDirs);
        QVERIFY(cl.options.serveWeb);
        QCOMPARE(cl.options.maxMessagesPerSecond, -1);
        QCOMPARE(cl.options.maxMessageBytes, -1);
        QCOMPARE(cl.options.maxJsonDepth, -1);
        QCOMPARE(cl.options.maxPendingBytes, -1);
        QCOMPARE(cl.options.handshakeTimeoutMs, -1);
        QCOMPARE(cl.options.idleTimeoutMs, -1);
        QCOMPARE(cl.options.pingIntervalMs, -1);
        QVERIFY(cl.options.allowedOrigins.isEmpty());
        QVERIFY(cl.options.pluginDirs.isEmpty());
        QVERIFY(cl.options.scene.isEmpty());
    }

    void everything()
    {
        const HostCommandLine cl = parse(
            {QStringLiteral("--headless"), QStringLiteral("--port"), QStringLiteral("0"),
             QStringLiteral("--address"), QStringLiteral("0.0.0.0"), QStringLiteral("--plugin-dir"),
             QStringLiteral("/a"), QStringLiteral("--plugin-dir=/b"),
             QStringLiteral("--no-default-plugins"), QStringLiteral("--scene"),
             QStringLiteral("dom"), QStringLiteral("--workspace"), QStringLiteral("/tmp/w.osw"),
             QStringLiteral("--no-web"), QStringLiteral("--verbose"),
             QStringLiteral("--max-messages-per-second"), QStringLiteral("0")});
        QCOMPARE(cl.action, HostCommandLine::Action::Run);
        const HostOptions &o = cl.options;
        QVERIFY(o.headless);
        QCOMPARE(o.port, quint16(0));
        QCOMPARE(o.address, QHostAddress(QHostAddress::AnyIPv4));
        QCOMPARE(o.pluginDirs, (QStringList{QStringLiteral("/a"), QStringLiteral("/b")}));
        QVERIFY(!o.defaultPluginDirs);
        QCOMPARE(o.scene, QStringLiteral("dom"));
        QCOMPARE(o.workspace, QStringLiteral("/tmp/w.osw"));
        QVERIFY(!o.serveWeb);
        QVERIFY(o.verbose);
        QCOMPARE(o.maxMessagesPerSecond, 0);
    }

    void limitsAndSecurity()
    {
        const HostCommandLine cl = parse(
            {QStringLiteral("--max-message-bytes"), QStringLiteral("4096"),
             QStringLiteral("--max-json-depth=12"), QStringLiteral("--max-pending-bytes"),
             QStringLiteral("0"), QStringLiteral("--handshake-timeout"), QStringLiteral("2500"),
             QStringLiteral("--idle-timeout"), QStringLiteral("30000"),
             QStringLiteral("--ping-interval"), QStringLiteral("5000"),
             QStringLiteral("--allow-origin"), QStringLiteral("https://app.example.com"),
             QStringLiteral("--allow-origin=http://localhost:3000/"),
             QStringLiteral("--allow-origin"), QStringLiteral("*")});
        QCOMPARE(cl.action, HostCommandLine::Action::Run);
        const HostOptions &o = cl.options;
        QCOMPARE(o.maxMessageBytes, 4096);
        QCOMPARE(o.maxJsonDepth, 12);
        QCOMPARE(o.maxPendingBytes, 0);
        QCOMPARE(o.handshakeTimeoutMs, 2500);
        QCOMPARE(o.idleTimeoutMs, 30000);
        QCOMPARE(o.pingIntervalMs, 5000);
        QCOMPARE(o.allowedOrigins,
                 (QStringList{QStringLiteral("https://app.example.com"),
                              QStringLiteral("http://localhost:3000/"), QStringLiteral("*")}));
        // Turning the idle timeout off allows any ping interval.
        const HostCommandLine off =
            parse({QStringLiteral("--idle-timeout=0"), QStringLiteral("--ping-interval=90000")});
        QCOMPARE(off.action, HostCommandLine::Action::Run);
        QCOMPARE(off.options.idleTimeoutMs, 0);
        QCOMPARE(off.options.pingIntervalMs, 90000);
    }

    void helpAndVersion()
    {
        HostCommandLine cl = parse({QStringLiteral("--help")});
        QCOMPARE(cl.action, HostCommandLine::Action::ShowHelp);
        QVERIFY(cl.message.contains(QStringLiteral("--plugin-dir <dir>")));
        for (const char *option :
             {"--max-message-bytes <bytes>", "--max-json-depth <n>", "--max-pending-bytes <bytes>",
              "--handshake-timeout <ms>", "--idle-timeout <ms>", "--ping-interval <ms>",
              "--allow-origin <origin>"})
            QVERIFY2(cl.message.contains(QLatin1String(option)), option);
        cl = parse({QStringLiteral("--version")});
        QCOMPARE(cl.action, HostCommandLine::Action::ShowVersion);
        QVERIFY(cl.message.startsWith(QStringLiteral("objectsync-host ")));
    }

    void errors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown option")
            << QStringList{QStringLiteral("--bogus")} << QStringLiteral("Unknown option 'bogus'");
        QTest::newRow("port not a number")
            << QStringList{QStringLiteral("--port"), QStringLiteral("abc")}
            << QStringLiteral("invalid port 'abc'");
        QTest::newRow("port too big")
            << QStringList{QStringLiteral("--port"), QStringLiteral("65536")}
            << QStringLiteral("invalid port '65536'");
        QTest::newRow("negative port")
            << QStringList{QStringLiteral("--port=-1")} << QStringLiteral("invalid port '-1'");
        QTest::newRow("port missing") << QStringList{QStringLiteral("--port")}
                                      << QStringLiteral("Missing value after '--port'");
        QTest::newRow("bad address")
            << QStringList{QStringLiteral("--address"), QStringLiteral("nowhere")}
            << QStringLiteral("invalid address 'nowhere'");
        QTest::newRow("empty scene")
            << QStringList{QStringLiteral("--scene=")} << QStringLiteral("--scene needs a name");
        QTest::newRow("stray argument") << QStringList{QStringLiteral("extra")}
                                        << QStringLiteral("unexpected argument 'extra'");
        QTest::newRow("negative message rate")
            << QStringList{QStringLiteral("--max-messages-per-second=-3")}
            << QStringLiteral("invalid --max-messages-per-second '-3'");
        QTest::newRow("message size not a number")
            << QStringList{QStringLiteral("--max-message-bytes"), QStringLiteral("1M")}
            << QStringLiteral("invalid --max-message-bytes '1M'");
        QTest::newRow("negative depth") << QStringList{QStringLiteral("--max-json-depth=-1")}
                                        << QStringLiteral("invalid --max-json-depth '-1'");
        QTest::newRow("depth too large")
            << QStringList{QStringLiteral("--max-json-depth=99999999999")}
            << QStringLiteral("invalid --max-json-depth '99999999999'");
        QTest::newRow("pending bytes not a number")
            << QStringList{QStringLiteral("--max-pending-bytes=lots")}
            << QStringLiteral("invalid --max-pending-bytes 'lots'");
        QTest::newRow("handshake timeout not a number")
            << QStringList{QStringLiteral("--handshake-timeout"), QStringLiteral("10s")}
            << QStringLiteral("invalid --handshake-timeout '10s'");
        QTest::newRow("negative idle timeout") << QStringList{QStringLiteral("--idle-timeout=-5")}
                                               << QStringLiteral("invalid --idle-timeout '-5'");
        QTest::newRow("empty ping interval") << QStringList{QStringLiteral("--ping-interval=")}
                                             << QStringLiteral("invalid --ping-interval ''");
        QTest::newRow("ping not shorter than idle")
            << QStringList{QStringLiteral("--idle-timeout=5000"),
                           QStringLiteral("--ping-interval=5000")}
            << QStringLiteral("--ping-interval (5000 ms) must be shorter than --idle-timeout");
        QTest::newRow("idle below the default ping interval")
            << QStringList{QStringLiteral("--idle-timeout=1000")}
            << QStringLiteral("must be shorter than --idle-timeout (1000 ms)");
        QTest::newRow("origin without scheme")
            << QStringList{QStringLiteral("--allow-origin"), QStringLiteral("example.com")}
            << QStringLiteral("invalid --allow-origin 'example.com'");
        QTest::newRow("origin with a path")
            << QStringList{QStringLiteral("--allow-origin=https://example.com/app")}
            << QStringLiteral("invalid --allow-origin 'https://example.com/app'");
        QTest::newRow("empty origin") << QStringList{QStringLiteral("--allow-origin=")}
                                      << QStringLiteral("invalid --allow-origin ''");
        QTest::newRow("workspace and none")
            << QStringList{QStringLiteral("--workspace"), QStringLiteral("w"),
                           QStringLiteral("--no-workspace")}
            << QStringLiteral("exclude each other");
        QTest::newRow("unknown room mode") << QStringList{QStringLiteral("--rooms=any")}
                                           << QStringLiteral("--rooms must be 'open' or 'fixed'");
        QTest::newRow("bad room name")
            << QStringList{QStringLiteral("--room=a/b")} << QStringLiteral("invalid --room 'a/b'");
        QTest::newRow("room without its scene")
            << QStringList{QStringLiteral("--room=a=")} << QStringLiteral("needs a scene name");
        QTest::newRow("rooms folder and no workspace")
            << QStringList{QStringLiteral("--workspace-dir=d"), QStringLiteral("--no-workspace")}
            << QStringLiteral("exclude each other");
        QTest::newRow("no rooms at all") << QStringList{QStringLiteral("--max-rooms=0")}
                                         << QStringLiteral("--max-rooms needs a whole number");
        QTest::newRow("negative idle room timeout")
            << QStringList{QStringLiteral("--room-idle-timeout=-1")}
            << QStringLiteral("--room-idle-timeout needs a whole number");
    }

    void rooms()
    {
        const HostCommandLine defaults = parse({});
        QCOMPARE(defaults.options.roomMode, HostOptions::RoomMode::Fixed);
        QCOMPARE(defaults.options.roomIdleTimeoutMs, 300000);
        QCOMPARE(defaults.options.maxRooms, 1000);
        const HostCommandLine cl =
            parse({QStringLiteral("--rooms=open"), QStringLiteral("--room=lobby"),
                   QStringLiteral("--room"), QStringLiteral("board.1=taskboard"),
                   QStringLiteral("--room-scene=dom"), QStringLiteral("--workspace-dir=/srv/rooms"),
                   QStringLiteral("--room-idle-timeout=30"), QStringLiteral("--max-rooms=5")});
        QCOMPARE(cl.action, HostCommandLine::Action::Run);
        QCOMPARE(cl.options.roomMode, HostOptions::RoomMode::Open);
        QCOMPARE(
            cl.options.fixedRooms,
            (QMap<QString, QString>{{QStringLiteral("lobby"), QString()},
                                    {QStringLiteral("board.1"), QStringLiteral("taskboard")}}));
        QCOMPARE(cl.options.roomScene, QStringLiteral("dom"));
        QCOMPARE(cl.options.workspaceDir, QStringLiteral("/srv/rooms"));
        QCOMPARE(cl.options.roomIdleTimeoutMs, 30000);
        QCOMPARE(cl.options.maxRooms, 5);
        QCOMPARE(Host::roomDirectoryFor(cl.options), QStringLiteral("/srv/rooms"));
        // Without --workspace-dir: next to the default room's file; none in memory.
        const HostCommandLine next = parse({QStringLiteral("--workspace=/data/objects/main.osw")});
        QCOMPARE(Host::roomDirectoryFor(next.options), QStringLiteral("/data/objects/rooms"));
        QCOMPARE(Host::roomDirectoryFor(parse({QStringLiteral("--no-workspace")}).options),
                 QString());
    }

    void errors()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const HostCommandLine cl = parse(args);
        QCOMPARE(cl.action, HostCommandLine::Action::Error);
        QVERIFY2(cl.message.contains(message), qPrintable(cl.message));
    }

    void noWindowDetection()
    {
        const auto wants = [](std::initializer_list<const char *> args) {
            QList<QByteArray> storage{QByteArrayLiteral("objectsync-host")};
            for (const char *a : args)
                storage.append(QByteArray(a));
            QList<char *> argv;
            for (QByteArray &b : storage)
                argv.append(b.data());
            return commandLineWantsNoWindow(int(argv.size()), argv.data());
        };
        QVERIFY(wants({"--port", "0", "--headless"}));
        QVERIFY(wants({"--help"}));
        QVERIFY(wants({"--list-plugins"}));
        QVERIFY(!wants({"--port", "0"}));
    }

    // ---- the configuration file ------------------------------------------------------------

    void configFileSetsOptions()
    {
        QTemporaryDir dir;
        const QString path =
            writeConfig(dir, "# a service\n"
                             "headless = true\n"
                             "\n"
                             "port = 9001\n"
                             "  address = 0.0.0.0  \n"
                             "; another comment\n"
                             "workspace = \"/var/lib/objectsync/my workspace.osw\"\n"
                             "plugin-dir = /opt/a\n"
                             "plugin-dir = /opt/b\n"
                             "verbose = no\n"
                             "no-web\n"
                             "max-messages-per-second = 0\n"
                             "ping-interval = 90000\n"
                             "idle-timeout = 120000\n"
                             "rooms = open\n"
                             "room = lobby=dom\n"
                             "room = side\n");
        const HostCommandLine cl = parse({QStringLiteral("--config"), path});
        QCOMPARE(cl.action, HostCommandLine::Action::Run);
        QVERIFY(cl.options.headless);
        QCOMPARE(cl.options.port, quint16(9001));
        QCOMPARE(cl.options.address, QHostAddress(QHostAddress::AnyIPv4));
        QCOMPARE(cl.options.workspace, QStringLiteral("/var/lib/objectsync/my workspace.osw"));
        QCOMPARE(cl.options.pluginDirs,
                 QStringList({QStringLiteral("/opt/a"), QStringLiteral("/opt/b")}));
        QVERIFY(!cl.options.verbose);
        QVERIFY(!cl.options.serveWeb);
        QCOMPARE(cl.options.maxMessagesPerSecond, 0);
        // Options that are checked together are checked after the file is read whole.
        QCOMPARE(cl.options.pingIntervalMs, 90000);
        QCOMPARE(cl.options.idleTimeoutMs, 120000);
        QCOMPARE(cl.options.roomMode, HostOptions::RoomMode::Open);
        QCOMPARE(cl.options.fixedRooms,
                 (QMap<QString, QString>{{QStringLiteral("lobby"), QStringLiteral("dom")},
                                         {QStringLiteral("side"), QString()}}));
    }

    void theCommandLineWins()
    {
        QTemporaryDir dir;
        const QString path =
            writeConfig(dir, "port = 9001\nplugin-dir = /opt/a\nscene = dom\nheadless = yes\n");
        const HostCommandLine cl =
            parse({QStringLiteral("-p"), QStringLiteral("9002"), QStringLiteral("--config=") + path,
                   QStringLiteral("--plugin-dir"), QStringLiteral("/opt/c")});
        QCOMPARE(cl.action, HostCommandLine::Action::Run);
        QCOMPARE(cl.options.port, quint16(9002));
        QCOMPARE(cl.options.pluginDirs, QStringList{QStringLiteral("/opt/c")});
        QCOMPARE(cl.options.scene, QStringLiteral("dom")); // not on the command line: the file's
        QVERIFY(cl.options.headless);
    }

    void configFileErrors_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("expected"); // after "FILE:" in the message
        QTest::newRow("unknown option")
            << QByteArray("port = 1\nprot = 2\n") << "2: Unknown option 'prot'";
        QTest::newRow("bad value") << QByteArray("\n\nport = abc\n") << "3: invalid port 'abc'";
        QTest::newRow("bad limit")
            << QByteArray("idle-timeout = -5\n") << "1: invalid --idle-timeout '-5'";
        QTest::newRow("missing value")
            << QByteArray("scene\n") << "1: Missing value after '--scene'";
        QTest::newRow("switch with a value")
            << QByteArray("headless = maybe\n") << "1: 'headless' is a switch";
        QTest::newRow("set twice")
            << QByteArray("port = 1\nport = 2\n") << "2: 'port' is set twice (first on line 1)";
        QTest::newRow("not a setting") << QByteArray("help = true\n") << "1: 'help' cannot be set";
        QTest::newRow("nested config")
            << QByteArray("config = other.conf\n") << "1: 'config' cannot be set";
        QTest::newRow("not name = value")
            << QByteArray("port: 8765\n") << "1: expected \"name = value\"";
        QTest::newRow("bad origin")
            << QByteArray("allow-origin = not an origin\n") << "1: invalid --allow-origin";
    }

    void configFileErrors()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const QString path = writeConfig(dir, text);
        const HostCommandLine cl = parse({QStringLiteral("--config"), path});
        QCOMPARE(cl.action, HostCommandLine::Action::Error);
        QVERIFY2(cl.message.startsWith(path + QLatin1Char(':') + expected), qPrintable(cl.message));
    }

    void configFileCombinedErrors()
    {
        // Each line is fine on its own; together they are not.
        QTemporaryDir dir;
        const QString path = writeConfig(dir, "ping-interval = 70000\n");
        const HostCommandLine cl = parse({QStringLiteral("--config"), path});
        QCOMPARE(cl.action, HostCommandLine::Action::Error);
        QVERIFY2(cl.message.contains(QStringLiteral("--ping-interval")) &&
                     cl.message.contains(path),
                 qPrintable(cl.message));
        const QString tls =
            writeConfig(dir, "tls-cert = /etc/host.crt\n", QStringLiteral("tls.conf"));
        QVERIFY(
            parse({QStringLiteral("--config"), tls}).message.contains(QStringLiteral("--tls-key")));
        QCOMPARE(parse({QStringLiteral("--config"), tls, QStringLiteral("--tls-key"),
                        QStringLiteral("/etc/host.key")})
                     .action,
                 HostCommandLine::Action::Run);
    }

    void configFileThatCannotBeRead()
    {
        QTemporaryDir dir;
        HostCommandLine cl =
            parse({QStringLiteral("--config"), dir.filePath(QStringLiteral("none.conf"))});
        QCOMPARE(cl.action, HostCommandLine::Action::Error);
        QVERIFY2(cl.message.contains(QStringLiteral("no such file")), qPrintable(cl.message));
        cl = parse({QStringLiteral("--config"), dir.path()});
        QVERIFY2(cl.message.contains(QStringLiteral("directory")), qPrintable(cl.message));
        cl = parse({QStringLiteral("--config")});
        QCOMPARE(cl.action, HostCommandLine::Action::Error);
        const QString path = writeConfig(dir, "port = 1\n");
        cl = parse({QStringLiteral("--config"), path, QStringLiteral("--config"), path});
        QVERIFY2(cl.message.contains(QStringLiteral("once")), qPrintable(cl.message));
    }

    void configFileCanAskForNoWindow()
    {
        QTemporaryDir dir;
        const auto noWindow = [](const QStringList &args) {
            QList<QByteArray> bytes{QByteArray("objectsync-host")};
            for (const QString &a : args)
                bytes.append(a.toLocal8Bit());
            QList<char *> argv;
            for (QByteArray &b : bytes)
                argv.append(b.data());
            return commandLineWantsNoWindow(int(argv.size()), argv.data());
        };
        const QString headless = writeConfig(dir, "headless = true\n", QStringLiteral("a.conf"));
        const QString windowed = writeConfig(dir, "port = 1\n", QStringLiteral("b.conf"));
        QVERIFY(noWindow({QStringLiteral("--config"), headless}));
        QVERIFY(!noWindow({QStringLiteral("--config"), windowed}));
        // A file that cannot be read: its error is printed, with no window.
        QVERIFY(noWindow({QStringLiteral("--config"), dir.filePath(QStringLiteral("none"))}));
    }
};

QTEST_GUILESS_MAIN(TstHostOptions)
#include "tst_hostoptions.moc"
