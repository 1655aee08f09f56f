// SPDX-License-Identifier: MIT
// The C++ client against the real objectsync-host, killed (SIGKILL) and started again on the
// same port and workspace: the client reconnects by itself, catches up with what another
// client did meanwhile, sends nothing twice, and reports what the host never confirmed.
#include <objectsync/client.h>

#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

using namespace objectsync;

namespace {

constexpr int kTimeout = 30000;
const QString hostExe = QStringLiteral(OBJECTSYNC_HOST_EXE);
const QString pluginDir = QStringLiteral(OBJECTSYNC_EXAMPLE_PLUGIN_DIR);

QString textOf(const QString &objectId)
{
    return QStringLiteral("a/%1/text").arg(objectId);
}

/*! A port on 127.0.0.1 that nothing listens on at the moment. */
quint16 freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

QUrl urlOf(quint16 port)
{
    return QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(port));
}

/*! objectsync-host on a workspace and a given port, with the dom plugin. */
class HostProcess
{
public:
    HostProcess(const QString &workspace, quint16 port)
    {
        m_process.setProcessChannelMode(QProcess::SeparateChannels);
        m_process.start(
            hostExe, {QStringLiteral("--headless"), QStringLiteral("--port"), QString::number(port),
                      QStringLiteral("--no-default-plugins"), QStringLiteral("--plugin-dir"),
                      pluginDir, QStringLiteral("--workspace"), workspace,
                      QStringLiteral("--max-messages-per-second"), QStringLiteral("0")});
    }
    ~HostProcess() { kill(); }

    /*! Waits for the "listening" line: false when the host ended instead. */
    bool waitListening()
    {
        static const QRegularExpression listening(
            QStringLiteral("listening on ws://127\\.0\\.0\\.1:\\d+/"));
        return QTest::qWaitFor(
                   [&] {
                       m_out += QString::fromLocal8Bit(m_process.readAllStandardOutput());
                       return listening.match(m_out).hasMatch() ||
                              m_process.state() == QProcess::NotRunning;
                   },
                   kTimeout) &&
               listening.match(m_out).hasMatch();
    }
    /*! SIGKILL: nothing of the host's shutdown runs. */
    void kill()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        m_process.kill();
        m_process.waitForFinished(10000);
    }
    QString errors() { return QString::fromLocal8Bit(m_process.readAllStandardError()); }

private:
    QProcess m_process;
    QString m_out;
};

/*! Waits until the client is connected and holds the value of every topic it follows. */
bool settled(const Client &c)
{
    if (c.state() != Client::State::Connected || c.pendingCount() > 0 ||
        !c.hasValue(QStringLiteral("_objects")))
        return false;
    for (const QString &name : c.topicNames())
        if (name != QLatin1String("_topicsync/topic_list") && c.isSubscribed(name) &&
            !c.hasValue(name))
            return false;
    return true;
}

/*! What settled() still waits for (for failure messages). */
QByteArray missing(const Client &c)
{
    QStringList out{
        QStringLiteral("state %1, pending %2").arg(int(c.state())).arg(c.pendingCount())};
    for (const QString &name : c.topicNames())
        if (name != QLatin1String("_topicsync/topic_list") && c.isSubscribed(name) &&
            !c.hasValue(name))
            out.append(name);
    return out.join(QStringLiteral(", ")).toUtf8();
}

/*! Sends one change through \a client and waits until the host confirms it. */
bool confirmed(Client &client, const std::function<objectsync::Result<QString>()> &change)
{
    QSignalSpy spy(&client, &Client::actionConfirmed);
    const objectsync::Result<QString> sent = change();
    if (!sent) {
        qWarning() << "the change failed:" << sent.errorMessage();
        return false;
    }
    const QString id = *sent;
    return QTest::qWaitFor(
        [&] {
            for (const QList<QVariant> &args : spy)
                if (args.at(0).toString() == id)
                    return true;
            return false;
        },
        kTimeout);
}

/*! A client of its own that follows everything: the host's state as a newcomer sees it. */
struct Observer
{
    explicit Observer(const QUrl &url)
    {
        client.setFollow(Client::Follow::Everything);
        client.open(url);
    }
    Client client;
};

ReconnectPolicy policy(int initialDelayMs, int maxDelayMs, double jitter)
{
    ReconnectPolicy p;
    p.enabled = true;
    p.initialDelayMs = initialDelayMs;
    p.maxDelayMs = maxDelayMs;
    p.factor = 2;
    p.jitter = jitter;
    return p;
}

QStringList firstArguments(const QSignalSpy &spy)
{
    QStringList out;
    for (const QList<QVariant> &args : spy)
        out.append(args.at(0).toString());
    return out;
}

} // namespace

class TstClientReconnect : public QObject
{
    Q_OBJECT
private slots:
    void reconnectsAfterAKillAndCatchesUp()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString workspace = dir.filePath(QStringLiteral("reconnect.osw"));
        const quint16 port = freePort();
        QVERIFY(port != 0);
        const QUrl url = urlOf(port);
        auto host = std::make_unique<HostProcess>(workspace, port);
        QVERIFY2(host->waitListening(), qPrintable(host->errors()));

        // The client under test reconnects; a second one keeps the default and does not.
        Client client;
        client.setFollow(Client::Follow::Everything);
        client.setReconnectPolicy(policy(50, 400, 0.5));
        client.open(url);
        Client plain;
        QSignalSpy plainGone(&plain, &Client::disconnected);
        plain.open(url);
        QTRY_VERIFY2_WITH_TIMEOUT(settled(client), missing(client).constData(), kTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(plain.state(), Client::State::Connected, kTimeout);

        // Two objects; one text edited: every change confirmed by the host (and durable).
        QString kept, doomed;
        QVERIFY(confirmed(client, [&] {
            auto action = client.action();
            kept = client
                       .createObject(QStringLiteral("TextObject"), QStringLiteral("root"),
                                     {{QStringLiteral("text"), QStringLiteral("hello")}})
                       .valueOr({});
            doomed = client
                         .createObject(QStringLiteral("TextObject"), QStringLiteral("root"),
                                       {{QStringLiteral("text"), QStringLiteral("bye")}})
                         .valueOr({});
            return action.commit();
        }));
        QTRY_VERIFY_WITH_TIMEOUT(client.hasValue(textOf(kept)), kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(client.hasValue(textOf(doomed)), kTimeout);
        QVERIFY(confirmed(client, [&] { return client.insertText(textOf(kept), 5, " world"); }));
        QCOMPARE(client.value(textOf(kept)).toString(), QStringLiteral("hello world"));
        const int firstId = client.clientId();
        QVERIFY(firstId > 0);
        const QJsonValue styleBefore = client.value(QStringLiteral("a/%1/style").arg(kept));

        QSignalSpy rolled(&client, &Client::rolledBack);
        QSignalSpy rejected(&client, &Client::actionRejected);
        QSignalSpy reconnecting(&client, &Client::reconnecting);
        QSignalSpy reconnected(&client, &Client::reconnected);
        QSignalSpy gone(&client, &Client::disconnected);

        // Killed. The client has not noticed yet (no event was handled since), so this edit
        // goes out on a dead connection: the host never confirms it.
        host->kill();
        QCOMPARE(client.state(), Client::State::Connected);
        const QString lost = client.insertText(textOf(kept), 0, QStringLiteral("?")).valueOr({});
        QVERIFY(!lost.isEmpty()); // the mirror takes it
        QCOMPARE(client.value(textOf(kept)).toString(), QStringLiteral("?hello world"));

        QTRY_COMPARE_WITH_TIMEOUT(client.state(), Client::State::Reconnecting, kTimeout);
        QCOMPARE(firstArguments(rejected), QStringList{lost});
        QVERIFY2(rejected.at(0).at(1).toString().contains(QStringLiteral("connection was lost")),
                 qPrintable(rejected.at(0).at(1).toString()));
        QCOMPARE(rolled.size(), 1);
        QCOMPARE(client.value(textOf(kept)).toString(), QStringLiteral("hello world"));
        QCOMPARE(client.pendingCount(), 0);
        QCOMPARE(client.clientId(), 0);
        QCOMPARE(gone.size(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(plainGone.size(), 1, kTimeout);
        QCOMPARE(plain.state(), Client::State::Disconnected);

        // Attempts against the dead port, each waiting longer (up to the cap), with jitter.
        QTRY_VERIFY_WITH_TIMEOUT(reconnecting.size() >= 4, kTimeout);
        for (int i = 0; i < reconnecting.size(); ++i) {
            QCOMPARE(reconnecting.at(i).at(0).toInt(), i + 1);
            const int nominal = int(std::min(400.0, 50 * std::pow(2.0, i)));
            const int delay = reconnecting.at(i).at(1).toInt();
            QVERIFY2(delay >= nominal / 2 && delay <= nominal,
                     qPrintable(QStringLiteral("attempt %1 waits %2 ms").arg(i + 1).arg(delay)));
        }

        // Meanwhile another client works on the same workspace (through a host on another
        // port, which the client under test cannot reach): appends to the kept text, destroys
        // one object and creates another.
        QString created;
        {
            quint16 otherPort = freePort();
            while (otherPort == port) // the first one is free too while its host is down
                otherPort = freePort();
            QVERIFY(otherPort != 0);
            HostProcess other(workspace, otherPort);
            QVERIFY2(other.waitListening(), qPrintable(other.errors()));
            Observer b(urlOf(otherPort));
            QTRY_VERIFY_WITH_TIMEOUT(settled(b.client), kTimeout);
            QTRY_VERIFY_WITH_TIMEOUT(b.client.hasValue(textOf(kept)), kTimeout);
            QCOMPARE(b.client.value(textOf(kept)).toString(), QStringLiteral("hello world"));
            QVERIFY(confirmed(b.client, [&] {
                return b.client.insertText(textOf(kept), 11, QStringLiteral("!"));
            }));
            QVERIFY(confirmed(b.client, [&] { return b.client.destroyObject(doomed); }));
            QVERIFY(confirmed(b.client, [&] {
                auto action = b.client.action();
                created = b.client
                              .createObject(QStringLiteral("TextObject"), QStringLiteral("root"),
                                            {{QStringLiteral("text"), QStringLiteral("new")}})
                              .valueOr({});
                return action.commit();
            }));
            b.client.close();
            other.kill();
        }
        QVERIFY(client.state() != Client::State::Connected);

        // The host comes back on the same port and workspace; the client by itself too.
        QSignalSpy changed(&client, &Client::topicChanged);
        QSignalSpy added(&client, &Client::topicAdded);
        QSignalSpy removed(&client, &Client::topicRemoved);
        host = std::make_unique<HostProcess>(workspace, port);
        QVERIFY2(host->waitListening(), qPrintable(host->errors()));
        QTRY_COMPARE_WITH_TIMEOUT(reconnected.size(), 1, kTimeout);
        QCOMPARE(client.state(), Client::State::Connected);
        const int secondId = client.clientId();
        QCOMPARE(reconnected.at(0).at(0).toInt(), secondId);
        QVERIFY2(secondId > firstId, qPrintable(QString::number(secondId)));
        QCOMPARE(gone.size(), 0);

        // The mirror holds the host's state: the other client's work, the confirmed edit
        // once, and not the edit that was lost.
        QCOMPARE(client.value(textOf(kept)).toString(), QStringLiteral("hello world!"));
        QVERIFY(!client.objectIds().contains(doomed));
        QVERIFY(!client.hasValue(textOf(doomed)));
        QVERIFY(client.objectIds().contains(created));
        QTRY_VERIFY_WITH_TIMEOUT(client.hasValue(textOf(created)), kTimeout);
        QCOMPARE(client.value(textOf(created)).toString(), QStringLiteral("new"));
        QVERIFY(removed.size() > 0 && firstArguments(removed).contains(textOf(doomed)));
        QVERIFY(firstArguments(added).contains(textOf(created)));
        const QStringList changedNames = firstArguments(changed);
        QVERIFY(changedNames.contains(textOf(kept)));
        QVERIFY(changedNames.contains(QStringLiteral("_objects")));
        // A value the host still holds as it was is not reported as changed.
        QCOMPARE(client.value(QStringLiteral("a/%1/style").arg(kept)), styleBefore);
        QVERIFY(!changedNames.contains(QStringLiteral("a/%1/style").arg(kept)));

        // New object ids carry the new client id, and the host accepts them.
        QString after;
        QVERIFY(confirmed(client, [&] {
            auto action = client.action();
            after = client
                        .createObject(QStringLiteral("TextObject"), QStringLiteral("root"),
                                      {{QStringLiteral("text"), QStringLiteral("after")}})
                        .valueOr({});
            return action.commit();
        }));
        QVERIFY2(after.startsWith(QString::number(secondId) + QLatin1Char('_')), qPrintable(after));

        // A newcomer sees exactly what the reconnected client mirrors; nothing was sent twice.
        Observer newcomer(url);
        QTRY_VERIFY_WITH_TIMEOUT(settled(newcomer.client), kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(settled(client) && newcomer.client.hasValue(textOf(after)) &&
                                     client.snapshot() == newcomer.client.snapshot(),
                                 kTimeout);
        QCOMPARE(newcomer.client.value(textOf(kept)).toString(), QStringLiteral("hello world!"));
        QCOMPARE(client.objectTree(), newcomer.client.objectTree());
        QCOMPARE(rejected.size(), 1);

        // The client without a policy stayed where it was.
        QCOMPARE(plain.state(), Client::State::Disconnected);
        client.close();
    }

    void firstOpenRetriesUntilTheHostStartsAndCloseStops()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString workspace = dir.filePath(QStringLiteral("late.osw"));
        const quint16 port = freePort();
        QVERIFY(port != 0);

        // No host yet: the failure is reported and retried, waits doubling up to the cap.
        Client client;
        client.setReconnectPolicy(policy(50, 200, 0));
        QSignalSpy errors(&client, &Client::errorOccurred);
        QSignalSpy reconnecting(&client, &Client::reconnecting);
        QSignalSpy connected(&client, &Client::connected);
        QSignalSpy reconnected(&client, &Client::reconnected);
        QSignalSpy gone(&client, &Client::disconnected);
        client.open(urlOf(port));
        QTRY_VERIFY_WITH_TIMEOUT(reconnecting.size() >= 4, kTimeout);
        QList<int> delays;
        for (int i = 0; i < 4; ++i)
            delays.append(reconnecting.at(i).at(1).toInt());
        QCOMPARE(delays, (QList<int>{50, 100, 200, 200}));
        QVERIFY(errors.size() >= 4);
        QCOMPARE(gone.size(), 0);

        auto host = std::make_unique<HostProcess>(workspace, port);
        QVERIFY2(host->waitListening(), qPrintable(host->errors()));
        QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 1, kTimeout);
        QCOMPARE(client.state(), Client::State::Connected);
        // Nothing to bring back: a first connection is no reconnection.
        QTRY_VERIFY_WITH_TIMEOUT(client.topicNames().contains(QStringLiteral("_objects")),
                                 kTimeout);
        QCOMPARE(reconnected.size(), 0);

        // Lost again, then closed while waiting: it stays closed when the host returns.
        host->kill();
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), Client::State::Reconnecting, kTimeout);
        client.close();
        QCOMPARE(client.state(), Client::State::Disconnected);
        QCOMPARE(gone.size(), 1);
        const qsizetype attempts = reconnecting.size();
        host = std::make_unique<HostProcess>(workspace, port);
        QVERIFY2(host->waitListening(), qPrintable(host->errors()));
        QTest::qWait(1000); // five times the longest wait
        QCOMPARE(client.state(), Client::State::Disconnected);
        QCOMPARE(reconnecting.size(), attempts);
        QCOMPARE(connected.size(), 1);
    }
};

QTEST_GUILESS_MAIN(TstClientReconnect)
#include "tst_clientreconnect.moc"
