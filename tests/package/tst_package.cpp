// SPDX-License-Identifier: MIT
// The Debian package, built with `cmake --build <build> --target package`, unpacked into a
// scratch root (dpkg-deb -x): its contents and control files, the installed host started
// from the installed configuration file and a client connected to it, a plugin built out of
// tree against the installed SDK and loaded by the installed host, and the web client
// installed with npm from the installed tarball.
#include <objectsync/client.h>

#include <QDir>
#include <QDirIterator>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>

using namespace objectsync;

namespace {

const QString buildDir = QStringLiteral(OBJECTSYNC_BINARY_DIR);
const QString sourceDir = QStringLiteral(OBJECTSYNC_SOURCE_DIR);

QString str(const char *s)
{
    return QString::fromUtf8(s);
}

struct Run
{
    int exitCode = -1;
    QString out;
};

/*! Runs \a program to its end (at most \a timeoutMs); the exit code and the output. */
Run run(const QString &program, const QStringList &args, const QString &workDir = {},
        int timeoutMs = 600000)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    if (!workDir.isEmpty())
        p.setWorkingDirectory(workDir);
    p.start(program, args);
    Run r;
    if (!p.waitForStarted(10000)) {
        r.out = str("cannot start ") + program + str(": ") + p.errorString();
        return r;
    }
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.out = program + str(" did not finish in time");
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromLocal8Bit(p.readAll());
    return r;
}

QByteArray httpGet(quint16 port, const QByteArray &path)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(5000))
        return {};
    socket.write("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    QByteArray answer;
    while (socket.waitForReadyRead(5000))
        answer += socket.readAll();
    return answer + socket.readAll();
}

} // namespace

class TstPackage : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QVERIFY(m_scratch.isValid());
        // Build the package the way the README says.
        const Run built =
            run(str("cmake"), {str("--build"), buildDir, str("--target"), str("package")});
        QVERIFY2(built.exitCode == 0, qPrintable(built.out.right(4000)));
        const QStringList debs =
            QDir(buildDir).entryList({str("objectsync_*.deb")}, QDir::Files, QDir::Time);
        QVERIFY2(!debs.isEmpty(), "no objectsync_*.deb in the build directory");
        m_deb = QDir(buildDir).filePath(debs.first());
        m_root = m_scratch.filePath(str("root"));
        const Run unpacked = run(str("dpkg-deb"), {str("-x"), m_deb, m_root});
        QVERIFY2(unpacked.exitCode == 0, qPrintable(unpacked.out));
    }

    void controlFields()
    {
        const Run fields = run(str("dpkg-deb"), {str("-f"), m_deb});
        QCOMPARE(fields.exitCode, 0);
        QVERIFY2(fields.out.contains(str("Package: objectsync")), qPrintable(fields.out));
        // dpkg-shlibdeps found Qt and the rest.
        QVERIFY2(fields.out.contains(str("libqt6core6")), qPrintable(fields.out));
        QVERIFY2(fields.out.contains(str("passwd")), qPrintable(fields.out));

        QTemporaryDir control;
        QCOMPARE(run(str("dpkg-deb"), {str("-e"), m_deb, control.path()}).exitCode, 0);
        for (const char *script : {"postinst", "prerm", "postrm"}) {
            const QString path = control.filePath(str(script));
            QVERIFY2(QFileInfo(path).isExecutable(), script);
            const Run syntax = run(str("sh"), {str("-n"), path});
            QVERIFY2(syntax.exitCode == 0, qPrintable(syntax.out));
        }
        QFile conffiles(control.filePath(str("conffiles")));
        QVERIFY(conffiles.open(QIODevice::ReadOnly));
        QVERIFY(conffiles.readAll().contains("/etc/objectsync/host.conf"));
    }

    void contents()
    {
        for (const char *path :
             {"usr/bin/objectsync-host", "usr/lib/objectsync/plugins/libobjectsync_dom.so",
              "usr/share/objectsync/web/objectsync-client.js", "usr/include/objectsync/engine.h",
              "usr/include/objectsync/plugin.h", "usr/lib/cmake/ObjectSync/ObjectSyncConfig.cmake",
              "usr/lib/systemd/system/objectsync-host.service", "etc/objectsync/host.conf"})
            QVERIFY2(QFileInfo::exists(m_root + QLatin1Char('/') + QLatin1String(path)), path);
        QVERIFY(!QDir(m_root + str("/usr/share/objectsync"))
                     .entryList({str("objectsync-client-*.tgz")})
                     .isEmpty());

        QFile unit(m_root + str("/usr/lib/systemd/system/objectsync-host.service"));
        QVERIFY(unit.open(QIODevice::ReadOnly));
        const QByteArray text = unit.readAll();
        QVERIFY(
            text.contains("ExecStart=/usr/bin/objectsync-host --config /etc/objectsync/host.conf"));
        QVERIFY(text.contains("User=objectsync"));
        QVERIFY(text.contains("StateDirectory=objectsync"));
        QFile conf(m_root + str("/etc/objectsync/host.conf"));
        QVERIFY(conf.open(QIODevice::ReadOnly));
        QVERIFY(conf.readAll().contains("workspace = /var/lib/objectsync/workspace.osw"));
    }

    void installedHostRunsFromItsConfigurationFile()
    {
        // The installed configuration file, with the command line winning for what a test
        // cannot use (the port and the service's workspace folder).
        QProcess host;
        host.setProcessChannelMode(QProcess::SeparateChannels);
        host.start(m_root + str("/usr/bin/objectsync-host"),
                   {str("--config"), m_root + str("/etc/objectsync/host.conf"), str("--port"),
                    str("0"), str("--workspace"), m_scratch.filePath(str("installed.osw")),
                    str("--scene"), str("dom")});
        QString out;
        static const QRegularExpression listening(str("listening on ws://127\\.0\\.0\\.1:(\\d+)/"));
        QRegularExpressionMatch m;
        QVERIFY(QTest::qWaitFor(
            [&] {
                out += QString::fromLocal8Bit(host.readAllStandardOutput());
                m = listening.match(out);
                return m.hasMatch() || host.state() == QProcess::NotRunning;
            },
            20000));
        QVERIFY2(m.hasMatch(), qPrintable(QString::fromLocal8Bit(host.readAllStandardError())));
        const quint16 port = quint16(m.captured(1).toUInt());

        // Its plugins, pages and operations routes are those of the package.
        const QByteArray health = httpGet(port, "/healthz");
        QVERIFY2(health.startsWith("HTTP/1.1 200"), health.constData());
        QVERIFY(health.contains("\"workspace\":\"ok\""));
        QVERIFY(httpGet(port, "/objectsync-client.js").startsWith("HTTP/1.1 200"));

        Client client;
        client.setFollow(Client::Follow::Everything);
        client.open(QUrl(str("ws://127.0.0.1:%1/").arg(port)));
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), Client::State::Connected, 10000);
        // The dom scene, from the installed dom plugin.
        QTRY_VERIFY_WITH_TIMEOUT(client.hasValue(str("_objects")) &&
                                     !client.value(str("_objects")).toObject().isEmpty(),
                                 10000);
        client.close();
        host.terminate();
        QVERIFY(host.waitForFinished(20000));
        QCOMPARE(host.exitCode(), 0);
    }

    void outOfTreePluginBuildsAgainstTheInstalledSdk()
    {
        const QString work = m_scratch.filePath(str("plugin-build"));
        const Run configured =
            run(str("cmake"),
                {str("-S"), sourceDir + str("/tests/plugins/outoftree"), str("-B"), work, str("-G"),
                 str("Ninja"), str("-DCMAKE_PREFIX_PATH=") + m_root + str("/usr"),
                 str("-DCMAKE_BUILD_TYPE=Release")});
        QVERIFY2(configured.exitCode == 0, qPrintable(configured.out));
        const Run built = run(str("cmake"), {str("--build"), work});
        QVERIFY2(built.exitCode == 0, qPrintable(built.out));
        // Wherever its CMake put the library, the installed host loads it.
        QString pluginDir;
        QDirIterator it(work, {str("*.so")}, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext())
            pluginDir = QFileInfo(it.next()).absolutePath();
        QVERIFY2(!pluginDir.isEmpty(), "the plugin build made no library");
        const Run listed = run(m_root + str("/usr/bin/objectsync-host"),
                               {str("--list-plugins"), str("--plugin-dir"), pluginDir});
        QCOMPARE(listed.exitCode, 0);
        QVERIFY2(listed.out.contains(pluginDir) && listed.out.contains(str("loaded")),
                 qPrintable(listed.out));
        QVERIFY2(!listed.out.contains(str("refused")) && !listed.out.contains(str("failed")),
                 qPrintable(listed.out));
    }

    void webClientInstallsWithNpmFromTheInstalledTarball()
    {
        const QStringList tarballs =
            QDir(m_root + str("/usr/share/objectsync")).entryList({str("objectsync-client-*.tgz")});
        QVERIFY(!tarballs.isEmpty());
        const QString app = m_scratch.filePath(str("frontend"));
        QVERIFY(QDir().mkpath(app));
        QFile manifest(app + str("/package.json"));
        QVERIFY(manifest.open(QIODevice::WriteOnly));
        manifest.write(
            R"({"name": "frontend", "version": "1.0.0", "private": true, "type": "module"})");
        manifest.close();
        const Run installed =
            run(str("npm"),
                {str("install"), str("--no-audit"), str("--no-fund"), str("--offline"),
                 m_root + str("/usr/share/objectsync/") + tarballs.first()},
                app);
        QVERIFY2(installed.exitCode == 0, qPrintable(installed.out));
        const Run imported = run(str("node"),
                                 {str("--input-type=module"), str("-e"),
                                  str("import { ObjectSyncClient } from 'objectsync-client';"
                                      "if (typeof ObjectSyncClient !== 'function') process.exit(3);"
                                      "console.log('imported');")},
                                 app);
        QVERIFY2(imported.exitCode == 0 && imported.out.contains(str("imported")),
                 qPrintable(imported.out));
    }

private:
    QTemporaryDir m_scratch;
    QString m_deb;
    QString m_root;
};

QTEST_MAIN(TstPackage)
#include "tst_package.moc"
