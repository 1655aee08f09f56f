// SPDX-License-Identifier: MIT
#include <objectsync/access.h>
#include <objectsync/engine.h>
#include <objectsync/server.h>

#include "clientconnection.h"
#include "originpolicy.h"
#include "pendingupgrade.h"
#include "protocol/hub.h"
#include "protocol/session.h"

#include <QMap>
#include <QPointer>
#include <QSet>
#include <QTcpSocket>
#include <QTimer>
#include <QUrlQuery>
#include <QWebSocket>
#include <QWebSocketCorsAuthenticator>
#include <QWebSocketServer>
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

ConnectionRequest connectionRequest(const QWebSocket *socket)
{
    ConnectionRequest request;
    request.peerAddress = socket->peerAddress();
    request.peerPort = socket->peerPort();
    request.origin = socket->origin();
    request.url = socket->requestUrl();
    const QUrlQuery query(request.url);
    if (query.hasQueryItem(QStringLiteral("token"))) {
        request.token = query.queryItemValue(QStringLiteral("token"), QUrl::FullyDecoded);
        if (!request.token.isEmpty())
            request.tokenSource = ConnectionRequest::TokenSource::Url;
    }
    return request;
}

} // namespace

class ServerPrivate
{
public:
    ServerPrivate(Server *q, Engine *engine);

    void onNewConnection(QWebSocketServer *from);
    void admit(QWebSocket *socket);
    /*! The TCP socket under \a socket when it came through handleConnection(), or null. */
    QTcpSocket *takeHandedOver(const QWebSocket *socket);
    void refuse(QWebSocket *socket, const QString &reason);
    void announce(transport::ClientConnection *c);
    void onFinished(int id);
    void onStatsChanged();
    void emitStats();
    void ensureSweeping();
    void sweep();
    /*! Client \a id if it is served (connected and, when asked to, authenticated). */
    transport::ClientConnection *connection(int id) const;

    Server *q;
    QPointer<Engine> engine;
    QPointer<protocol::Hub> hub;
    QWebSocketServer socketServer;   //!< listen(): accepts and reads handshakes itself
    QWebSocketServer handoverServer; //!< handleConnection(): sockets checked by PendingUpgrade
    ServerOptions options;
    std::shared_ptr<AccessPolicy> policy;
    QString error;
    QMap<int, transport::ClientConnection *> connections; //!< every open connection
    QSet<int> announced;                                  //!< clients reported by clientConnected()
    QSet<transport::PendingUpgrade *> upgrades;
    /*! Sockets given to handoverServer, until their QWebSocket is admitted. */
    QList<QPointer<QTcpSocket>> handedOver;
    transport::ConnectionShared shared;
    QTimer flushTimer;
    QTimer statsTimer;
    QTimer sweepTimer;
    bool destroying = false;
};

ServerPrivate::ServerPrivate(Server *q, Engine *engine)
    : q(q), engine(engine), hub(protocol::Hub::forEngine(engine)),
      socketServer(QStringLiteral("ObjectSync"), QWebSocketServer::NonSecureMode),
      handoverServer(QStringLiteral("ObjectSync"), QWebSocketServer::NonSecureMode)
{
    flushTimer.setSingleShot(true);
    statsTimer.setSingleShot(true);
    shared.clock.start();
    socketServer.setHandshakeTimeout(options.handshakeTimeoutMs > 0 ? options.handshakeTimeoutMs
                                                                    : -1);
}

QTcpSocket *ServerPrivate::takeHandedOver(const QWebSocket *socket)
{
    QTcpSocket *found = nullptr;
    for (qsizetype i = handedOver.size() - 1; i >= 0; --i) {
        QTcpSocket *s = handedOver.at(i);
        if (s && s->peerPort() == socket->peerPort() && s->peerAddress() == socket->peerAddress() &&
            s->localPort() == socket->localPort() && !found) {
            found = s;
            handedOver.removeAt(i);
        } else if (!s || s->state() != QAbstractSocket::ConnectedState) {
            handedOver.removeAt(i);
        }
    }
    return found;
}

transport::ClientConnection *ServerPrivate::connection(int id) const
{
    transport::ClientConnection *c = connections.value(id);
    return c && announced.contains(id) ? c : nullptr;
}

void ServerPrivate::onNewConnection(QWebSocketServer *from)
{
    while (from->hasPendingConnections()) {
        QWebSocket *socket = from->nextPendingConnection();
        if (!socket)
            break;
        if (!hub) {
            socket->abort();
            socket->deleteLater();
            continue;
        }
        admit(socket);
    }
}

void ServerPrivate::admit(QWebSocket *socket)
{
    const ConnectionRequest request = connectionRequest(socket);
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
            refuse(socket, decision.reason.isEmpty() ? QStringLiteral("denied by the access policy")
                                                     : decision.reason);
            return;
        }
    }

    auto *c = new transport::ClientConnection(socket, hub, options, &shared, q);
    QTcpSocket *tcp = takeHandedOver(socket);
    c->setTcpSocket(tcp);
    qCDebug(transport::lcTransport) << "client" << c->id()
                                    << (tcp ? "gets frames built once for all clients"
                                            : "gets frames built by QWebSocket");
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

void ServerPrivate::refuse(QWebSocket *socket, const QString &reason)
{
    const QString peer = peerOf(socket);
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
        emit q->clientDisconnected(id);
    } else {
        // It never got past its token.
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
    const auto pending = upgrades;
    for (transport::PendingUpgrade *u : pending) {
        if (u->deadline() >= 0 && now >= u->deadline())
            u->expire();
    }
    const auto open = connections;
    for (transport::ClientConnection *c : open)
        c->checkLiveness(now);
    if (connections.isEmpty() && upgrades.isEmpty())
        sweepTimer.stop();
}

Server::Server(Engine *engine, QObject *parent)
    : QObject(parent), d(std::make_unique<ServerPrivate>(this, engine))
{
    for (QWebSocketServer *from : {&d->socketServer, &d->handoverServer}) {
        connect(from, &QWebSocketServer::newConnection, this,
                [this, from] { d->onNewConnection(from); });
    }
    connect(&d->socketServer, &QWebSocketServer::acceptError, this,
            [](QAbstractSocket::SocketError e) {
                qCWarning(transport::lcTransport) << "accepting a connection failed:" << e;
            });
    // Connections accepted by listen(): the Origin is all Qt tells before the handshake
    // answer. Handed-over ones were checked by PendingUpgrade, with their Host header.
    connect(&d->socketServer, &QWebSocketServer::originAuthenticationRequired, this,
            [this](QWebSocketCorsAuthenticator *authenticator) {
                const QString why = transport::refuseOrigin(authenticator->origin(), QString(),
                                                            d->options.allowedOrigins);
                authenticator->setAllowed(why.isEmpty());
                if (why.isEmpty())
                    return;
                qCWarning(transport::lcTransport).noquote()
                    << "refused a connection (HTTP 403):" << why;
                emit connectionRefused(QString(), why);
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
    d->socketServer.close();
    const auto upgrades = std::exchange(d->upgrades, {});
    for (transport::PendingUpgrade *u : upgrades)
        delete u;
    const auto connections = std::exchange(d->connections, {});
    for (transport::ClientConnection *c : connections)
        delete c;
}

Engine *Server::engine() const
{
    return d->engine;
}

void Server::setOptions(const ServerOptions &options)
{
    d->options = options;
    d->socketServer.setHandshakeTimeout(options.handshakeTimeoutMs > 0 ? options.handshakeTimeoutMs
                                                                       : -1);
    if (d->sweepTimer.isActive())
        d->ensureSweeping();
}

ServerOptions Server::options() const
{
    return d->options;
}

bool Server::listen(const QHostAddress &address, quint16 port)
{
    if (d->socketServer.isListening()) {
        d->error = QStringLiteral("the server is already listening on port %1")
                       .arg(d->socketServer.serverPort());
        return false;
    }
    if (!d->socketServer.listen(address, port)) {
        d->error = QStringLiteral("cannot listen on %1 port %2: %3")
                       .arg(address.toString())
                       .arg(port)
                       .arg(d->socketServer.errorString());
        qCWarning(transport::lcTransport).noquote() << d->error;
        return false;
    }
    d->error.clear();
    qCInfo(transport::lcTransport).noquote()
        << "listening on" << d->socketServer.serverAddress().toString() << "port"
        << d->socketServer.serverPort();
    return true;
}

bool Server::isListening() const
{
    return d->socketServer.isListening();
}

quint16 Server::port() const
{
    return d->socketServer.isListening() ? d->socketServer.serverPort() : 0;
}

QHostAddress Server::address() const
{
    return d->socketServer.serverAddress();
}

QString Server::errorString() const
{
    return d->error;
}

void Server::close()
{
    d->socketServer.close();
    const auto upgrades = d->upgrades;
    for (transport::PendingUpgrade *u : upgrades)
        u->expire();
    for (transport::ClientConnection *c : std::as_const(d->connections))
        c->closeWith(protocol::closecode::goingAway, QStringLiteral("the server is shutting down"));
}

void Server::handleConnection(QTcpSocket *socket)
{
    if (!socket)
        return;
    // Qt applies its handshake timeout only to the connections it accepts itself: the
    // sweep applies ours to these.
    const qint64 deadline = d->options.handshakeTimeoutMs > 0
                                ? d->shared.clock.elapsed() + d->options.handshakeTimeoutMs
                                : -1;
    auto *upgrade =
        new transport::PendingUpgrade(socket, deadline, d->options.allowedOrigins, this);
    d->upgrades.insert(upgrade);
    connect(upgrade, &transport::PendingUpgrade::ready, this, [this](QTcpSocket *s) {
        // The server's socket bookkeeping takes it from here (and deletes it when it closes).
        s->setParent(&d->handoverServer);
        d->handedOver.append(s);
        d->handoverServer.handleConnection(s);
    });
    connect(upgrade, &transport::PendingUpgrade::refused, this, &Server::connectionRefused);
    connect(upgrade, &transport::PendingUpgrade::finished, this,
            [this](transport::PendingUpgrade *u) {
                d->upgrades.remove(u);
                u->deleteLater();
            });
    upgrade->start();
    d->ensureSweeping();
}

void Server::setAccessPolicy(std::shared_ptr<AccessPolicy> policy)
{
    d->policy = std::move(policy);
}

std::shared_ptr<AccessPolicy> Server::accessPolicy() const
{
    return d->policy;
}

void Server::setHoldUntilDurable(bool hold)
{
    if (d->shared.durability.hold == hold)
        return;
    d->shared.durability.hold = hold;
    if (!hold)
        for (transport::ClientConnection *c : std::as_const(d->connections))
            c->writeOutgoing();
}

bool Server::holdsUntilDurable() const
{
    return d->shared.durability.hold;
}

void Server::setDurableSequence(quint64 sequence)
{
    if (sequence <= d->shared.durability.durableSequence)
        return;
    d->shared.durability.durableSequence = sequence;
    if (d->shared.durability.hold)
        for (transport::ClientConnection *c : std::as_const(d->connections))
            c->writeOutgoing();
}

quint64 Server::durableSequence() const
{
    return d->shared.durability.durableSequence;
}

int Server::nextClientId() const
{
    return d->hub ? d->hub->nextClientId() : 1;
}

void Server::setNextClientId(int id)
{
    if (d->hub)
        d->hub->setNextClientId(id);
}

QList<int> Server::clientIds() const
{
    QList<int> ids = d->announced.values();
    std::sort(ids.begin(), ids.end());
    return ids;
}

ClientInfo Server::clientInfo(int id) const
{
    const transport::ClientConnection *c = d->connection(id);
    return c ? c->info() : ClientInfo();
}

QStringList Server::subscriptions(int id) const
{
    return clientInfo(id).subscriptions;
}

QString Server::peerAddress(int id) const
{
    const transport::ClientConnection *c = d->connection(id);
    return c ? c->peerAddress() : QString();
}

qint64 Server::bytesIn(int id) const
{
    return clientInfo(id).bytesIn;
}

qint64 Server::bytesOut(int id) const
{
    return clientInfo(id).bytesOut;
}

bool Server::disconnectClient(int id, const QString &reason)
{
    transport::ClientConnection *c = d->connection(id);
    if (!c)
        return false;
    c->closeWith(protocol::closecode::normal,
                 reason.isEmpty() ? QStringLiteral("disconnected by the host") : reason);
    return true;
}

bool Server::requestClient(int id, const QString &serviceName, const QJsonObject &args,
                           ClientResponseHandler onResponse)
{
    transport::ClientConnection *c = d->connection(id);
    if (!c) {
        if (onResponse)
            onResponse(QJsonValue(), QStringLiteral("there is no client %1").arg(id));
        return false;
    }
    return !c->session()->request(serviceName, args, std::move(onResponse)).isEmpty();
}

} // namespace objectsync
