// SPDX-License-Identifier: MIT
#include "client_p.h"

#include <objectsync/names.h>

#include "wirecodec.h"

namespace objectsync {

Q_LOGGING_CATEGORY(lcClient, "objectsync.client", QtInfoMsg)

namespace {
const QString &topicListName = names::topicList;
} // namespace

ClientPrivate::ClientPrivate(Client *q) : q(q)
{
    retryTimer.setSingleShot(true);
}

Client::Client(QObject *parent) : QObject(parent), d(std::make_unique<ClientPrivate>(this))
{
    connect(&d->retryTimer, &QTimer::timeout, this, [this] { d->retry(); });
}

Client::~Client()
{
    if (d->socket) {
        d->socket->disconnect(this);
        d->socket->abort();
    }
    d->failAll(Error(ErrorCode::Io, QStringLiteral("the client was destroyed")), false);
}

// ---- connection ------------------------------------------------------------------------

void Client::open(const QUrl &url)
{
    close();
    d->reset();
    d->url = url;
    d->attempt = 0;
    d->hadSession = false;
    d->openSocket();
}

void ClientPrivate::openSocket()
{
    socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, q);
    QWebSocket *s = socket;
    QObject::connect(s, &QWebSocket::textMessageReceived, q,
                     [this](const QString &text) { onMessage(text); });
    QObject::connect(s, &QWebSocket::stateChanged, q,
                     [this, s](QAbstractSocket::SocketState state) {
                         if (state != QAbstractSocket::UnconnectedState || s != socket)
                             return;
                         // Handled on the next turn: a socket that could not connect reports
                         // why (error()) only after it says it is unconnected, and the
                         // report must not be lost with the socket.
                         QMetaObject::invokeMethod(
                             q,
                             [this, s] {
                                 if (s == socket)
                                     connectionLost();
                             },
                             Qt::QueuedConnection);
                     });
    QObject::connect(s, &QWebSocket::connected, q, [this, s] {
        // The token goes first: the host handles nothing before it. Sent without the debug
        // log of send(), which would show the token.
        if (s == socket && !token.isEmpty())
            s->sendTextMessage(QString::fromUtf8(client::encodeMessage(
                QLatin1String("hello"), QJsonObject{{QLatin1String("token"), token}})));
    });
    QObject::connect(s, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), q,
                     [this, s](QAbstractSocket::SocketError) {
                         if (s == socket)
                             emit q->errorOccurred(s->errorString());
                     });
    setState(Client::State::Connecting);
    if (ssl)
        s->setSslConfiguration(*ssl);
    s->open(url);
}

void Client::setSslConfiguration(const QSslConfiguration &configuration)
{
    d->ssl = configuration;
}

void Client::setToken(const QString &token)
{
    d->token = token;
}

QString Client::token() const
{
    return d->token;
}

void Client::close()
{
    d->retryTimer.stop();
    if (d->socket) {
        d->socket->disconnect(this);
        d->socket->close();
    }
    // Also between two attempts, when there is no socket.
    if (d->socket || d->state == State::Reconnecting)
        d->onDisconnected();
}

void ClientPrivate::onDisconnected()
{
    if (socket) {
        socket->disconnect(q);
        socket->deleteLater();
        socket = nullptr;
    }
    Busy busyScope(this);
    retryTimer.stop();
    takeOffOpenAction();
    dropAll();
    subscribed.clear();
    deferred.clear();
    failAll(Error(ErrorCode::Io, QStringLiteral("the connection closed")));
    rejoin = Rejoin::Idle;
    awaiting.clear();
    const bool wasOpen = state != Client::State::Disconnected;
    setState(Client::State::Disconnected);
    if (wasOpen)
        notify([this] { emit q->disconnected(); });
}

void ClientPrivate::reset()
{
    clientId = 0;
    topics.clear();
    topicsKnown = false;
    subscribed.clear();
    mirror.clear();
    pending.clear();
    held.clear();
    localOff = false;
    touched.clear();
    inFlight.clear();
    editsInFlight.clear();
    deferred.clear();
    rejoin = Rejoin::Idle;
    resubscribe.clear();
    awaiting.clear();
    batchedJoin = false;
    joinAnswer = {};
}

void ClientPrivate::setState(Client::State s)
{
    if (state == s)
        return;
    state = s;
    notify([this, s] { emit q->stateChanged(s); });
}

void ClientPrivate::send(QLatin1String type, const QJsonObject &args)
{
    if (!socket)
        return;
    const QString text = QString::fromUtf8(client::encodeMessage(type, args));
    qCDebug(lcClient).noquote() << "client" << clientId << "sends" << text.left(2000);
    socket->sendTextMessage(text);
}

QString ClientPrivate::nextId()
{
    return QString::number(clientId) + QLatin1Char('_') + QString::number(++counter);
}

Client::State Client::state() const
{
    return d->state;
}

int Client::clientId() const
{
    return d->clientId;
}

void Client::setFollow(Follow follow)
{
    d->follow = follow;
    if (d->state != State::Connected)
        return;
    if (follow != Follow::Nothing && d->topics.contains(names::objects))
        d->sendSubscribe(names::objects);
    for (auto it = d->topics.cbegin(); it != d->topics.cend(); ++it)
        if (d->follows(it.key()))
            d->sendSubscribe(it.key());
}

Client::Follow Client::follow() const
{
    return d->follow;
}

// ---- topics ----------------------------------------------------------------------------

void Client::subscribe(const QString &topicName)
{
    d->wanted.insert(topicName);
    if (d->state == State::Connected)
        d->sendSubscribe(topicName);
}

void Client::unsubscribe(const QString &topicName)
{
    d->wanted.remove(topicName);
    if (topicName == topicListName)
        return;
    // While reconnecting: not subscribed again, and its old value is forgotten now.
    if (d->resubscribe.remove(topicName) && !d->subscribed.contains(topicName) &&
        d->mirror.remove(topicName) > 0)
        emit topicChanged(topicName);
    if (!d->subscribed.contains(topicName))
        return;
    ClientPrivate::Busy busyScope(d.get());
    // The host will not echo this topic's changes any more: stop waiting for them.
    d->takeOff();
    d->subscribed.remove(topicName);
    d->editsInFlight.remove(topicName);
    d->mirror.remove(topicName);
    d->pending.removeIf([&](const PendingChange &p) { return p.command.topicName == topicName; });
    for (HeldAction &h : d->held)
        for (PendingChange &p : h.changes)
            if (p.command.topicName == topicName)
                p.tracked = false;
    d->putOn();
    QJsonObject args;
    args.insert(QLatin1String("topic_name"), topicName);
    d->send(QLatin1String("unsubscribe"), args);
    d->notify([this, topicName] { emit topicChanged(topicName); });
    if (d->awaiting.remove(topicName))
        d->checkRejoined();
}

bool Client::isSubscribed(const QString &topicName) const
{
    return d->subscribed.contains(topicName);
}

bool Client::hasValue(const QString &topicName) const
{
    return d->mirror.contains(topicName);
}

QJsonValue Client::value(const QString &topicName) const
{
    const auto it = d->mirror.constFind(topicName);
    return it == d->mirror.cend() ? QJsonValue(QJsonValue::Undefined) : it->value();
}

QString Client::version(const QString &topicName) const
{
    const auto it = d->mirror.constFind(topicName);
    return it == d->mirror.cend() ? QString() : it->version();
}

QStringList Client::topicNames() const
{
    QStringList names = d->topics.keys();
    names.sort();
    return names;
}

std::optional<TopicInfo> Client::topicInfo(const QString &topicName) const
{
    const auto it = d->topics.constFind(topicName);
    if (it == d->topics.cend())
        return std::nullopt;
    return *it;
}

QJsonObject Client::snapshot() const
{
    QJsonObject o;
    for (auto it = d->mirror.cbegin(); it != d->mirror.cend(); ++it)
        if (it->type() != TopicType::Event)
            o.insert(it.key(), it->value());
    return o;
}

// ---- services --------------------------------------------------------------------------

QFuture<Result<QJsonValue>> Client::request(const QString &serviceName, const QJsonObject &args)
{
    auto promise = std::make_shared<QPromise<Result<QJsonValue>>>();
    QFuture<Result<QJsonValue>> future = promise->future();
    promise->start();
    d->sendRequest(serviceName, args, {promise, {}});
    return future;
}

void Client::request(const QString &serviceName, const QJsonObject &args,
                     ResponseHandler onResponse)
{
    d->sendRequest(serviceName, args, {nullptr, std::move(onResponse)});
}

void ClientPrivate::sendRequest(const QString &serviceName, const QJsonObject &args,
                                OpenRequest request)
{
    if (state != Client::State::Connected) {
        const Result<QJsonValue> refused(ErrorCode::Io,
                                         QStringLiteral("the client is not connected"));
        if (request.promise) {
            request.promise->addResult(refused);
            request.promise->finish();
        }
        if (request.callback)
            request.callback(refused);
        return;
    }
    const QString id = nextId();
    requests.insert(id, std::move(request));
    QJsonObject m;
    m.insert(QLatin1String("service_name"), serviceName);
    m.insert(QLatin1String("args"), args);
    m.insert(QLatin1String("request_id"), id);
    send(QLatin1String("request"), m);
}

QFuture<Result<QJsonValue>> Client::undo(const QString &objectId)
{
    QJsonObject args;
    if (!objectId.isEmpty())
        args.insert(QLatin1String("id"), objectId);
    return request(QStringLiteral("undo"), args);
}

QFuture<Result<QJsonValue>> Client::redo(const QString &objectId)
{
    QJsonObject args;
    if (!objectId.isEmpty())
        args.insert(QLatin1String("id"), objectId);
    return request(QStringLiteral("redo"), args);
}

void Client::registerService(const QString &serviceName,
                             std::function<QJsonValue(const QJsonObject &)> handler)
{
    d->services.insert(serviceName, std::move(handler));
}

void Client::unregisterService(const QString &serviceName)
{
    d->services.remove(serviceName);
}

void ClientPrivate::failAll(const Error &error, bool tell)
{
    const auto open = std::move(requests);
    requests.clear();
    const Result<QJsonValue> failed(error);
    for (const OpenRequest &r : open) {
        if (r.promise) {
            r.promise->addResult(failed);
            r.promise->finish();
        }
        if (r.callback && tell) {
            const auto callback = r.callback;
            notify([callback, failed] { callback(failed); });
        }
    }
}

} // namespace objectsync
