// SPDX-License-Identifier: MIT
// The objectsync-host executable: its command line, what it prints and how it exits.
#include <QtTest>

#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>

namespace {

const QString hostExe = QStringLiteral(OBJECTSYNC_HOST_EXE);
const QString examplePlugins = QStringLiteral(OBJECTSYNC_EXAMPLE_PLUGIN_DIR);
const QString testPlugins = QStringLiteral(OBJECTSYNC_TEST_PLUGIN_DIR);

struct Run
{
    int exitCode = -1;
    QProcess::ExitStatus status = QProcess::CrashExit;
    QString out;
    QString err;
};

/*! Runs the host to the end (it must exit by itself). */
Run run(const QStringList &args)
{
    QProcess p;
    p.start(hostExe, args);
    Run r;
    if (!p.waitForFinished(30000)) {
        p.kill();
        p.waitForFinished();
        r.err = QStringLiteral("(did not exit)");
        return r;
    }
    r.exitCode = p.exitCode();
    r.status = p.exitStatus();
    r.out = QString::fromLocal8Bit(p.readAllStandardOutput());
    r.err = QString::fromLocal8Bit(p.readAllStandardError());
    return r;
}

/*! A running host; stopped (SIGTERM) when it goes out of scope. */
class RunningHost
{
public:
    explicit RunningHost(const QStringList &args,
                         const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment())
    {
        m_process.setProcessEnvironment(env);
        m_process.start(hostExe, args);
    }
    ~RunningHost()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished();
        }
    }
    /*! Waits for the "listening" line; returns the port or 0. */
    int waitForPort()
    {
        static const QRegularExpression listening(
            QStringLiteral("^ObjectSync host listening on ws://127\\.0\\.0\\.1:(\\d+)/$"),
            QRegularExpression::MultilineOption);
        const bool seen = QTest::qWaitFor(
            [&] {
                m_out += QString::fromLocal8Bit(m_process.readAllStandardOutput());
                return listening.match(m_out).hasMatch() ||
                       m_process.state() == QProcess::NotRunning;
            },
            30000);
        const QRegularExpressionMatch m = listening.match(m_out);
        return seen && m.hasMatch() ? m.captured(1).toInt() : 0;
    }
    /*! Asks the host to stop as Ctrl+C would; returns its exit code (-1: crashed or hung). */
    int terminate()
    {
        m_process.terminate();
        if (!m_process.waitForFinished(30000))
            return -1;
        m_out += QString::fromLocal8Bit(m_process.readAllStandardOutput());
        return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
    }
    QString out() const { return m_out; }
    /*! Everything it wrote on standard error so far. */
    QString err()
    {
        m_err += QString::fromLocal8Bit(m_process.readAllStandardError());
        return m_err;
    }

private:
    QProcess m_process;
    QString m_out;
    QString m_err;
};

QStringList quiet(QStringList args)
{
    // Only the plugins of this build, and nothing kept on disk.
    args << QStringLiteral("--headless") << QStringLiteral("--no-workspace")
         << QStringLiteral("--no-default-plugins") << QStringLiteral("--plugin-dir")
         << examplePlugins;
    return args;
}

} // namespace

class TstHostCli : public QObject
{
    Q_OBJECT
private slots:
    void help()
    {
        const Run r = run({QStringLiteral("--help")});
        QCOMPARE(r.exitCode, 0);
        for (const char *option :
             {"--headless", "--port <port>", "--plugin-dir <dir>", "--scene <name>",
              "--workspace <path>", "--no-workspace", "--version", "--list-plugins"})
            QVERIFY2(r.out.contains(QLatin1String(option)), option);
    }

    void version()
    {
        const Run r = run({QStringLiteral("--version")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.startsWith(QStringLiteral("objectsync-host ")), qPrintable(r.out));
        QVERIFY(r.out.contains(QStringLiteral("engine API")));
    }

    void badOption()
    {
        const Run r = run({QStringLiteral("--headless"), QStringLiteral("--bogus")});
        QCOMPARE(r.status, QProcess::NormalExit);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("Unknown option 'bogus'")), qPrintable(r.err));
        QVERIFY(r.err.contains(QStringLiteral("--help")));
        QVERIFY(r.out.isEmpty());
    }

    void badPort()
    {
        const Run r =
            run({QStringLiteral("--headless"), QStringLiteral("--port"), QStringLiteral("99999")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("invalid port '99999'")), qPrintable(r.err));
    }

    void portZeroPicksAFreePort()
    {
        RunningHost host(quiet({QStringLiteral("--port"), QStringLiteral("0")}));
        const int port = host.waitForPort();
        QVERIFY2(port > 0, qPrintable(host.out() + host.err()));
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, quint16(port));
        QVERIFY(socket.waitForConnected(10000));
        socket.disconnectFromHost();
        // A termination signal is a clean shutdown.
        QCOMPARE(host.terminate(), 0);
    }

    void portInUse()
    {
        QTcpServer blocker;
        QVERIFY(blocker.listen(QHostAddress::LocalHost, 0));
        const QString port = QString::number(blocker.serverPort());
        const Run r = run(quiet({QStringLiteral("--port"), port}));
        QCOMPARE(r.status, QProcess::NormalExit);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(
                     QStringLiteral("objectsync-host: cannot listen on 127.0.0.1 port ") + port),
                 qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("in use")), qPrintable(r.err));
        QVERIFY(!r.out.contains(QStringLiteral("listening")));
    }

    void windowedHostStartsAndStops()
    {
        // Without --headless the inspector opens (offscreen here) when the build has it.
        QStringList args{QStringLiteral("--port"),         QStringLiteral("0"),
                         QStringLiteral("--scene"),        QStringLiteral("taskboard"),
                         QStringLiteral("--no-workspace"), QStringLiteral("--no-default-plugins"),
                         QStringLiteral("--plugin-dir"),   examplePlugins};
        RunningHost host(args);
        QVERIFY2(host.waitForPort() > 0, qPrintable(host.out() + host.err()));
        QCOMPARE(host.terminate(), 0);
    }

    void unknownScene()
    {
        const Run r = run(quiet({QStringLiteral("--port"), QStringLiteral("0"),
                                 QStringLiteral("--scene"), QStringLiteral("nope")}));
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(
            r.err.contains(QStringLiteral("unknown scene \"nope\" (available: dom, taskboard)")),
            qPrintable(r.err));
        QVERIFY(!r.out.contains(QStringLiteral("listening")));
    }

    void knownSceneServes()
    {
        RunningHost host(quiet({QStringLiteral("--port"), QStringLiteral("0"),
                                QStringLiteral("--scene"), QStringLiteral("dom")}));
        QVERIFY2(host.waitForPort() > 0, qPrintable(host.out() + host.err()));
        QCOMPARE(host.terminate(), 0);
    }

    void defaultWorkspaceInTheDataFolder()
    {
        // Without --workspace or --no-workspace the host keeps its objects in the user's
        // data folder (a temporary one here); the scene goes only into a new workspace.
        QTemporaryDir dataHome;
        QVERIFY(dataHome.isValid());
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_DATA_HOME"), dataHome.path());
        const QString file = dataHome.filePath(QStringLiteral("objectsync-host/workspace.osw"));
        const QStringList args{QStringLiteral("--headless"),
                               QStringLiteral("--port"),
                               QStringLiteral("0"),
                               QStringLiteral("--no-default-plugins"),
                               QStringLiteral("--plugin-dir"),
                               examplePlugins,
                               QStringLiteral("--scene"),
                               QStringLiteral("dom")};
        for (const bool isNew : {true, false}) {
            RunningHost host(args, env);
            QVERIFY2(host.waitForPort() > 0, qPrintable(host.out() + host.err()));
            QCOMPARE(host.terminate(), 0);
            QVERIFY2(host.out().contains(QStringLiteral("\nWorkspace %1\n").arg(file)),
                     qPrintable(host.out()));
            const QString err = host.err();
            QVERIFY2(err.contains(isNew ? QStringLiteral("new workspace ")
                                        : QStringLiteral("scene dom not built")),
                     qPrintable(err));
            QVERIFY(QFile::exists(file));
        }
        // --no-workspace keeps nothing.
        QTemporaryDir otherHome;
        env.insert(QStringLiteral("XDG_DATA_HOME"), otherHome.path());
        RunningHost memory(args + QStringList{QStringLiteral("--no-workspace")}, env);
        QVERIFY2(memory.waitForPort() > 0, qPrintable(memory.out() + memory.err()));
        QCOMPARE(memory.terminate(), 0);
        QVERIFY(memory.out().contains(QStringLiteral("No workspace")));
        QVERIFY(QDir(otherHome.path()).isEmpty());
    }

    void missingPluginDirectory()
    {
        const Run r = run({QStringLiteral("--headless"), QStringLiteral("--port"),
                           QStringLiteral("0"), QStringLiteral("--no-workspace"),
                           QStringLiteral("--plugin-dir"), QStringLiteral("/nonexistent/plugins")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(
                     QStringLiteral("plugin directory '/nonexistent/plugins' does not exist")),
                 qPrintable(r.err));
    }

    void examplePluginsAreFoundWithoutBeingTold()
    {
        const Run r = run({QStringLiteral("--list-plugins")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QStringLiteral("dom 1.0.0 [loaded]")), qPrintable(r.out));
        QVERIFY(r.out.contains(QStringLiteral("taskboard 1.0.0 [loaded]")));
        QVERIFY(r.out.contains(QStringLiteral("types: DivObject, TextObject")));
        QVERIFY(r.out.contains(QStringLiteral("dom (dom): ")));
    }

    void servicesOfObjectsAreListedWithTheHostServices()
    {
        const Run r = run({QStringLiteral("--no-default-plugins"), QStringLiteral("--plugin-dir"),
                           examplePlugins, QStringLiteral("--list-plugins")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QStringLiteral("  services: taskboard/create_board\n"
                                               "  object services: <TaskBoard>/add_column, "
                                               "<TaskBoard>/stats, <TaskColumn>/add_card, "
                                               "<TaskCard>/move\n")),
                 qPrintable(r.out));
        // A plugin whose types declare none shows no such line.
        const qsizetype dom = r.out.indexOf(QStringLiteral("dom 1.0.0 [loaded]"));
        QVERIFY(dom >= 0);
        const qsizetype next = r.out.indexOf(QStringLiteral("[loaded]"), dom + 18);
        QVERIFY(!r.out.mid(dom, next - dom).contains(QStringLiteral("object services")));
    }

    void refusedPluginsAreListedAndTheRestLoads()
    {
        const Run r =
            run({QStringLiteral("--no-default-plugins"), QStringLiteral("--plugin-dir"),
                 testPlugins + QStringLiteral("/good"), QStringLiteral("--plugin-dir"),
                 testPlugins + QStringLiteral("/broken"), QStringLiteral("--list-plugins")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QStringLiteral("good 2.3.4 [loaded]")), qPrintable(r.out));
        QCOMPARE(r.out.count(QStringLiteral("[refused]")), 4);
        QCOMPARE(r.out.count(QStringLiteral("[failed]")), 1);
        QVERIFY(r.out.contains(
            QStringLiteral("error: initialisation failed: the licence file is missing")));
        QVERIFY(r.out.contains(QStringLiteral("error: it was built for engine API version 99")));
        // The log names the file and the reason too.
        QVERIFY2(r.err.contains(
                     QStringLiteral("libtest_wrongiid.so: not an ObjectSync object-type plugin")),
                 qPrintable(r.err));
    }

    void noPluginsAtAll()
    {
        const Run r =
            run({QStringLiteral("--no-default-plugins"), QStringLiteral("--list-plugins")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains(QStringLiteral("No plugins found.")));
    }
};

QTEST_GUILESS_MAIN(TstHostCli)
#include "tst_hostcli.moc"
