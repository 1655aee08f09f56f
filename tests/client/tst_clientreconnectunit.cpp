// SPDX-License-Identifier: MIT
// Reconnecting, rule by rule: the backoff schedule, and against a scripted host what the
// client rolls back, reports, subscribes to again and keeps after its connection drops.
#include "client/backoff.h"
#include "fakehost.h"

#include <objectsync/client.h>

#include <QSignalSpy>
#include <QTcpServer>
#include <QtTest>
#include <cmath>

using namespace objectsync;

namespace {
constexpr int kTimeout = 10000;

QJsonObject descriptor(const QString &type)
{
    return {{QStringLiteral("type"), type},
            {QStringLiteral("is_stateful"), true},
            {QStringLiteral("order_strict"), true},
            {QStringLiteral("boundary_value"), QJsonValue()}};
}

QJsonObject init(const QString &topic, const QJsonValue &value, const QString &version = {})
{
    QJsonObject a{{QStringLiteral("topic_name"), topic}, {QStringLiteral("value"), value}};
    if (!version.isEmpty())
        a.insert(QStringLiteral("id"), version);
    return a;
}

/*! A port on 127.0.0.1 where nothing listens. */
quint16 deadPort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort(); // closed when probe goes
}

ReconnectPolicy fastPolicy(int maxAttempts = -1)
{
    ReconnectPolicy p;
    p.enabled = true;
    p.initialDelayMs = 10;
    p.maxDelayMs = 40;
    p.factor = 2;
    p.jitter = 0;
    p.maxAttempts = maxAttempts;
    return p;
}

QStringList names(const QSignalSpy &spy)
{
    QStringList out;
    for (const QList<QVariant> &args : spy)
        out.append(args.at(0).toString());
    return out;
}
} // namespace

class TstClientReconnectUnit : public QObject
{
    Q_OBJECT

    std::unique_ptr<FakeHost> host;
    std::unique_ptr<Client> client;

    /*! The client's first connection: hello (client id 7), a topic list, and the values of
     *  `_objects`, every `parent_id/<id>`, and the topics it subscribes to by name. */
    void start()
    {
        host = std::make_unique<FakeHost>();
        client = std::make_unique<Client>();
        client->setReconnectPolicy(fastPolicy());
        client->setFollow(Client::Follow::ObjectTree);
        for (const QString name : {"n", "s", "t", "gone"})
            client->subscribe(name);
        QSignalSpy peer(host.get(), &FakeHost::peerConnected);
        client->open(host->url());
        QVERIFY(peer.wait(kTimeout));
        host->send("hello", {{"id", 7}});
        QTRY_COMPARE_WITH_TIMEOUT(client->state(), Client::State::Connected, kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(host->subscriptions().contains("gone"), kTimeout);
        host->send("init", init("_topicsync/topic_list",
                                QJsonObject{{"_topicsync/topic_list", descriptor("dict")},
                                            {"_objects", descriptor("dict")},
                                            {"parent_id/root", descriptor("string")},
                                            {"parent_id/7_1", descriptor("string")},
                                            {"n", descriptor("int")},
                                            {"s", descriptor("string")},
                                            {"t", descriptor("int")},
                                            {"gone", descriptor("int")}}));
        QTRY_COMPARE_WITH_TIMEOUT(host->subscriptions().size(), 8, kTimeout);
        host->send("init", init("_objects", QJsonObject{{"root", "Root"}, {"7_1", "text"}}));
        host->send("init", init("parent_id/root", "", "r0"));
        host->send("init", init("parent_id/7_1", "root", "p0"));
        host->send("init", init("n", 1));
        host->send("init", init("s", "abc", "v0"));
        host->send("init", init("t", 3));
        host->send("init", init("gone", 5));
        QTRY_VERIFY_WITH_TIMEOUT(client->hasValue("gone"), kTimeout);
    }

    /*! Sends back the client's last action as the host's update. */
    void echoLastAction()
    {
        const QJsonObject a = host->args("action").last();
        host->send("update",
                   {{"changes", a.value("commands")}, {"action_id", a.value("action_id")}});
    }

private slots:
    void cleanup()
    {
        client.reset();
        host.reset();
    }

    // ---- the schedule ------------------------------------------------------------------

    void backoffGrowsThenIsCapped()
    {
        ReconnectPolicy p;
        p.initialDelayMs = 100;
        p.maxDelayMs = 1000;
        p.factor = 2;
        p.jitter = 0;
        QList<int> delays;
        for (int attempt = 1; attempt <= 6; ++attempt)
            delays.append(client::backoffDelayMs(p, attempt, 0.5));
        QCOMPARE(delays, (QList<int>{100, 200, 400, 800, 1000, 1000}));
        // A long run of attempts does not overflow past the cap.
        QCOMPARE(client::backoffDelayMs(p, 5000, 0.5), 1000);
        p.factor = 1.5;
        QCOMPARE(client::backoffDelayMs(p, 3, 0.0), 225);
    }

    void backoffJitterStaysWithinBounds()
    {
        ReconnectPolicy p;
        p.initialDelayMs = 300;
        p.maxDelayMs = 5000;
        p.factor = 2;
        for (const double jitter : {0.0, 0.25, 0.5, 1.0}) {
            p.jitter = jitter;
            for (int attempt = 1; attempt <= 8; ++attempt) {
                const double nominal = std::min(5000.0, 300.0 * std::pow(2.0, attempt - 1));
                const int low = int(std::floor(nominal * (1 - jitter)));
                for (int step = 0; step < 100; ++step) {
                    const double random = step / 100.0;
                    const int delay = client::backoffDelayMs(p, attempt, random);
                    QVERIFY2(delay >= low && delay <= int(nominal),
                             qPrintable(QStringLiteral("jitter %1 attempt %2 random %3: %4")
                                            .arg(jitter)
                                            .arg(attempt)
                                            .arg(random)
                                            .arg(delay)));
                }
            }
        }
        // The random part really moves the delay: the lowest and highest draws differ by the
        // jittered fraction.
        p.jitter = 0.5;
        QCOMPARE(client::backoffDelayMs(p, 1, 0.0), 150);
        QCOMPARE(client::backoffDelayMs(p, 1, 0.999999), 300);
    }

    void backoffReadsOddSettingsSensibly()
    {
        ReconnectPolicy p;
        p.initialDelayMs = 100;
        p.maxDelayMs = 1000;
        p.factor = 0.5; // a shrinking wait is read as a constant one
        p.jitter = 3;   // more than all of it is random: read as all
        QCOMPARE(client::backoffDelayMs(p, 4, 0.0), 0);
        QCOMPARE(client::backoffDelayMs(p, 4, 0.5), 50);
        p.jitter = -1;
        QCOMPARE(client::backoffDelayMs(p, 4, 0.0), 100);
        p.initialDelayMs = 0; // at once, every time, even when the growth is enormous
        p.factor = 1e300;
        QCOMPARE(client::backoffDelayMs(p, 100, 0.5), 0);
        p.initialDelayMs = -5;
        QCOMPARE(client::backoffDelayMs(p, 1, 0.5), 0);
        p.initialDelayMs = 100;
        p.maxDelayMs = 50; // the cap wins over the first wait
        QCOMPARE(client::backoffDelayMs(p, 1, 0.5), 50);
        p.factor = std::nan("");
        p.maxDelayMs = 1000;
        QCOMPARE(client::backoffDelayMs(p, 7, 0.5), 100);
        QCOMPARE(client::backoffDelayMs(p, 0, 0.5), 100); // attempts count from 1
    }

    // ---- the client --------------------------------------------------------------------

    void offByDefault()
    {
        host = std::make_unique<FakeHost>();
        client = std::make_unique<Client>();
        QVERIFY(!client->reconnectPolicy().enabled);
        QSignalSpy peer(host.get(), &FakeHost::peerConnected);
        QSignalSpy gone(client.get(), &Client::disconnected);
        QSignalSpy reconnecting(client.get(), &Client::reconnecting);
        client->open(host->url());
        QVERIFY(peer.wait(kTimeout));
        host->send("hello", {{"id", 7}});
        QTRY_COMPARE_WITH_TIMEOUT(client->state(), Client::State::Connected, kTimeout);
        host->peer()->close();
        QTRY_COMPARE_WITH_TIMEOUT(gone.size(), 1, kTimeout);
        QCOMPARE(client->state(), Client::State::Disconnected);
        QTest::qWait(200);
        QCOMPARE(peer.size(), 1); // no second connection
        QCOMPARE(reconnecting.size(), 0);
        QCOMPARE(client->state(), Client::State::Disconnected);
    }

    void dropRollsBackReportsAndRebuilds()
    {
        start();
        // One confirmed change, then three unconfirmed actions: two sent, one held back
        // behind the first edit of the same text.
        QVERIFY(client->set("n", 2));
        QTRY_COMPARE_WITH_TIMEOUT(host->args("action").size(), 1, kTimeout);
        QSignalSpy confirmed(client.get(), &Client::actionConfirmed);
        echoLastAction();
        QTRY_COMPARE_WITH_TIMEOUT(confirmed.size(), 1, kTimeout);
        const QString addId = client->add("n", 1).valueOr({});
        const QString insertId = client->insertText("s", 3, "x").valueOr({});
        const QString heldId = client->insertText("s", 0, "y").valueOr({});
        QVERIFY(!addId.isEmpty() && !insertId.isEmpty() && !heldId.isEmpty());
        QCOMPARE(client->value("n"), QJsonValue(3));
        QCOMPARE(client->value("s"), QJsonValue("yabcx"));
        QCOMPARE(client->pendingCount(), 3);
        QTRY_COMPARE_WITH_TIMEOUT(host->args("action").size(), 3, kTimeout);

        QSignalSpy rolled(client.get(), &Client::rolledBack);
        QSignalSpy rejected(client.get(), &Client::actionRejected);
        QSignalSpy reconnecting(client.get(), &Client::reconnecting);
        QSignalSpy reconnected(client.get(), &Client::reconnected);
        QSignalSpy connected(client.get(), &Client::connected);
        QSignalSpy disconnected(client.get(), &Client::disconnected);
        QSignalSpy peer(host.get(), &FakeHost::peerConnected);
        host->peer()->close();
        QTRY_COMPARE_WITH_TIMEOUT(rejected.size(), 3, kTimeout);
        QCOMPARE(rolled.size(), 1);
        QCOMPARE(names(rejected), (QStringList{addId, insertId, heldId}));
        for (const QList<QVariant> &args : rejected)
            QVERIFY2(args.at(1).toString().contains("connection was lost"),
                     qPrintable(args.at(1).toString()));
        // Back to what the host confirmed; nothing more waits.
        QCOMPARE(client->value("n"), QJsonValue(2));
        QCOMPARE(client->value("s"), QJsonValue("abc"));
        QCOMPARE(client->pendingCount(), 0);
        QCOMPARE(disconnected.size(), 0);
        QCOMPARE(reconnecting.size(), 1);
        QCOMPARE(reconnecting.at(0).at(0).toInt(), 1);
        QCOMPARE(reconnecting.at(0).at(1).toInt(), 10);

        // While away: no changes, no ids of the old session, and an unsubscribe is kept.
        // (The wait is short: the client may already be connecting again.)
        QVERIFY(client->state() != Client::State::Connected);
        QCOMPARE(client->clientId(), 0);
        const Result<QString> offline = client->set("n", 5);
        QVERIFY(!offline);
        QCOMPARE(offline.error().code(), ErrorCode::Io);
        QCOMPARE(offline.errorMessage(), QStringLiteral("the client is not connected"));
        QCOMPARE(client->newObjectId().error().code(), ErrorCode::Io);
        QSignalSpy changed(client.get(), &Client::topicChanged);
        client->unsubscribe("t");
        QVERIFY(!client->hasValue("t"));
        QCOMPARE(names(changed), QStringList{"t"});

        QVERIFY(peer.wait(kTimeout));
        host->received.clear();
        changed.clear();
        QSignalSpy added(client.get(), &Client::topicAdded);
        QSignalSpy removed(client.get(), &Client::topicRemoved);
        host->send("hello", {{"id", 9}});
        QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 1, kTimeout);
        QCOMPARE(connected.at(0).at(0).toInt(), 9);
        QCOMPARE(client->clientId(), 9);
        QCOMPARE(client->state(), Client::State::Connected);
        // Explicit subscriptions go at once; the rest once the topic list shows what is left.
        QTRY_COMPARE_WITH_TIMEOUT(host->subscriptions().size(), 4, kTimeout);
        QCOMPARE(host->subscriptions().first(), QStringLiteral("_topicsync/topic_list"));
        QStringList early = host->subscriptions().mid(1);
        early.sort();
        QCOMPARE(early, (QStringList{"gone", "n", "s"}));
        // Meanwhile object 7_1 and topic "gone" went away; object 8_1 and topic "m" came.
        host->send("init", init("_topicsync/topic_list",
                                QJsonObject{{"_topicsync/topic_list", descriptor("dict")},
                                            {"_objects", descriptor("dict")},
                                            {"parent_id/root", descriptor("string")},
                                            {"parent_id/8_1", descriptor("string")},
                                            {"n", descriptor("int")},
                                            {"s", descriptor("string")},
                                            {"t", descriptor("int")},
                                            {"m", descriptor("int")}}));
        QTRY_COMPARE_WITH_TIMEOUT(host->subscriptions().size(), 7, kTimeout);
        QStringList subscribed = host->subscriptions();
        subscribed.sort();
        QCOMPARE(subscribed, (QStringList{"_objects", "_topicsync/topic_list", "gone", "n",
                                          "parent_id/8_1", "parent_id/root", "s"}));
        QCOMPARE(names(removed), (QStringList{"gone", "parent_id/7_1"}));
        QStringList addedNames = names(added);
        addedNames.sort();
        QCOMPARE(addedNames, (QStringList{"m", "parent_id/8_1"}));
        QVERIFY(!client->hasValue("gone"));
        QVERIFY(!client->hasValue("parent_id/7_1"));
        // The old values stay until the host's arrive.
        QCOMPARE(client->value("s"), QJsonValue("abc"));
        host->send("init", init("_objects", QJsonObject{{"root", "Root"}, {"8_1", "text"}}));
        host->send("init", init("parent_id/root", "", "r0"));
        host->send("init", init("parent_id/8_1", "root", "p1"));
        host->send("init", init("n", 2));
        QTRY_COMPARE_WITH_TIMEOUT(client->parentId("8_1"), QStringLiteral("root"), kTimeout);
        QCOMPARE(reconnected.size(), 0); // "s" has not arrived yet
        host->send("init", init("s", "abcZ", "v5"));
        QTRY_COMPARE_WITH_TIMEOUT(reconnected.size(), 1, kTimeout);
        QCOMPARE(reconnected.at(0).at(0).toInt(), 9);

        QCOMPARE(client->value("s"), QJsonValue("abcZ"));
        QCOMPARE(client->version("s"), QStringLiteral("v5"));
        QCOMPARE(client->objectIds(), (QStringList{"8_1", "root"}));
        // topicChanged for what changed or went, not for what the host still holds as it was.
        QStringList changedNames = names(changed);
        changedNames.removeDuplicates();
        changedNames.sort();
        QCOMPARE(changedNames, (QStringList{"_objects", "_topicsync/topic_list", "gone",
                                            "parent_id/7_1", "parent_id/8_1", "s"}));
        // Nothing was sent again.
        QCOMPARE(host->args("action").size(), 0);

        // New ids carry the new client id, and changes go as usual.
        QVERIFY(client->newObjectId().valueOr({}).startsWith("9_"));
        const QString id = client->set("n", 4).valueOr({});
        QVERIFY(id.startsWith("9_"));
        QTRY_COMPARE_WITH_TIMEOUT(host->args("action").size(), 1, kTimeout);
        const QJsonObject command =
            host->args("action").last().value("commands").toArray().at(0).toObject();
        QVERIFY(command.value("id").toString().startsWith("9_"));
        echoLastAction();
        QTRY_COMPARE_WITH_TIMEOUT(client->pendingCount(), 0, kTimeout);
        QCOMPARE(client->value("n"), QJsonValue(4));
        QCOMPARE(rolled.size(), 1);
    }

    void dropInsideAnOpenActionSendsNothing()
    {
        start();
        QSignalSpy rejected(client.get(), &Client::actionRejected);
        QString id;
        {
            auto action = client->action();
            id = client->set("n", 8).valueOr({}); // inside the scope: the action's id
            QVERIFY(!id.isEmpty());
            QCOMPARE(client->value("n"), QJsonValue(8));
            host->peer()->close();
            // The event loop runs inside the scope (a modal dialog would do the same).
            QTRY_VERIFY_WITH_TIMEOUT(client->state() != Client::State::Connected, kTimeout);
            QCOMPARE(client->value("n"), QJsonValue(1));
            const Result<QString> committed = action.commit();
            QVERIFY(!committed);
            QCOMPARE(committed.error().code(), ErrorCode::Io);
            QVERIFY(committed.errorMessage().contains("connection was lost"));
        }
        QCOMPARE(rejected.size(), 1);
        QCOMPARE(rejected.at(0).at(0).toString(), id);
        QCOMPARE(client->pendingCount(), 0);
        QCOMPARE(client->value("n"), QJsonValue(1));
        QCOMPARE(host->args("action").size(), 0);
    }

    void givesUpAfterTheLastAttempt()
    {
        const quint16 port = deadPort();
        QVERIFY(port != 0);
        client = std::make_unique<Client>();
        client->setReconnectPolicy(fastPolicy(3));
        QSignalSpy reconnecting(client.get(), &Client::reconnecting);
        QSignalSpy errors(client.get(), &Client::errorOccurred);
        QSignalSpy gone(client.get(), &Client::disconnected);
        client->open(QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(port)));
        QTRY_COMPARE_WITH_TIMEOUT(gone.size(), 1, kTimeout);
        QCOMPARE(client->state(), Client::State::Disconnected);
        // The first open and each attempt failed; each wait twice the one before, capped.
        QCOMPARE(reconnecting.size(), 3);
        QList<int> delays;
        for (int i = 0; i < reconnecting.size(); ++i) {
            QCOMPARE(reconnecting.at(i).at(0).toInt(), i + 1);
            delays.append(reconnecting.at(i).at(1).toInt());
        }
        QCOMPARE(delays, (QList<int>{10, 20, 40}));
        QVERIFY(errors.size() >= 4);
        QVERIFY2(errors.last().at(0).toString().contains("giving up"),
                 qPrintable(errors.last().at(0).toString()));
        QTest::qWait(100);
        QCOMPARE(reconnecting.size(), 3);
    }

    void closeOrTurningItOffStopsReconnecting()
    {
        const quint16 port = deadPort();
        QVERIFY(port != 0);
        client = std::make_unique<Client>();
        ReconnectPolicy slow = fastPolicy();
        slow.initialDelayMs = slow.maxDelayMs = 100;
        client->setReconnectPolicy(slow);
        QSignalSpy reconnecting(client.get(), &Client::reconnecting);
        QSignalSpy gone(client.get(), &Client::disconnected);
        const QUrl url(QStringLiteral("ws://127.0.0.1:%1").arg(port));
        client->open(url);
        QTRY_COMPARE_WITH_TIMEOUT(client->state(), Client::State::Reconnecting, kTimeout);
        client->close();
        QCOMPARE(client->state(), Client::State::Disconnected);
        QCOMPARE(gone.size(), 1);
        const qsizetype attempts = reconnecting.size();
        QTest::qWait(300);
        QCOMPARE(reconnecting.size(), attempts);
        QCOMPARE(client->state(), Client::State::Disconnected);

        client->open(url);
        QTRY_COMPARE_WITH_TIMEOUT(client->state(), Client::State::Reconnecting, kTimeout);
        client->setReconnectPolicy({});
        QCOMPARE(client->state(), Client::State::Disconnected);
        QCOMPARE(gone.size(), 2);
        QTest::qWait(300);
        QCOMPARE(client->state(), Client::State::Disconnected);
    }
};

QTEST_GUILESS_MAIN(TstClientReconnectUnit)
#include "tst_clientreconnectunit.moc"
