// SPDX-License-Identifier: MIT
// Reading the host's command line.
#include "core/hostoptions.h"

#include <QtTest>

using namespace objectsync;

namespace {
HostCommandLine parse(QStringList args)
{
    args.prepend(QStringLiteral("objectsync-host"));
    return parseHostCommandLine(args);
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
};

QTEST_GUILESS_MAIN(TstHostOptions)
#include "tst_hostoptions.moc"
