// SPDX-License-Identifier: MIT
// What a Server tells about and does with its clients (their figures, closing them, calling
// their services), its HTTP routes and web roots, and holding messages until durable.
#include "server_p.h"

#include "protocol/session.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <algorithm>

namespace objectsync {

void Server::setWebRoots(const QStringList &roots)
{
    d->door.setRoots(roots);
}

QStringList Server::webRoots() const
{
    return d->door.roots();
}

QStringList Server::defaultWebRoots()
{
    QStringList roots;
    const QString fromEnvironment = qEnvironmentVariable("OBJECTSYNC_WEB_ROOT");
    if (!fromEnvironment.isEmpty() && QFileInfo(fromEnvironment).isDir())
        roots.append(QDir::cleanPath(fromEnvironment));
    roots.append(QStringLiteral(":/objectsync/web"));
    if (QCoreApplication::instance()) {
        const QString appDir = QCoreApplication::applicationDirPath();
        for (const QString &relative :
             {QStringLiteral("../webclient"), QStringLiteral("../share/objectsync/web")}) {
            const QString dir = QDir::cleanPath(appDir + QLatin1Char('/') + relative);
            if (QFileInfo::exists(dir + QStringLiteral("/objectsync-client.js"))) {
                roots.append(dir);
                break;
            }
        }
    }
    return roots;
}

void Server::setHttpRoute(const QString &path, HttpHandler handler)
{
    d->door.setRoute(path, std::move(handler));
}

ServerStats Server::stats() const
{
    ServerStats s;
    s.clients = int(d->announced.size());
    s.pendingConnections = d->pending.count();
    s.connectionsAccepted = d->accepted;
    s.httpRequests = d->door.httpRequests();
    s.webSocketsOpened = d->webSocketsOpened;
    s.refused = d->refused;
    s.closed = d->closed;
    const transport::TrafficTotals &t = d->shared.traffic;
    s.messagesIn = t.messagesIn;
    s.bytesIn = t.bytesIn;
    s.messagesOut = t.messagesOut;
    s.bytesOut = t.bytesOut;
    if (d->hub) {
        s.actionsCommitted = qint64(d->hub->actionsCommitted());
        s.actionsRejected = qint64(d->hub->actionsRejected());
        s.updatesSent = qint64(d->hub->updatesSent());
    }
    for (const transport::ClientConnection *c : std::as_const(d->connections))
        s.pendingOutgoingBytes += c->bytesToWrite();
    return s;
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
