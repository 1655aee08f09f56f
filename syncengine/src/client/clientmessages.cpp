// SPDX-License-Identifier: MIT
#include "client_p.h"

#include <objectsync/names.h>

#include "wirecodec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QScopeGuard>

namespace objectsync {

namespace {
const QString &topicListName = names::topicList;
const QString &objectsName = names::objects;
const QString &parentPrefix = names::parentPrefix;
const QLatin1String kTopicName("topic_name");

std::optional<TopicInfo> parseDescriptor(const QJsonValue &descriptor)
{
    const QJsonObject o = descriptor.toObject();
    const auto type = topicTypeFromName(o.value(QLatin1String("type")).toString());
    if (!type)
        return std::nullopt;
    TopicInfo info;
    info.type = *type;
    info.stateful = o.value(names::descriptor::stateful).toBool(true);
    info.orderStrict = o.value(names::descriptor::orderStrict).toBool(true);
    info.boundaryValue = o.value(names::descriptor::boundaryValue);
    return info;
}
} // namespace

void ClientPrivate::onMessage(const QString &text)
{
    if (actionDepth > 0) {
        // The mirror is being changed by an open Action scope: reconcile after it ends.
        deferred.append(text);
        return;
    }
    qCDebug(lcClient).noquote() << "client" << clientId << "receives" << text.left(2000);
    Busy busyScope(this);
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &error);
    if (!doc.isObject()) {
        QString why = QStringLiteral("the host sent a message that is not a JSON object");
        if (error.error != QJsonParseError::NoError)
            why += QStringLiteral(" (%1)").arg(error.errorString());
        qCWarning(lcClient).noquote() << why;
        notify([this, why] { emit q->errorOccurred(why); });
        return;
    }
    const QJsonObject m = doc.object();
    handle(m.value(QLatin1String("type")).toString(), m.value(QLatin1String("args")).toObject());
}

void ClientPrivate::handle(const QString &type, const QJsonObject &args)
{
    if (type == QLatin1String("update"))
        onUpdate(args);
    else if (type == QLatin1String("init"))
        onInit(args);
    else if (type == QLatin1String("init_many"))
        onInitMany(args);
    else if (type == QLatin1String("hello"))
        onHello(args);
    else if (type == QLatin1String("reject"))
        onReject(args);
    else if (type == QLatin1String("response"))
        onResponse(args);
    else if (type == QLatin1String("request"))
        onRequest(args);
    else if (type == QLatin1String("error")) {
        const QString why = args.value(QLatin1String("reason")).toString();
        notify([this, why] { emit q->errorOccurred(why); });
    } else
        qCDebug(lcClient) << "ignoring a message of unknown type" << type;
}

void ClientPrivate::onHello(const QJsonObject &args)
{
    const int id = args.value(QLatin1String("id")).toInt(0);
    if (id <= 0) {
        notify([this] {
            emit q->errorOccurred(QStringLiteral("the hello carries no valid client id"));
        });
        return;
    }
    clientId = id;
    attempt = 0;
    if (std::exchange(hadSession, true))
        beginRejoin();
    setState(Client::State::Connected);
    batchedJoin = args.value(QLatin1String("features"))
                      .toArray()
                      .contains(QJsonValue(QLatin1String("subscribe_many")));
    if (batchedJoin) {
        join();
    } else {
        sendSubscribe(topicListName);
        for (const QString &name : std::as_const(wanted))
            sendSubscribe(name);
    }
    notify([this, id] { emit q->connected(id); });
}

bool ClientPrivate::follows(const QString &topicName) const
{
    if (topicName == topicListName)
        return false;
    if (wanted.contains(topicName))
        return true;
    switch (follow) {
    case Client::Follow::Nothing:
        return false;
    case Client::Follow::ObjectTree:
        return topicName == objectsName || topicName.startsWith(parentPrefix);
    case Client::Follow::Everything:
        return true;
    }
    return false;
}

void ClientPrivate::sendSubscribe(const QString &topicName)
{
    if (subscribed.contains(topicName) || state != Client::State::Connected)
        return;
    subscribed.insert(topicName);
    QJsonObject args;
    args.insert(kTopicName, topicName);
    send(QLatin1String("subscribe"), args);
}

void ClientPrivate::onInit(const QJsonObject &args)
{
    const QString name = args.value(kTopicName).toString();
    const QJsonValue value = args.value(QLatin1String("value"));
    if (name == topicListName) {
        setTopicList(value.toObject());
        if (rejoin == Rejoin::WaitingForList)
            rejoinAfterList();
        return;
    }
    if (!subscribed.contains(name))
        return; // unsubscribed meanwhile
    // Whatever it holds, the value the host sent after a reconnection has arrived.
    const auto arrived = qScopeGuard([this, name] { valueArrived(name); });
    TopicType type = TopicType::Generic;
    if (const auto it = topics.constFind(name); it != topics.cend())
        type = it->type;
    else if (args.contains(QLatin1String("id")))
        type = TopicType::String; // only string topics carry a version
    client::MirrorTopic topic(type);
    try {
        topic.assign(value, client::versionText(args.value(QLatin1String("id"))));
    } catch (const Error &e) {
        const QString why = QStringLiteral("init of %1 refused: %2").arg(name, e.message());
        qCWarning(lcClient).noquote() << why;
        notify([this, why] { emit q->errorOccurred(why); });
        return;
    }
    // Local changes of the topic go on top of the new value, or are dropped.
    takeOff();
    // A value kept from before a reconnection is replaced quietly when the host still holds it.
    const auto old = mirror.constFind(name);
    const bool changed =
        old == mirror.cend() || old->type() != topic.type() || old->value() != topic.value();
    mirror.insert(name, std::move(topic));
    putOn();
    if (changed)
        notify([this, name] { emit q->topicChanged(name); });
}

void ClientPrivate::setTopicList(const QJsonObject &value)
{
    const QHash<QString, TopicInfo> old = std::exchange(topics, {});
    for (auto it = value.begin(); it != value.end(); ++it) {
        if (const auto info = parseDescriptor(it.value()))
            topics.insert(it.key(), *info);
        else
            qCWarning(lcClient) << "topic" << it.key() << "has an unknown type; ignored";
    }
    topicsKnown = true;
    QStringList gone; // reported in order, like the topics added below
    for (auto it = old.cbegin(); it != old.cend(); ++it) {
        if (!topics.contains(it.key())) {
            topics.insert(it.key(), it.value());
            gone.append(it.key());
        }
    }
    gone.sort();
    for (const QString &name : std::as_const(gone))
        topicRemoved(name);
    QStringList names = topics.keys();
    names.sort();
    for (const QString &name : std::as_const(names)) {
        if (!old.contains(name))
            notify([this, name] { emit q->topicAdded(name); });
        if (follows(name))
            sendSubscribe(name);
    }
    notify([this] { emit q->topicChanged(topicListName); });
}

void ClientPrivate::topicAdded(const QString &name, const QJsonValue &descriptor)
{
    const auto info = parseDescriptor(descriptor);
    if (!info) {
        qCWarning(lcClient) << "topic" << name << "has an unknown type; ignored";
        return;
    }
    topics.insert(name, *info);
    notify([this, name] { emit q->topicAdded(name); });
    if (follows(name))
        sendSubscribe(name);
}

void ClientPrivate::topicRemoved(const QString &name)
{
    if (!topics.remove(name))
        return;
    // The host forgets the subscription with the topic; an explicit subscription comes back
    // when a topic of that name appears again.
    subscribed.remove(name);
    editsInFlight.remove(name);
    // Changes of ours the host has not applied yet will be refused, or, if a topic of that
    // name comes back first, applied without an echo (the subscription went with the topic;
    // the new init shows them): either way no confirmation comes, so stop waiting.
    pending.removeIf([&](const PendingChange &p) { return p.command.topicName == name; });
    for (HeldAction &h : held)
        for (PendingChange &p : h.changes)
            if (p.command.topicName == name)
                p.tracked = false;
    const bool hadValue = mirror.remove(name) > 0;
    notify([this, name] { emit q->topicRemoved(name); });
    if (hadValue)
        notify([this, name] { emit q->topicChanged(name); });
    valueArrived(name); // no value will come
}

bool ClientPrivate::applyFromHost(Change &c)
{
    if (c.topicName == topicListName) {
        switch (c.type) {
        case ChangeType::Add:
        case ChangeType::ChangeValue:
            topicAdded(c.key, c.value);
            break;
        case ChangeType::Pop:
            topicRemoved(c.key);
            break;
        case ChangeType::Set:
            setTopicList(c.value.toObject());
            break;
        default:
            break;
        }
        notify([this, c] { emit q->changeReceived(c); });
        return true;
    }
    auto it = mirror.find(c.topicName);
    if (it == mirror.end()) {
        if (c.type == ChangeType::Emit && subscribed.contains(c.topicName)) {
            const QString name = c.topicName;
            const QJsonObject args = c.value.toObject();
            notify([this, name, args] { emit q->eventReceived(name, args); });
        }
        return false;
    }
    try {
        it->apply(c);
    } catch (const Error &e) {
        qCWarning(lcClient).noquote()
            << "a change from the host does not apply to the mirror:" << e.message()
            << "- reloading" << c.topicName;
        resync(c.topicName);
        return false;
    }
    notify([this, c] { emit q->changeReceived(c); });
    const QString name = c.topicName;
    if (c.topicType == TopicType::Event) {
        if (c.type == ChangeType::Emit) {
            const QJsonObject args = c.value.toObject();
            notify([this, name, args] { emit q->eventReceived(name, args); });
        }
    } else {
        notify([this, name] { emit q->topicChanged(name); });
    }
    return true;
}

void ClientPrivate::resync(const QString &topicName)
{
    // Local changes are off the mirror while host changes are applied.
    mirror.remove(topicName);
    QJsonObject args;
    args.insert(kTopicName, topicName);
    send(QLatin1String("unsubscribe"), args);
    send(QLatin1String("subscribe"), args);
}

void ClientPrivate::onRequest(const QJsonObject &args)
{
    const QString name = args.value(QLatin1String("service_name")).toString();
    QJsonValue response;
    const auto it = services.constFind(name);
    if (it == services.cend()) {
        qCWarning(lcClient) << "the host called an unknown service" << name;
    } else {
        const auto handler = it.value(); // the handler may unregister itself
        try {
            response = handler(args.value(QLatin1String("args")).toObject());
        } catch (const std::exception &e) {
            qCWarning(lcClient) << "service" << name << "failed:" << e.what();
            response = QJsonValue();
        }
    }
    QJsonObject m;
    m.insert(QLatin1String("request_id"), args.value(QLatin1String("request_id")));
    m.insert(QLatin1String("response"), response.isUndefined() ? QJsonValue() : response);
    send(QLatin1String("response"), m);
}

void ClientPrivate::onResponse(const QJsonObject &args)
{
    const QString id = client::versionText(args.value(QLatin1String("request_id")));
    const auto it = requests.find(id);
    if (it == requests.end()) {
        qCDebug(lcClient) << "a response to an unknown request" << id;
        return;
    }
    const OpenRequest r = it.value();
    requests.erase(it);
    QJsonValue response = args.value(QLatin1String("response"));
    if (response.isUndefined())
        response = QJsonValue();
    const QJsonValue error = args.value(QLatin1String("error"));
    const QString why =
        error.isString() && !error.toString().isEmpty()
            ? error.toString()
            : (error.isUndefined() || error.isNull() ? QString()
                                                     : QStringLiteral("the request failed"));
    const Result<QJsonValue> result =
        why.isEmpty() ? Result<QJsonValue>(response) : Result<QJsonValue>(ErrorCode::Refused, why);
    notify([r, result] {
        if (r.promise) {
            r.promise->addResult(result);
            r.promise->finish();
        }
        if (r.callback)
            r.callback(result);
    });
}

} // namespace objectsync
