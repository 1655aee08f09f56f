// SPDX-License-Identifier: MIT
#include <objectsync/engine.h>
#include <objectsync/server.h>

#include "clientconnection.h"
#include "protocol/hub.h"
#include "protocol/session.h"

#include <QMap>
#include <QPointer>
#include <QSet>
#include <QTcpSocket>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>

namespace objectsync {

class ServerPrivate
{
public:
    ServerPrivate(Server *q, Engine *engine);

    void onNewConnection();
    void onFinished(int id);
    void onStatsChanged();
    void emitStats();
    transport::ClientConnection *connection(int id) const;

    Server *q;
    QPointer<Engine> engine;
    QPointer<protocol::Hub> hub;
    QWebSocketServer socketServer;
    ServerOptions options;
    QString error;
    QMap<int, transport::ClientConnection *> connections;
    transport::FrameTextCache textCache;
    transport::DurabilityGate gate;
    QTimer flushTimer;
    QTimer statsTimer;
    bool destroying = false;
};

ServerPrivate::ServerPrivate(Server *q, Engine *engine)
    : q(q), engine(engine), hub(protocol::Hub::forEngine(engine)),
      socketServer(QStringLiteral("ObjectSync"), QWebSocketServer::NonSecureMode)
{
    flushTimer.setSingleShot(true);
    statsTimer.setSingleShot(true);
}

transport::ClientConnection *ServerPrivate::connection(int id) const
{
    return connections.value(id);
}

void ServerPrivate::onNewConnection()
{
    while (socketServer.hasPendingConnections()) {
        QWebSocket *socket = socketServer.nextPendingConnection();
        if (!socket)
            break;
        if (!hub) {
            socket->abort();
            socket->deleteLater();
            continue;
        }
        auto *c = new transport::ClientConnection(socket, hub, options, &textCache, &gate, q);
        const int id = c->id();
        connections.insert(id, c);
        QObject::connect(c, &transport::ClientConnection::finished, q,
                         [this](int id) { onFinished(id); });
        QObject::connect(c, &transport::ClientConnection::statsChanged, q,
                         [this] { onStatsChanged(); });
        qCInfo(transport::lcTransport).noquote()
            << "client" << id << "connected from" << c->peerAddress() << "path"
            << socket->requestUrl().path();
        c->start();
        emit q->clientConnected(id, c->peerAddress());
    }
}

void ServerPrivate::onFinished(int id)
{
    transport::ClientConnection *c = connections.take(id);
    if (!c)
        return;
    qCInfo(transport::lcTransport) << "client" << id << "disconnected";
    c->deleteLater();
    if (!destroying)
        emit q->clientDisconnected(id);
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
        if (it.value()->takeDirty())
            ids.append(it.key());
    if (!ids.isEmpty())
        emit q->clientStatsChanged(ids);
}

Server::Server(Engine *engine, QObject *parent)
    : QObject(parent), d(std::make_unique<ServerPrivate>(this, engine))
{
    connect(&d->socketServer, &QWebSocketServer::newConnection, this,
            [this] { d->onNewConnection(); });
    connect(&d->socketServer, &QWebSocketServer::acceptError, this,
            [](QAbstractSocket::SocketError e) {
                qCWarning(transport::lcTransport) << "accepting a connection failed:" << e;
            });
    connect(&d->flushTimer, &QTimer::timeout, this, [this] {
        if (d->hub)
            d->hub->flush();
    });
    connect(&d->statsTimer, &QTimer::timeout, this, [this] { d->emitStats(); });
    connect(d->hub, &protocol::Hub::flushNeeded, this, [this] {
        if (!d->flushTimer.isActive())
            d->flushTimer.start(qMax(0, d->options.flushIntervalMs));
    });
}

Server::~Server()
{
    d->destroying = true;
    d->socketServer.close();
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
    for (transport::ClientConnection *c : std::as_const(d->connections))
        c->closeWith(protocol::closecode::goingAway, QStringLiteral("the server is shutting down"));
}

void Server::handleConnection(QTcpSocket *socket)
{
    if (!socket)
        return;
    d->socketServer.handleConnection(socket);
}

void Server::setHoldUntilDurable(bool hold)
{
    if (d->gate.hold == hold)
        return;
    d->gate.hold = hold;
    if (!hold)
        for (transport::ClientConnection *c : std::as_const(d->connections))
            c->writeOutgoing();
}

bool Server::holdsUntilDurable() const
{
    return d->gate.hold;
}

void Server::setDurableSequence(quint64 sequence)
{
    if (sequence <= d->gate.durableSequence)
        return;
    d->gate.durableSequence = sequence;
    if (d->gate.hold)
        for (transport::ClientConnection *c : std::as_const(d->connections))
            c->writeOutgoing();
}

quint64 Server::durableSequence() const
{
    return d->gate.durableSequence;
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
    return d->connections.keys();
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
