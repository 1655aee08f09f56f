// SPDX-License-Identifier: MIT
#pragma once

// A host (Engine + Server on 127.0.0.1, a free port) and real clients connected to it.

#include <objectsync/client.h>
#include <objectsync/objectsync.h>
#include <objectsync/server.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QtTest>
#include <memory>
#include <vector>

namespace loopback {

constexpr int kTimeout = 20000;

/*! An object with one attribute of every topic type and an event. */
class Note : public objectsync::SObject
{
    OBJECTSYNC_OBJECT(Note, "note")
protected:
    void preBuild(const QJsonObject &) override
    {
        using namespace objectsync;
        addAttribute<StringTopic>(QStringLiteral("text"), QString());
        addAttribute<IntTopic>(QStringLiteral("count"), 0);
        addAttribute<FloatTopic>(QStringLiteral("ratio"), 0.0);
        addAttribute<DictTopic>(QStringLiteral("data"), QJsonObject());
        addAttribute<ListTopic>(QStringLiteral("items"), QJsonArray());
        addAttribute<SetTopic>(QStringLiteral("flags"), QJsonArray());
        addAttribute<GenericTopic>(QStringLiteral("any"), QJsonValue());
        addEvent(QStringLiteral("ping"));
    }
};

/*! The attribute topic "a/<id>/<name>". */
inline QString attr(const QString &id, const QString &name)
{
    return QStringLiteral("a/%1/%2").arg(id, name);
}

/*! Every topic value of the engine, by name, as a client mirrors it (events and the topic
 *  list left out). */
inline QJsonObject hostSnapshot(const objectsync::Engine &engine)
{
    QJsonObject o;
    for (const QString &name : engine.topicNames()) {
        const objectsync::Topic *t = engine.topic(name);
        if (t->type() == objectsync::TopicType::Event ||
            name == QLatin1String("_topicsync/topic_list"))
            continue;
        o.insert(name, t->value());
    }
    return o;
}

/*! The engine's tree in the shape of Client::objectTree(). */
inline QJsonObject hostTree(const objectsync::Engine &engine)
{
    QJsonObject tree;
    for (const QString &id : engine.objectIds()) {
        const objectsync::SObject *o = engine.object(id);
        if (!o)
            continue;
        tree.insert(id, QJsonObject{{QStringLiteral("type"), o->frontendType()},
                                    {QStringLiteral("parent"),
                                     o->parent() ? o->parent()->id() : QString()}});
    }
    return tree;
}

/*! True when the client has every value of the host's topics and nothing unconfirmed. */
inline bool settled(const objectsync::Client &c)
{
    if (c.state() != objectsync::Client::State::Connected || c.pendingCount() > 0 ||
        c.topicNames().isEmpty())
        return false;
    for (const QString &name : c.topicNames())
        if (name != QLatin1String("_topicsync/topic_list") && c.isSubscribed(name) &&
            !c.hasValue(name))
            return false;
    return true;
}

/*! True when the client's mirror equals the host's state. */
inline bool converged(const objectsync::Client &c, const objectsync::Engine &engine)
{
    QStringList hostNames = engine.topicNames();
    hostNames.sort();
    return settled(c) && c.topicNames() == hostNames && c.snapshot() == hostSnapshot(engine);
}

/*! Explains how the client differs from the host (for failure messages). */
inline QByteArray difference(const objectsync::Client &c, const objectsync::Engine &engine)
{
    QStringList out;
    const QJsonObject mine = c.snapshot();
    const QJsonObject host = hostSnapshot(engine);
    for (auto it = host.begin(); it != host.end(); ++it) {
        if (mine.value(it.key()) != it.value())
            out << QStringLiteral("%1: client %2, host %3")
                       .arg(it.key(),
                            QString::fromUtf8(QJsonDocument(QJsonArray{mine.value(it.key())})
                                                  .toJson(QJsonDocument::Compact)),
                            QString::fromUtf8(QJsonDocument(QJsonArray{it.value()})
                                                  .toJson(QJsonDocument::Compact)));
    }
    for (auto it = mine.begin(); it != mine.end(); ++it)
        if (!host.contains(it.key()))
            out << QStringLiteral("%1: only in the client").arg(it.key());
    out << QStringLiteral("pending %1, state %2").arg(c.pendingCount()).arg(int(c.state()));
    return out.join(QStringLiteral("; ")).left(4000).toUtf8();
}

/*! The host and its clients. */
class Fixture
{
public:
    Fixture()
    {
        engine.registerType<Note>();
        server = std::make_unique<objectsync::Server>(&engine);
        objectsync::ServerOptions options = server->options();
        options.maxMessagesPerSecond = 0; // the tests send bursts
        server->setOptions(options);
        QCOMPARE(server->listen(QHostAddress::LocalHost, 0).errorMessage(), QString());
    }
    ~Fixture()
    {
        clients.clear();
        server.reset();
    }

    QUrl url() const { return QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(server->port())); }

    /*! A connected client that follows \a follow; waits until it holds every value. */
    objectsync::Client *
    connect(objectsync::Client::Follow follow = objectsync::Client::Follow::Everything)
    {
        auto c = std::make_unique<objectsync::Client>();
        c->setFollow(follow);
        c->open(url());
        objectsync::Client *raw = c.get();
        clients.push_back(std::move(c));
        [&] { QTRY_VERIFY_WITH_TIMEOUT(settled(*raw), kTimeout); }();
        return raw;
    }

    objectsync::Engine engine;
    std::unique_ptr<objectsync::Server> server;
    std::vector<std::unique_ptr<objectsync::Client>> clients;
};

} // namespace loopback
