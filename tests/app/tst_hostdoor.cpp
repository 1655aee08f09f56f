// SPDX-License-Identifier: MIT
// The real objectsync-host's door: a storm of 2,000 clients at once, 300 idle half-open
// connections that must not keep a client out, TLS (wss:// and https://) with a certificate
// made for the test, and the start-up errors of bad TLS files.
#include "swarmclient.h"

#include <objectsync/client.h>

#include <QProcess>
#include <QRegularExpression>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/resource.h>

using namespace objectsync;

namespace {

const QString hostExe = QStringLiteral(OBJECTSYNC_HOST_EXE);
const QString pluginDir = QStringLiteral(OBJECTSYNC_EXAMPLE_PLUGIN_DIR);

QString str(const char *s)
{
    return QString::fromUtf8(s);
}

/*! Lets this process hold as many sockets as the system allows (a storm needs thousands). */
rlim_t raiseOwnFileLimit()
{
    rlimit limit{};
    getrlimit(RLIMIT_NOFILE, &limit);
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
    getrlimit(RLIMIT_NOFILE, &limit);
    return limit.rlim_cur;
}

/*! objectsync-host --headless on a free port, in memory, with the dom plugin. */
class HostProcess
{
public:
    explicit HostProcess(const QStringList &extra = {})
    {
        m_process.setProcessChannelMode(QProcess::SeparateChannels);
        m_process.start(hostExe, QStringList{str("--headless"), str("--port"), str("0"),
                                             str("--no-workspace"), str("--no-default-plugins"),
                                             str("--plugin-dir"), pluginDir,
                                             str("--max-messages-per-second"), str("0")} +
                                     extra);
    }
    ~HostProcess()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(10000);
        }
    }

    /*! Waits for the "listening" line; the port, or 0 (then see errors()). */
    int waitForPort()
    {
        static const QRegularExpression listening(
            str("listening on wss?://127\\.0\\.0\\.1:(\\d+)/"));
        QRegularExpressionMatch m;
        const bool ended = QTest::qWaitFor(
            [&] {
                m_out += QString::fromLocal8Bit(m_process.readAllStandardOutput());
                m = listening.match(m_out);
                return m.hasMatch() || m_process.state() == QProcess::NotRunning;
            },
            20000);
        return ended && m.hasMatch() ? m.captured(1).toInt() : 0;
    }
    QString errors()
    {
        m_err += QString::fromLocal8Bit(m_process.readAllStandardError());
        return m_err;
    }
    bool waitForExit(int *code)
    {
        if (!m_process.waitForFinished(20000))
            return false;
        *code = m_process.exitCode();
        return true;
    }

private:
    QProcess m_process;
    QString m_out;
    QString m_err;
};

/*! A C++ client connected to \a url; empty failure text when it is. */
QString connectClient(Client &client, const QUrl &url)
{
    client.setFollow(Client::Follow::Everything);
    client.open(url);
    if (!QTest::qWaitFor([&] { return client.state() == Client::State::Connected; }, 10000))
        return str("the client did not connect to ") + url.toString();
    return {};
}

/*! Creates \a count TextObjects through \a client, one action each; their ids in order. */
Result<QStringList> createTexts(Client &client, int count)
{
    QStringList ids;
    for (int i = 0; i < count; ++i) {
        auto action = client.action();
        const Result<QString> id = client.createObject(str("TextObject"), str("root"),
                                                       {{str("text"), QString::number(i)}});
        if (!id)
            return id.error();
        if (const Result<QString> sent = action.commit(); !sent)
            return sent.error();
        ids.append(*id);
    }
    return ids;
}

/*! The object ids added to `_objects` by \a updates, in the order they arrived. */
QStringList addedObjects(const QList<QJsonObject> &updates)
{
    QStringList ids;
    for (const QJsonObject &update : updates) {
        const QJsonArray changes =
            update.value(str("args")).toObject().value(str("changes")).toArray();
        for (const QJsonValue &c : changes) {
            const QJsonObject change = c.toObject();
            if (change.value(str("topic_name")).toString() == str("_objects") &&
                change.value(str("type")).toString() == str("add"))
                ids.append(change.value(str("key")).toString());
        }
    }
    return ids;
}

/*! Sends a plain HTTP GET over \a socket (already connected, TLS or not) and returns the
 *  whole answer once the host closes the connection. */
QByteArray httpGet(QTcpSocket &socket, const QByteArray &path)
{
    socket.write("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    QByteArray answer;
    (void)QTest::qWaitFor(
        [&] {
            answer += socket.readAll();
            return socket.state() == QAbstractSocket::UnconnectedState;
        },
        10000);
    return answer + socket.readAll();
}

/*! Makes a self-signed certificate for 127.0.0.1 with openssl; empty or why not. */
QString makeCertificate(const QString &dir, const QString &name)
{
    QProcess openssl;
    openssl.start(str("openssl"),
                  {str("req"), str("-x509"), str("-newkey"), str("rsa:2048"), str("-nodes"),
                   str("-keyout"), dir + QLatin1Char('/') + name + str(".key"), str("-out"),
                   dir + QLatin1Char('/') + name + str(".crt"), str("-days"), str("2"),
                   str("-subj"), str("/CN=127.0.0.1"), str("-addext"),
                   str("subjectAltName=IP:127.0.0.1")});
    if (!openssl.waitForStarted(10000))
        return str("openssl is needed to make a test certificate and could not be started "
                   "(install Debian's openssl package)");
    if (!openssl.waitForFinished(60000) || openssl.exitCode() != 0)
        return str("openssl failed: ") + QString::fromLocal8Bit(openssl.readAllStandardError());
    return {};
}

} // namespace

class TstHostDoor : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QVERIFY2(QFileInfo::exists(hostExe), qPrintable(hostExe));
        const rlim_t files = raiseOwnFileLimit();
        // 2,000 clients here and a writer; the host raises its own limit.
        QVERIFY2(files >= 2200, qPrintable(str("this test needs an open file limit of at least "
                                               "2200 (ulimit -Hn), not %1")
                                               .arg(qulonglong(files))));
    }

    void stormOf2000Clients()
    {
        HostProcess host;
        const int port = host.waitForPort();
        QVERIFY2(port > 0, qPrintable(host.errors()));

        // Every client starts connecting in the same event-loop turn, as when a host restarts
        // and every open page reconnects at once.
        constexpr int clients = 2000;
        std::vector<std::unique_ptr<testing::SwarmClient>> swarm;
        swarm.reserve(clients);
        for (int i = 0; i < clients; ++i)
            swarm.push_back(std::make_unique<testing::SwarmClient>(quint16(port), str("_objects")));
        const auto settled = [&] {
            int n = 0;
            for (const auto &c : swarm)
                n += c->isServed() || c->state() == testing::SwarmClient::State::Failed;
            return n;
        };
        QTRY_VERIFY_WITH_TIMEOUT(settled() == clients, 120000);
        QStringList failures;
        for (const auto &c : swarm)
            if (!c->isServed())
                failures.append(c->failure());
        QVERIFY2(failures.isEmpty(), qPrintable(str("%1 of %2 clients were not served, first: %3")
                                                    .arg(failures.size())
                                                    .arg(clients)
                                                    .arg(failures.value(0))));

        // Each of them receives every update, in order.
        Client writer;
        QCOMPARE(connectClient(writer, QUrl(str("ws://127.0.0.1:%1/").arg(port))), QString());
        const Result<QStringList> made = createTexts(writer, 20);
        QCOMPARE(made.errorMessage(), QString());
        const QStringList created = *made;
        const auto complete = [&] {
            for (const auto &c : swarm)
                if (addedObjects(c->updates()).size() < created.size())
                    return false;
            return true;
        };
        QTRY_VERIFY_WITH_TIMEOUT(complete(), 60000);
        for (const auto &c : swarm) {
            QCOMPARE(addedObjects(c->updates()), created);
            QCOMPARE(c->state(), testing::SwarmClient::State::Open);
        }

        // The host counts them.
        QTcpSocket metrics;
        metrics.connectToHost(QHostAddress::LocalHost, quint16(port));
        QVERIFY(metrics.waitForConnected(5000));
        const QByteArray text = httpGet(metrics, "/metrics");
        QVERIFY2(text.contains("\nobjectsync_clients 2001\n"), text.constData());
        QVERIFY(text.contains("\nobjectsync_actions_committed_total 20\n"));
    }

    void idleHalfOpenConnectionsDoNotKeepAClientOut()
    {
        HostProcess host;
        const int port = host.waitForPort();
        QVERIFY2(port > 0, qPrintable(host.errors()));
        // 300 connections that send an unfinished request head and then wait.
        std::vector<std::unique_ptr<QTcpSocket>> idle;
        for (int i = 0; i < 300; ++i) {
            auto s = std::make_unique<QTcpSocket>();
            QTcpSocket *raw = s.get();
            QObject::connect(raw, &QTcpSocket::connected, raw, [raw] {
                raw->write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n");
            });
            raw->connectToHost(QHostAddress::LocalHost, quint16(port));
            idle.push_back(std::move(s));
        }
        QTRY_VERIFY_WITH_TIMEOUT(std::all_of(idle.begin(), idle.end(),
                                             [](const auto &s) {
                                                 return s->state() ==
                                                            QAbstractSocket::ConnectedState &&
                                                        s->bytesToWrite() == 0;
                                             }),
                                 20000);
        QTest::qWait(200); // the host has read them all

        // A real client is served within a second.
        QElapsedTimer clock;
        clock.start();
        testing::SwarmClient client(quint16(port), str("_objects"));
        QTRY_VERIFY_WITH_TIMEOUT(
            client.isServed() || client.state() == testing::SwarmClient::State::Failed, 5000);
        QVERIFY2(client.isServed(), qPrintable(client.failure()));
        QVERIFY2(clock.elapsed() < 1000,
                 qPrintable(str("served after %1 ms").arg(clock.elapsed())));
        // The idle ones are still pending: nothing turned them away early either.
        QVERIFY(std::all_of(idle.begin(), idle.end(), [](const auto &s) {
            return s->state() == QAbstractSocket::ConnectedState;
        }));
    }

    void tlsServesWssAndHttps()
    {
        QTemporaryDir dir;
        QCOMPARE(makeCertificate(dir.path(), str("host")), QString());
        const QString cert = dir.filePath(str("host.crt"));
        HostProcess host(
            {str("--tls-cert"), cert, str("--tls-key"), dir.filePath(str("host.key"))});
        const int port = host.waitForPort();
        QVERIFY2(port > 0, qPrintable(host.errors()));

        const QList<QSslCertificate> trusted = QSslCertificate::fromPath(cert);
        QCOMPARE(trusted.size(), 1);
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setCaCertificates(trusted);

        // A C++ client over wss://: it writes, and a second one sees it.
        Client a;
        Client b;
        a.setSslConfiguration(tls);
        b.setSslConfiguration(tls);
        const QUrl url(str("wss://127.0.0.1:%1/").arg(port));
        QCOMPARE(connectClient(a, url), QString());
        QCOMPARE(connectClient(b, url), QString());
        const Result<QStringList> made = createTexts(a, 1);
        QCOMPARE(made.errorMessage(), QString());
        const QStringList ids = *made;
        QTRY_VERIFY_WITH_TIMEOUT(b.hasValue(str("a/%1/text").arg(ids.first())), 10000);
        QCOMPARE(b.value(str("a/%1/text").arg(ids.first())).toString(), str("0"));

        // The same port answers https://.
        QSslSocket https;
        https.setSslConfiguration(tls);
        https.connectToHostEncrypted(str("127.0.0.1"), quint16(port));
        QVERIFY2(https.waitForEncrypted(10000), qPrintable(https.errorString()));
        const QByteArray answer = httpGet(https, "/healthz");
        QVERIFY2(answer.startsWith("HTTP/1.1 200"), answer.constData());
        QVERIFY(answer.contains("\"status\":\"ok\""));

        // A plain client is not served on a TLS port.
        Client plain;
        plain.open(QUrl(str("ws://127.0.0.1:%1/").arg(port)));
        QTest::qWait(500);
        QVERIFY(plain.state() != Client::State::Connected);
    }

    void badTlsFilesStopTheHost_data()
    {
        QTest::addColumn<QString>("certificate"); // a name in the scratch folder
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("expected"); // in the error message, besides the file
        QTest::newRow("missing certificate") << "nothing.crt"
                                             << "host.key"
                                             << "no such file";
        QTest::newRow("missing key") << "host.crt"
                                     << "nothing.key"
                                     << "no such file";
        QTest::newRow("not a certificate") << "garbage.crt"
                                           << "host.key"
                                           << "no PEM certificate";
        QTest::newRow("not a key") << "host.crt"
                                   << "garbage.crt"
                                   << "no PEM private key";
        QTest::newRow("key of another certificate") << "host.crt"
                                                    << "other.key"
                                                    << "does not belong to the certificate";
        QTest::newRow("unreadable key") << "host.crt"
                                        << "folder.key"
                                        << "cannot read";
    }

    void badTlsFilesStopTheHost()
    {
        QFETCH(QString, certificate);
        QFETCH(QString, key);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        QCOMPARE(makeCertificate(dir.path(), str("host")), QString());
        QCOMPARE(makeCertificate(dir.path(), str("other")), QString());
        QFile garbage(dir.filePath(str("garbage.crt")));
        QVERIFY(garbage.open(QIODevice::WriteOnly));
        garbage.write("this is not PEM\n");
        garbage.close();
        QVERIFY(QDir(dir.path()).mkdir(str("folder.key"))); // a folder cannot be read as a file

        HostProcess host(
            {str("--tls-cert"), dir.filePath(certificate), str("--tls-key"), dir.filePath(key)});
        int code = -1;
        QVERIFY(host.waitForExit(&code));
        QCOMPARE(code, 1);
        const QString errors = host.errors();
        QVERIFY2(errors.contains(expected), qPrintable(errors));
        // The message names the file at fault (the key when it does not match).
        const bool certificateAtFault = certificate != str("host.crt");
        QVERIFY2(errors.contains(dir.filePath(certificateAtFault ? certificate : key)),
                 qPrintable(errors));
        QVERIFY2(!errors.contains(str("listening")), qPrintable(errors));
    }

    void tlsOptionsGoTogether()
    {
        HostProcess host({str("--tls-cert"), str("/some/file.crt")});
        int code = -1;
        QVERIFY(host.waitForExit(&code));
        QCOMPARE(code, 2);
        QVERIFY2(host.errors().contains(str("--tls-key")), qPrintable(host.errors()));
    }
};

QTEST_MAIN(TstHostDoor)
#include "tst_hostdoor.moc"
