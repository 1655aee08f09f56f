// SPDX-License-Identifier: MIT
// The batched join from the client's side: it joins with subscribe_many when the host offers
// it, subscribes topic by topic when it does not, and ends with the same mirror either way.
#include "fakehost.h"
#include "loopback.h"

#include <QSignalSpy>
#include <QtTest>

using objectsync::Client;
using namespace loopback;

namespace {
const QString topicList = QStringLiteral("_topicsync/topic_list");

QJsonObject descriptor(const QString &type, const QJsonValue &boundary = {})
{
    return {{QStringLiteral("type"), type},
            {QStringLiteral("is_stateful"), true},
            {QStringLiteral("order_strict"), true},
            {QStringLiteral("boundary_value"), boundary}};
}

/*! Connects a client to a scripted host that says \a hello. */
std::unique_ptr<Client> connectTo(FakeHost &host, const QJsonObject &hello, Client::Follow follow)
{
    auto client = std::make_unique<Client>();
    client->setFollow(follow);
    QSignalSpy peer(&host, &FakeHost::peerConnected);
    client->open(host.url());
    if (!peer.wait(kTimeout))
        return {};
    host.send(QStringLiteral("hello"), hello);
    return client;
}
} // namespace

class TstClientJoin : public QObject
{
    Q_OBJECT
private slots:
    void fallsBackWhenTheHostDoesNotOfferIt()
    {
        FakeHost host;
        const auto client =
            connectTo(host, {{QStringLiteral("id"), 3}}, Client::Follow::Everything);
        QVERIFY(client);
        QTRY_COMPARE_WITH_TIMEOUT(host.subscriptions(), QStringList{topicList}, kTimeout);
        QVERIFY(host.args(QStringLiteral("subscribe_many")).isEmpty());
    }

    void joinsInOneRequestWhenOffered()
    {
        FakeHost host;
        const auto client =
            connectTo(host,
                      {{QStringLiteral("id"), 3},
                       {QStringLiteral("features"),
                        QJsonArray{QStringLiteral("x"), QStringLiteral("subscribe_many")}}},
                      Client::Follow::ObjectTree);
        QVERIFY(client);
        QTRY_COMPARE_WITH_TIMEOUT(host.args(QStringLiteral("subscribe_many")).size(), 1, kTimeout);
        const QJsonObject request = host.args(QStringLiteral("subscribe_many")).first();
        QCOMPARE(request.value(QStringLiteral("topic_names")).toArray(),
                 (QJsonArray{topicList, QStringLiteral("_objects")}));
        QCOMPARE(request.value(QStringLiteral("prefixes")).toArray(),
                 QJsonArray{QStringLiteral("parent_id/")});

        // The answer in two messages; the client applies it once the last one is in.
        QSignalSpy changed(client.get(), &Client::topicChanged);
        host.send(
            QStringLiteral("init_many"),
            {{QStringLiteral("descriptors"),
              QJsonArray{descriptor(QStringLiteral("dict")),
                         descriptor(QStringLiteral("string"), QStringLiteral("root"))}},
             {QStringLiteral("listed"),
              QJsonArray{QJsonArray{topicList, 0}, QJsonArray{QStringLiteral("_objects"), 0},
                         QJsonArray{QStringLiteral("parent_id/root"), 1},
                         QJsonArray{QStringLiteral("parent_id/3_1"), 1}}},
             {QStringLiteral("topics"),
              QJsonArray{QJsonArray{QStringLiteral("_objects"),
                                    QJsonObject{{QStringLiteral("root"), QStringLiteral("Root")},
                                                {QStringLiteral("3_1"), QStringLiteral("note")}}}}},
             {QStringLiteral("last"), false}});
        host.send(QStringLiteral("init_many"),
                  {{QStringLiteral("topics"),
                    QJsonArray{QJsonArray{QStringLiteral("parent_id/root"), QString(),
                                          QStringLiteral("0")},
                               QJsonArray{QStringLiteral("parent_id/3_1"), QStringLiteral("root"),
                                          QStringLiteral("v2")}}},
                   {QStringLiteral("last"), true}});
        QTRY_COMPARE_WITH_TIMEOUT(client->parentId(QStringLiteral("3_1")), QStringLiteral("root"),
                                  kTimeout);
        QCOMPARE(client->version(QStringLiteral("parent_id/3_1")), QStringLiteral("v2"));
        QCOMPARE(client->objectIds(), (QStringList{QStringLiteral("3_1"), QStringLiteral("root")}));
        QCOMPARE(client->topicNames().size(), 4);
        QVERIFY(client->isSubscribed(QStringLiteral("parent_id/3_1")));
        // Nothing was asked for again topic by topic.
        QTest::qWait(50);
        QVERIFY(host.subscriptions().isEmpty());

        // A topic added afterwards is subscribed on its own, as ever.
        host.send(QStringLiteral("update"),
                  {{QStringLiteral("action_id"), QString()},
                   {QStringLiteral("changes"),
                    QJsonArray{QJsonObject{
                        {QStringLiteral("topic_name"), topicList},
                        {QStringLiteral("topic_type"), QStringLiteral("dict")},
                        {QStringLiteral("type"), QStringLiteral("add")},
                        {QStringLiteral("id"), QStringLiteral("h1")},
                        {QStringLiteral("key"), QStringLiteral("parent_id/3_2")},
                        {QStringLiteral("value"), descriptor(QStringLiteral("string"))}}}}});
        QTRY_COMPARE_WITH_TIMEOUT(host.subscriptions(),
                                  QStringList{QStringLiteral("parent_id/3_2")}, kTimeout);
    }

    void unknownNamesAreNotSubscribed()
    {
        FakeHost host;
        auto client = std::make_unique<Client>();
        client->subscribe(QStringLiteral("gone"));
        QSignalSpy peer(&host, &FakeHost::peerConnected);
        client->open(host.url());
        QVERIFY(peer.wait(kTimeout));
        host.send(QStringLiteral("hello"),
                  {{QStringLiteral("id"), 4},
                   {QStringLiteral("features"), QJsonArray{QStringLiteral("subscribe_many")}}});
        QTRY_COMPARE_WITH_TIMEOUT(host.args(QStringLiteral("subscribe_many")).size(), 1, kTimeout);
        QCOMPARE(host.args(QStringLiteral("subscribe_many"))
                     .first()
                     .value(QStringLiteral("topic_names"))
                     .toArray(),
                 (QJsonArray{topicList, QStringLiteral("gone")}));
        host.send(QStringLiteral("init_many"),
                  {{QStringLiteral("descriptors"), QJsonArray{descriptor(QStringLiteral("dict"))}},
                   {QStringLiteral("listed"), QJsonArray{QJsonArray{topicList, 0}}},
                   {QStringLiteral("topics"), QJsonArray()},
                   {QStringLiteral("unknown"), QJsonArray{QStringLiteral("gone")}},
                   {QStringLiteral("last"), true}});
        QTRY_COMPARE_WITH_TIMEOUT(client->topicNames(), QStringList{topicList}, kTimeout);
        QVERIFY(!client->isSubscribed(QStringLiteral("gone")));
    }

    void aRealHostGivesTheSameMirrorBothWays_data()
    {
        QTest::addColumn<bool>("offered");
        QTest::newRow("batched join") << true;
        QTest::newRow("topic by topic") << false;
    }

    void aRealHostGivesTheSameMirrorBothWays()
    {
        QFETCH(bool, offered);
        Fixture fx;
        objectsync::ServerOptions options = fx.server->options();
        options.batchedJoin = offered;
        fx.server->setOptions(options);
        for (int i = 1; i <= 30; ++i)
            fx.engine.createObject<Note>(nullptr, QStringLiteral("0_%1").arg(i));
        Client *c = fx.connect(Client::Follow::Everything);
        QTRY_VERIFY2_WITH_TIMEOUT(converged(*c, fx.engine), difference(*c, fx.engine), kTimeout);
        // Changes after the join reach the mirror.
        auto *text = static_cast<objectsync::StringTopic *>(
            fx.engine.topic(attr(QStringLiteral("0_7"), QStringLiteral("text"))));
        text->set(QStringLiteral("after"));
        fx.engine.createObject<Note>(nullptr, QStringLiteral("0_99"));
        QTRY_VERIFY2_WITH_TIMEOUT(converged(*c, fx.engine), difference(*c, fx.engine), kTimeout);
        QCOMPARE(c->value(attr(QStringLiteral("0_7"), QStringLiteral("text"))).toString(),
                 QStringLiteral("after"));
    }

    void reconnectingJoinsAgain()
    {
        Fixture fx;
        for (int i = 1; i <= 5; ++i)
            fx.engine.createObject<Note>(nullptr, QStringLiteral("0_%1").arg(i));
        Client *c = fx.connect(Client::Follow::Nothing);
        c->subscribe(attr(QStringLiteral("0_2"), QStringLiteral("count")));
        QTRY_VERIFY_WITH_TIMEOUT(c->hasValue(attr(QStringLiteral("0_2"), QStringLiteral("count"))),
                                 kTimeout);
        objectsync::ReconnectPolicy policy;
        policy.enabled = true;
        policy.initialDelayMs = 10;
        c->setReconnectPolicy(policy);
        QSignalSpy reconnected(c, &Client::reconnected);
        fx.server->disconnectClient(c->clientId());
        static_cast<objectsync::IntTopic *>(
            fx.engine.topic(attr(QStringLiteral("0_2"), QStringLiteral("count"))))
            ->set(9);
        QTRY_COMPARE_WITH_TIMEOUT(reconnected.size(), 1, kTimeout);
        QCOMPARE(c->value(attr(QStringLiteral("0_2"), QStringLiteral("count"))).toInt(), 9);
    }
};

QTEST_MAIN(TstClientJoin)
#include "tst_clientjoin.moc"
