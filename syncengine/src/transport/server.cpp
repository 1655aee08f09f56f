// SPDX-License-Identifier: MIT
#include <objectsync/access.h>
#include <objectsync/engine.h>
#include <objectsync/room.h>
#include <objectsync/server.h>

#include "server_p.h"

#include "clientconnection.h"
#include "httpdoor.h"
#include "listeners.h"
#include "pendingconnections.h"
#include "protocol/hub.h"
#include "protocol/session.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QHttpServerRequest>
#include <QMap>
#include <QPointer>
#include <QSet>
#include <QTcpSocket>
#include <QTimer>
#include <QUrlQuery>
#include <QWebSocket>
#include <algorithm>

namespace objectsync {

namespace {

/*! How often the server looks for connections to ping or to close: a fraction of the
 *  shortest timeout, between 10 ms and a second. */
int sweepIntervalMs(const ServerOptions &o)
{
    int shortest = 0;
    for (int t : {o.handshakeTimeoutMs, o.pingIntervalMs, o.idleTimeoutMs}) {
        if (t > 0 && (shortest == 0 || t < shortest))
            shortest = t;
    }
    return shortest == 0 ? 1000 : qBound(10, shortest / 4, 1000);
}

QString peerOf(const QWebSocket *socket)
{
    return QStringLiteral("%1:%2").arg(socket->peerAddress().toString()).arg(socket->peerPort());
}

void readToken(ConnectionRequest &request)
{
    const QUrlQuery query(request.url);
    if (query.hasQueryItem(QStringLiteral("token"))) {
        request.token = query.queryItemValue(QStringLiteral("token"), QUrl::FullyDecoded);
        if (!request.token.isEmpty())
            request.tokenSource = ConnectionRequest::TokenSource::Url;
    }
}

ConnectionRequest connectionRequest(const QWebSocket *socket)
{
    ConnectionRequest request;
    request.peerAddress = socket->peerAddress();
    request.peerPort = socket->peerPort();
    request.origin = socket->origin();
    request.url = socket->requestUrl();
    readToken(request);
    return request;
}

/*! The request of an upgrade that has not become a WebSocket yet (see HttpDoor). */
ConnectionRequest connectionRequest(const QHttpServerRequest &http, const QTcpSocket *socket)
{
    ConnectionRequest request;
    request.peerAddress = socket->peerAddress();
    request.peerPort = socket->peerPort();
    request.origin = QString::fromUtf8(http.value("origin"));
    request.url = http.url();
    readToken(request);
    return request;
}

} // namespace

ServerPrivate::ServerPrivate(Server *q, Engine *engine)
    : q(q), engine(engine), hub(protocol::Hub::forEngine(engine)), door(&pending)
{
    flushTimer.setSingleShot(true);
    statsTimer.setSingleShot(true);
    shared.clock.start();
    applyLimits();
}

void ServerPrivate::applyLimits()
{
    pending.setLimits(options.handshakeTimeoutMs, options.maxPendingConnections);
    door.setAllowedOrigins(options.allowedOrigins);
}

transport::ClientConnection *ServerPrivate::connection(int id) const
{
    transport::ClientConnection *c = connections.value(id);
    return c && announced.contains(id) ? c : nullptr;
}

void ServerPrivate::onAccepted(QTcpSocket *socket)
{
    if (pending.isTracked(socket))
        return; // a TLS connection, seen again once its handshake is done
    ++accepted;
    pending.track(socket);
}

void ServerPrivate::onPendingCut(transport::PendingConnections::CutReason reason)
{
    using Reason = transport::PendingConnections::CutReason;
    if (reason == Reason::Shutdown)
        return;
    ++refused[reason == Reason::Crowded ? QStringLiteral("too_many_pending")
                                        : QStringLiteral("handshake_timeout")];
}

void ServerPrivate::onNewWebSockets()
{
    while (door.hasPendingWebSocketConnections()) {
        QWebSocket *socket = door.nextPendingWebSocketConnection().release();
        if (!socket)
            break;
        ++webSocketsOpened;
        Server *target = q;
        QString room;
        if (roomResolver) {
            ConnectionRequest request = connectionRequest(socket);
            const Result<QString> named = roomOfPath(request.url.path());
            Result<Server *> resolved = named ? resolveRoom(request, *named) : named.error();
            if (!resolved) {
                refuse(socket, QStringLiteral("room"), resolved.errorMessage());
                continue;
            }
            target = *resolved;
            room = *named;
        }
        if (!target->d->hub) {
            socket->abort();
            socket->deleteLater();
            continue;
        }
        target->d->admit(socket, room);
    }
}

Result<Server *> ServerPrivate::resolveRoom(ConnectionRequest &request, const QString &room) const
{
    request.room = room;
    Result<Server *> resolved =
        Error(ErrorCode::Internal, QStringLiteral("the room resolver failed"));
    try {
        resolved = roomResolver(request);
    } catch (...) {
    }
    if (resolved && !*resolved)
        return Error(ErrorCode::Internal, QStringLiteral("the room resolver gave no server"));
    return resolved;
}

void ServerPrivate::admit(QWebSocket *socket, const QString &room)
{
    ConnectionRequest request = connectionRequest(socket);
    request.room = room;
    AccessDecision decision = AccessDecision::allow();
    if (policy) {
        try {
            decision = policy->authenticate(request);
        } catch (...) {
            decision = AccessDecision::deny(QStringLiteral("the access policy failed"));
        }
        if (decision.outcome == AccessDecision::Outcome::AskForToken &&
            request.tokenSource != ConnectionRequest::TokenSource::None)
            decision = AccessDecision::deny(QStringLiteral("the token was not accepted"));
        if (decision.outcome == AccessDecision::Outcome::Deny) {
            refuse(socket, QStringLiteral("access_policy"),
                   decision.reason.isEmpty() ? QStringLiteral("denied by the access policy")
                                             : decision.reason);
            return;
        }
    }

    auto *c = new transport::ClientConnection(socket, hub, options, &shared, q);
    c->session()->setRoom(room);
    const int id = c->id();
    connections.insert(id, c);
    if (decision.outcome == AccessDecision::Outcome::AskForToken)
        c->awaitToken(policy, request);
    else
        c->setAccess(policy, decision.identity);
    QObject::connect(c, &transport::ClientConnection::finished, q,
                     [this](int id) { onFinished(id); });
    QObject::connect(c, &transport::ClientConnection::statsChanged, q,
                     [this] { onStatsChanged(); });
    QObject::connect(c, &transport::ClientConnection::authenticated, q, [this, c] { announce(c); });
    qCInfo(transport::lcTransport).noquote()
        << "client" << id << "connected from" << c->peerAddress() << "path" << request.url.path()
        << (c->isAuthenticated() ? QString() : QStringLiteral("(waiting for its token)"));
    c->start();
    ensureSweeping();
    if (c->isAuthenticated())
        announce(c);
}

void ServerPrivate::refuse(QWebSocket *socket, const QString &key, const QString &reason)
{
    const QString peer = peerOf(socket);
    ++refused[key];
    qCWarning(transport::lcTransport).noquote()
        << QStringLiteral("refused the connection from %1: %2").arg(peer, reason);
    socket->setParent(q);
    if (socket->state() == QAbstractSocket::UnconnectedState) {
        socket->deleteLater();
    } else {
        QObject::connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
        // Nothing about the reason reaches the client: it might tell what a token is worth.
        socket->close(QWebSocketProtocol::CloseCodePolicyViolated,
                      QStringLiteral("authentication failed"));
        QTimer::singleShot(qMax(0, options.closeTimeoutMs), socket, [socket] { socket->abort(); });
    }
    emit q->connectionRefused(peer, reason);
}

void ServerPrivate::announce(transport::ClientConnection *c)
{
    const int id = c->id();
    if (!connections.contains(id) || announced.contains(id))
        return;
    announced.insert(id);
    const QString identity = c->info().identity;
    if (!identity.isEmpty())
        qCInfo(transport::lcTransport).noquote() << "client" << id << "is" << identity;
    emit q->clientConnected(id, c->peerAddress());
}

void ServerPrivate::onFinished(int id)
{
    transport::ClientConnection *c = connections.take(id);
    if (!c)
        return;
    qCInfo(transport::lcTransport) << "client" << id << "disconnected";
    c->deleteLater();
    if (destroying)
        return;
    if (announced.remove(id)) {
        ++closed[c->closeCode()];
        emit q->clientDisconnected(id);
    } else {
        // It never got past its token.
        ++refused[QStringLiteral("no_token")];
        const QString reason = c->info().closeReason;
        emit q->connectionRefused(c->peerAddress(),
                                  reason.isEmpty() ? QStringLiteral("no token was sent") : reason);
    }
}

void ServerPrivate::onStatsChanged()
{
    if (!statsTimer.isActive())
        statsTimer.start(qMax(0, options.statsIntervalMs));
}

void ServerPrivate::emitStats()
{
    QList<int> ids;
    for (auto it = connections.cbegin(); it != connections.cend(); ++it)
        if (it.value()->takeDirty() && announced.contains(it.key()))
            ids.append(it.key());
    if (!ids.isEmpty())
        emit q->clientStatsChanged(ids);
}

void ServerPrivate::ensureSweeping()
{
    const int interval = sweepIntervalMs(options);
    if (!sweepTimer.isActive() || sweepTimer.interval() != interval)
        sweepTimer.start(interval);
}

void ServerPrivate::sweep()
{
    const qint64 now = shared.clock.elapsed();
    const auto open = connections;
    for (transport::ClientConnection *c : open)
        c->checkLiveness(now);
    if (connections.isEmpty())
        sweepTimer.stop();
}

Server::Server(Engine *engine, QObject *parent)
    : QObject(parent), d(std::make_unique<ServerPrivate>(this, engine))
{
    connect(&d->door, &QAbstractHttpServer::newWebSocketConnection, this,
            [this] { d->onNewWebSockets(); });
    connect(&d->door, &transport::HttpDoor::requestServed, this, &Server::requestServed);
    connect(&d->door, &transport::HttpDoor::upgradeRefused, this,
            [this](const QString &peer, const QString &reason, int, const QString &kind) {
                ++d->refused[kind];
                emit connectionRefused(peer, reason);
            });
    connect(&d->pending, &transport::PendingConnections::cut, this,
            [this](QTcpSocket *socket, transport::PendingConnections::CutReason reason) {
                d->onPendingCut(reason);
                using Reason = transport::PendingConnections::CutReason;
                if (reason == Reason::Crowded)
                    qCInfo(transport::lcTransport).noquote()
                        << "too many pending connections: cut the one idle longest, from"
                        << socket->peerAddress().toString();
                else if (reason == Reason::Timeout)
                    qCInfo(transport::lcTransport).noquote()
                        << "cut the connection from" << socket->peerAddress().toString()
                        << "that did not become a client in time";
            });
    connect(&d->flushTimer, &QTimer::timeout, this, [this] {
        if (d->hub)
            d->hub->flush();
    });
    connect(&d->statsTimer, &QTimer::timeout, this, [this] { d->emitStats(); });
    connect(&d->sweepTimer, &QTimer::timeout, this, [this] { d->sweep(); });
    connect(d->hub, &protocol::Hub::flushNeeded, this, [this] {
        if (!d->flushTimer.isActive())
            d->flushTimer.start(qMax(0, d->options.flushIntervalMs));
    });
}

Server::~Server()
{
    d->destroying = true;
    if (d->listener)
        d->listener->close();
    const auto connections = std::exchange(d->connections, {});
    for (transport::ClientConnection *c : connections)
        delete c;
    d->pending.cutAll();
    // The door deletes the listeners, and with them the sockets they made.
}

Engine *Server::engine() const
{
    return d->engine;
}

void Server::setRoomResolver(RoomResolver resolver)
{
    d->roomResolver = std::move(resolver);
    d->door.setServeRoomPages(bool(d->roomResolver));
    if (!d->roomResolver) {
        d->door.setUpgradeCheck({});
        return;
    }
    d->door.setUpgradeCheck([this](const QHttpServerRequest &http, const QTcpSocket *socket) {
        ConnectionRequest request = connectionRequest(http, socket);
        const Result<QString> room = roomOfPath(request.url.path());
        if (!room)
            return Result<void>(room.error());
        const Result<Server *> resolved = d->resolveRoom(request, *room);
        return resolved ? Result<void>() : Result<void>(resolved.error());
    });
}

void Server::setOptions(const ServerOptions &options)
{
    d->options = options;
    d->applyLimits();
    if (d->sweepTimer.isActive())
        d->ensureSweeping();
}

ServerOptions Server::options() const
{
    return d->options;
}

Result<void> Server::listen(const QHostAddress &address, quint16 port)
{
    if (d->listener && d->listener->isListening()) {
        return Error(ErrorCode::Conflict,
                     QStringLiteral("the server is already listening on port %1")
                         .arg(d->listener->serverPort()));
    }
    // A listener closed before stays a child of the door: the sockets of clients it accepted
    // are its children.
    const auto accepted = [this](QTcpSocket *socket) { d->onAccepted(socket); };
    QTcpServer *listener = nullptr;
    if (isSecure()) {
        auto *ssl = new transport::SslListener(accepted);
        ssl->setSslConfiguration(d->ssl);
        // The pending bound applies from accept on; Qt's own TLS timeout is only a backstop.
        if (d->options.handshakeTimeoutMs > 0)
            ssl->setHandshakeTimeout(d->options.handshakeTimeoutMs);
        listener = ssl;
    } else {
        listener = new transport::TcpListener(accepted);
    }
    // A storm of connections waits in the kernel's queue rather than being refused by it
    // (the kernel caps this at net.core.somaxconn), and Qt keeps accepting while the door
    // takes each connection at once.
    listener->setListenBacklogSize(65535);
    listener->setMaxPendingConnections(std::max(d->options.maxPendingConnections, 4096));
    if (!listener->listen(address, port)) {
        const Error error(ErrorCode::Io, QStringLiteral("cannot listen on %1 port %2: %3")
                                             .arg(address.toString())
                                             .arg(port)
                                             .arg(listener->errorString()));
        delete listener;
        qCWarning(transport::lcTransport).noquote() << error.message();
        return error;
    }
    connect(listener, &QTcpServer::acceptError, this, [](QAbstractSocket::SocketError e) {
        qCWarning(transport::lcTransport) << "accepting a connection failed:" << e;
    });
    d->door.bind(listener);
    d->listener = listener;
    qCInfo(transport::lcTransport).noquote()
        << QStringLiteral("listening on %1 port %2%3")
               .arg(listener->serverAddress().toString())
               .arg(listener->serverPort())
               .arg(isSecure() ? QStringLiteral(" (TLS)") : QString());
    return {};
}

void Server::setSslConfiguration(const QSslConfiguration &configuration)
{
    d->ssl = configuration;
}

bool Server::isSecure() const
{
    return !d->ssl.isNull();
}

bool Server::isListening() const
{
    return d->listener && d->listener->isListening();
}

quint16 Server::port() const
{
    return isListening() ? d->listener->serverPort() : 0;
}

QHostAddress Server::address() const
{
    return d->listener ? d->listener->serverAddress() : QHostAddress();
}

void Server::close()
{
    if (d->listener)
        d->listener->close();
    d->pending.cutAll();
    for (transport::ClientConnection *c : std::as_const(d->connections))
        c->closeWith(protocol::closecode::goingAway, QStringLiteral("the server is shutting down"));
}

} // namespace objectsync
