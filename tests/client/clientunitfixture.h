// SPDX-License-Identifier: MIT
// What the client unit tests share: a scripted host with a client connected to it, and the
// messages such a host sends, built field by field.
#pragma once

#include "fakehost.h"

#include <objectsync/client.h>

#include <QSignalSpy>
#include <QtTest>
#include <memory>

namespace clientunit {

inline constexpr int kTimeout = 10000;

inline QJsonObject descriptor(const QString &type, const QJsonValue &boundary = {})
{
    return {{QStringLiteral("type"), type},
            {QStringLiteral("is_stateful"), true},
            {QStringLiteral("order_strict"), true},
            {QStringLiteral("boundary_value"), boundary}};
}

inline QJsonObject change(const QString &topic, const QString &topicType, const QString &type,
                          const QString &id, const QJsonObject &extra = {})
{
    QJsonObject c = extra;
    c.insert(QStringLiteral("topic_name"), topic);
    c.insert(QStringLiteral("topic_type"), topicType);
    c.insert(QStringLiteral("type"), type);
    c.insert(QStringLiteral("id"), id);
    return c;
}

inline QJsonObject update(const QJsonArray &changes, const QString &actionId)
{
    return {{QStringLiteral("changes"), changes}, {QStringLiteral("action_id"), actionId}};
}

inline QJsonObject init(const QString &topic, const QJsonValue &value, const QString &version = {})
{
    QJsonObject a{{QStringLiteral("topic_name"), topic}, {QStringLiteral("value"), value}};
    if (!version.isEmpty())
        a.insert(QStringLiteral("id"), version);
    return a;
}

/*! The scripted host and the client under test. A test class derives from it (after QObject),
 *  calls start() first in each test and stop() in its cleanup(). */
class ClientUnitFixture
{
protected:
    using Client = objectsync::Client;

    std::unique_ptr<FakeHost> host;
    std::unique_ptr<Client> client;

    /*! Connects, says hello (client id 7) and publishes a topic list with a few topics whose
     *  values the client receives. */
    void start(Client::Follow follow = Client::Follow::Everything)
    {
        host = std::make_unique<FakeHost>();
        client = std::make_unique<Client>();
        client->setFollow(follow);
        QSignalSpy peer(host.get(), &FakeHost::peerConnected);
        QSignalSpy connected(client.get(), &Client::connected);
        client->open(host->url());
        QVERIFY(peer.wait(kTimeout));
        host->send(QStringLiteral("hello"), {{QStringLiteral("id"), 7}});
        QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 1, kTimeout);
        QCOMPARE(client->clientId(), 7);
        QCOMPARE(client->state(), Client::State::Connected);
        QTRY_COMPARE_WITH_TIMEOUT(host->subscriptions(),
                                  QStringList{QStringLiteral("_topicsync/topic_list")}, kTimeout);
        QJsonObject list{{QStringLiteral("_topicsync/topic_list"), descriptor("dict")},
                         {QStringLiteral("n"), descriptor("int")},
                         {QStringLiteral("s"), descriptor("string")},
                         {QStringLiteral("d"), descriptor("dict")},
                         {QStringLiteral("l"), descriptor("list")},
                         {QStringLiteral("tags"), descriptor("set")},
                         {QStringLiteral("f"), descriptor("float")},
                         {QStringLiteral("g"), descriptor("generic")},
                         {QStringLiteral("ev"), descriptor("event")}};
        host->send(QStringLiteral("init"), init(QStringLiteral("_topicsync/topic_list"), list));
        if (follow != Client::Follow::Everything)
            return;
        QTRY_COMPARE_WITH_TIMEOUT(host->subscriptions().size(), 9, kTimeout);
        host->send(QStringLiteral("init"), init(QStringLiteral("n"), 1));
        host->send(QStringLiteral("init"), init(QStringLiteral("s"), QStringLiteral("abc"), "v0"));
        host->send(QStringLiteral("init"), init(QStringLiteral("d"), QJsonObject{{"k", 1}}));
        host->send(QStringLiteral("init"), init(QStringLiteral("l"), QJsonArray{1, 2}));
        host->send(QStringLiteral("init"), init(QStringLiteral("tags"), QJsonArray{"a"}));
        host->send(QStringLiteral("init"), init(QStringLiteral("f"), 0.5));
        host->send(QStringLiteral("init"), init(QStringLiteral("g"), QJsonValue()));
        host->send(QStringLiteral("init"), init(QStringLiteral("ev"), QJsonValue()));
        QTRY_VERIFY_WITH_TIMEOUT(client->hasValue(QStringLiteral("ev")), kTimeout);
    }

    QJsonObject lastAction() const
    {
        const auto actions = host->args(QStringLiteral("action"));
        return actions.isEmpty() ? QJsonObject() : actions.last();
    }

    /*! Sends back the client's last action as the host's update, unchanged. */
    void echoLastAction()
    {
        const QJsonObject a = lastAction();
        host->send(QStringLiteral("update"),
                   update(a.value(QStringLiteral("commands")).toArray(),
                          a.value(QStringLiteral("action_id")).toString()));
    }

    /*! Deletes the client, then the host: each test starts from nothing. */
    void stop()
    {
        client.reset();
        host.reset();
    }
};

} // namespace clientunit
