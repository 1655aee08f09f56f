// SPDX-License-Identifier: MIT
#pragma once

// The state behind objectsync::Server, shared by server.cpp (listening, admitting clients)
// and serverclients.cpp (what the server tells about its clients, routes and durability).

#include "clientconnection.h"
#include "httpdoor.h"
#include "pendingconnections.h"
#include "protocol/hub.h"

#include <objectsync/access.h>
#include <objectsync/server.h>

#include <QMap>
#include <QPointer>
#include <QSet>
#include <QSslConfiguration>
#include <QTcpServer>
#include <QTimer>

QT_BEGIN_NAMESPACE
class QWebSocket;
QT_END_NAMESPACE

namespace objectsync {

class ServerPrivate
{
public:
    ServerPrivate(Server *q, Engine *engine);

    void onAccepted(QTcpSocket *socket);
    void onPendingCut(transport::PendingConnections::CutReason reason);
    void onNewWebSockets();
    /*! Makes \a socket a client of this server, in \a room (empty without rooms). */
    void admit(QWebSocket *socket, const QString &room);
    /*! Asks the room resolver for the server of \a room (set in \a request). */
    Result<Server *> resolveRoom(ConnectionRequest &request, const QString &room) const;
    void refuse(QWebSocket *socket, const QString &key, const QString &reason);
    void announce(transport::ClientConnection *c);
    void onFinished(int id);
    void onStatsChanged();
    void emitStats();
    void ensureSweeping();
    void sweep();
    void applyLimits();
    /*! Client \a id if it is served (connected and, when asked to, authenticated). */
    transport::ClientConnection *connection(int id) const;

    Server *q;
    QPointer<Engine> engine;
    QPointer<protocol::Hub> hub;
    transport::PendingConnections pending;
    transport::HttpDoor door;
    /*! The listening socket (a child of the door once bound), or null. */
    QPointer<QTcpServer> listener;
    QSslConfiguration ssl;
    ServerOptions options;
    std::shared_ptr<AccessPolicy> policy;
    RoomResolver roomResolver;
    QMap<int, transport::ClientConnection *> connections; //!< every open connection
    QSet<int> announced;                                  //!< clients reported by clientConnected()
    transport::ConnectionShared shared;
    qint64 accepted = 0;
    qint64 webSocketsOpened = 0;
    QMap<QString, qint64> refused;
    QMap<int, qint64> closed;
    QTimer flushTimer;
    QTimer statsTimer;
    QTimer sweepTimer;
    bool destroying = false;
};

} // namespace objectsync
