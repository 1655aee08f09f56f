// SPDX-License-Identifier: MIT
#pragma once

/*! \file server.h The WebSocket server that lets clients share an Engine. */

#include <objectsync/global.h>
#include <objectsync/result.h>

#include <QDateTime>
#include <QHostAddress>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QObject>
#include <QSslConfiguration>
#include <QStringList>
#include <QUrl>
#include <functional>
#include <memory>

namespace objectsync {

class AccessPolicy;
struct ConnectionRequest;
class Engine;
class ServerPrivate;

/*! Settings of a Server. Limits apply to connections opened after they are set. */
struct OBJECTSYNC_EXPORT ServerOptions
{
    /*! How long changes to topics that are not order-strict are held back and merged
     *  before they are sent (with the action id "clock"). */
    int flushIntervalMs = 50;
    /*! Largest incoming message, in bytes; larger ones close the connection (1009). */
    qint64 maxMessageBytes = 1 << 20;
    /*! Deepest nesting of arrays and objects in an incoming message (1008 when deeper). */
    int maxJsonDepth = 64;
    /*! Messages per second a client may send, with bursts of up to one second's worth
     *  (1008 when faster). 0 means no limit. */
    int maxMessagesPerSecond = 500;
    /*! Offers the batched join (`subscribe_many` answered with `init_many`, announced in the
     *  hello). Without it every client subscribes topic by topic. */
    bool batchedJoin = true;
    /*! Bytes waiting to be sent to one client. A client that lets more pile up is too slow
     *  and is closed (1013) so that it cannot hold back the others or use up memory. */
    qint64 maxPendingOutgoingBytes = 16 << 20;
    /*! How long a closing connection may take to finish before it is cut. */
    int closeTimeoutMs = 5000;
    /*! How long a new TCP connection may take to become a client (its TLS handshake, its HTTP
     *  request head and the WebSocket opening handshake) or to take an HTTP answer before it
     *  is cut, and, when the access policy waits for a token in the first message, how long
     *  that message may take (then 1008). 0 means no limit. */
    int handshakeTimeoutMs = 10000;
    /*! Connections accepted that are not clients yet (see handshakeTimeoutMs). When this many
     *  are pending and another one arrives, the one idle longest is cut to make room if it has
     *  been silent for a tenth of handshakeTimeoutMs (100 ms to 1 s): a crowd of idle sockets
     *  never keeps a new client out, and a storm of clients that all sent their handshake is
     *  let in. 0 means no limit. */
    int maxPendingConnections = 16384;
    /*! A client that has sent nothing (no message, no pong) for this long is pinged, and again
     *  after each further interval. 0 means no pings. */
    int pingIntervalMs = 15000;
    /*! A client that has sent nothing at all (no message, no pong) for this long is closed
     *  (1001, "idle timeout"). Keep it above pingIntervalMs so live clients can answer a
     *  ping in time. 0 means no limit. */
    int idleTimeoutMs = 60000;
    /*!
     * Browser pages (by their Origin header) allowed to connect; the others are refused at
     * the handshake (HTTP 403). Entries are origins such as "https://app.example.com" or
     * "http://localhost:3000"; "*" allows every origin. Clients that send no Origin (programs,
     * not browsers) are always allowed, and so are the host's own pages (an Origin naming the
     * host and port the request was sent to, by its Host header).
     * When the list is empty, pages served from localhost, 127.0.0.1 or [::1] are allowed too.
     */
    QStringList allowedOrigins;
    /*! clientStatsChanged() is emitted at most once per this interval. */
    int statsIntervalMs = 250;
};

/*! What the host knows about a connected client. */
struct OBJECTSYNC_EXPORT ClientInfo
{
    int id = 0;          //!< the client id (also the origin of its transitions)
    QString peerAddress; //!< "address:port"
    QDateTime connectedAt;
    QStringList subscriptions; //!< topic names, sorted
    qint64 bytesIn = 0;        //!< message payload bytes received (UTF-8)
    qint64 bytesOut = 0;       //!< message payload bytes sent (UTF-8)
    qint64 messagesIn = 0;
    qint64 messagesOut = 0;
    QString closeReason; //!< set once the host has decided to close the connection
    QString identity;    //!< AccessDecision::identity given by the access policy, if any

    bool isValid() const { return id > 0; }
};

/*! An HTTP request to the server's port other than a WebSocket upgrade (see
 *  Server::setHttpRoute()). */
struct OBJECTSYNC_EXPORT HttpRequest
{
    QByteArray method; //!< "GET" or "HEAD"
    QUrl url;          //!< the request target: path and query
    QList<QPair<QByteArray, QByteArray>> headers;
};

/*! The answer to an HttpRequest. The server adds the length and closes the connection. */
struct OBJECTSYNC_EXPORT HttpReply
{
    int status = 200;
    QByteArray contentType = "text/plain; charset=utf-8";
    QByteArray body;
    QByteArray location; //!< the Location header of a redirect; none when empty
    /*! A plain-text error answer: "404 Not Found: \a message". */
    static HttpReply error(int status, const QByteArray &message = {});
};

/*! Answers the requests for one path. Runs on the server's thread. */
using HttpHandler = std::function<HttpReply(const HttpRequest &request)>;

/*! What a server has done since it was made, and what it holds now (Server::stats()). */
struct OBJECTSYNC_EXPORT ServerStats
{
    int clients = 0;                //!< clients served now
    int pendingConnections = 0;     //!< connections accepted that are not clients yet
    qint64 connectionsAccepted = 0; //!< TCP connections accepted
    qint64 httpRequests = 0;        //!< HTTP requests answered (pages, routes and errors)
    qint64 webSocketsOpened = 0;    //!< WebSocket opening handshakes completed
    /*! Connections refused or cut before they became clients, by reason: "origin",
     *  "bad_handshake", "handshake_timeout", "too_many_pending", "access_policy",
     *  "no_token", "room" (the room resolver refused: a bad name, a room that may not be
     *  opened, too many rooms). */
    QMap<QString, qint64> refused;
    /*! Client connections ended, by WebSocket close code: the host's, or the client's (1000
     *  also for a connection that dropped without a closing handshake). */
    QMap<int, qint64> closed;
    qint64 messagesIn = 0;
    qint64 bytesIn = 0; //!< message payload bytes (UTF-8)
    qint64 messagesOut = 0;
    qint64 bytesOut = 0;
    qint64 actionsCommitted = 0;
    qint64 actionsRejected = 0;
    qint64 updatesSent = 0;          //!< `update` messages queued for clients
    qint64 pendingOutgoingBytes = 0; //!< bytes waiting in client sockets now
};

/*!
 * Finds the server of the room a WebSocket asks for (ConnectionRequest::room; see
 * Server::setRoomResolver()), opening the room if it may. An Error refuses the connection
 * with an HTTP status by its code: InvalidArgument 400, PermissionDenied 403, NotFound 404,
 * LimitExceeded 503, others 500; the message is the answer's body except for
 * PermissionDenied (which is only logged).
 */
class Server;
using RoomResolver = std::function<Result<Server *>(const ConnectionRequest &request)>;

/*! Receives a client's answer to Server::requestClient(): the response, or an error text. */
using ClientResponseHandler = std::function<void(const QJsonValue &response, const QString &error)>;

/*!
 * Serves an Engine to WebSocket clients speaking the ObjectSync protocol (see
 * docs/protocol.md), and HTTP on the same port: files from the web roots (setWebRoots()) and
 * handlers for single paths (setHttpRoute()). With setSslConfiguration() it serves `wss://`
 * and `https://` instead. Each client gets an id (1, 2, 3, ...) when it connects; a transition
 * caused by a client carries that id as its origin (Engine::currentOrigin() while it is
 * being applied), so plugins know who did what. Everything runs on the engine's thread.
 *
 * \code
 * objectsync::Engine engine;
 * objectsync::Server server(&engine);
 * if (const auto listening = server.listen(QHostAddress::Any, 8765); !listening)
 *     qFatal("%s", qPrintable(listening.error().message()));
 * QObject::connect(&server, &objectsync::Server::clientConnected, [](int id, const QString &peer) {
 *     qInfo() << "client" << id << "connected from" << peer;
 * });
 * \endcode
 *
 * Before a connection becomes a client it must complete the WebSocket handshake in time
 * (ServerOptions::handshakeTimeoutMs), come from an allowed page when it is a browser
 * (ServerOptions::allowedOrigins) and satisfy the access policy, if one is set
 * (setAccessPolicy()). Connected clients are pinged when silent and closed when idle
 * (ServerOptions::pingIntervalMs, ServerOptions::idleTimeoutMs). See docs/protocol.md.
 *
 * The engine must outlive the server.
 */
class OBJECTSYNC_EXPORT Server : public QObject
{
    Q_OBJECT
public:
    static constexpr quint16 DefaultPort = 8765;

    explicit Server(Engine *engine, QObject *parent = nullptr);
    ~Server() override;

    Engine *engine() const;

    void setOptions(const ServerOptions &options);
    ServerOptions options() const;

    /*! Starts listening; port 0 picks a free port (see port()). Returns why it cannot (Io:
     *  the port is taken or not allowed; Conflict: already listening). */
    Result<void> listen(const QHostAddress &address = QHostAddress::LocalHost,
                        quint16 port = DefaultPort);
    /*! Serves TLS with \a configuration (its local certificate and private key set) from the
     *  next listen() on; a null configuration (the default) serves plain TCP. */
    void setSslConfiguration(const QSslConfiguration &configuration);
    /*! True when listen() serves TLS. */
    bool isSecure() const;
    bool isListening() const;
    /*! The port listened on (0 when not listening). */
    quint16 port() const;
    QHostAddress address() const;
    /*! Stops listening and closes every connection (1001, going away). */
    void close();

    // ---- HTTP on the same port ------------------------------------------------------------
    /*!
     * The places GET and HEAD requests are answered from, searched in order: directories, or
     * Qt resource paths such as `:/objectsync/web`. `/` and directories mean their
     * `index.html`. Paths with `..`, `.`, hidden names, a backslash or a NUL are refused (403),
     * and so is a file that resolves outside its root through a link. None by default.
     */
    void setWebRoots(const QStringList &roots);
    QStringList webRoots() const;
    /*!
     * The directory named by the environment variable OBJECTSYNC_WEB_ROOT, if set; the
     * built-in demo pages (`:/objectsync/web`); then the first of
     * `<application dir>/../webclient` (a build tree) and
     * `<application dir>/../share/objectsync/web` (an installation) that holds the web client
     * bundle, `objectsync-client.js`.
     */
    static QStringList defaultWebRoots();
    /*! GET and HEAD requests for exactly \a path are answered by \a handler (before the web
     *  roots); an empty handler removes the route. */
    void setHttpRoute(const QString &path, HttpHandler handler);

    /*! Counters and current figures (see ServerStats). */
    ServerStats stats() const;

    /*!
     * Makes every message to clients wait until the transitions it reflects are durable:
     * an `update` (and so the confirmation of an action) leaves only once
     * setDurableSequence() has reached its transition, and messages queued after it wait
     * behind it, so the order stays the same. A host that journals its transitions turns
     * this on; off by default (everything is sent at once). Turning it off sends what waits.
     */
    void setHoldUntilDurable(bool hold);
    bool holdsUntilDurable() const;
    /*! Every transition up to \a sequence (Transition::sequence) is durable: sends what
     *  waited for it. Connect Workspace::durable() here. */
    void setDurableSequence(quint64 sequence);
    quint64 durableSequence() const;

    /*!
     * Makes \a policy decide who may connect and what clients may write and call (see
     * AccessPolicy); nullptr lets everyone connect. Applies to connections opened afterwards.
     */
    void setAccessPolicy(std::shared_ptr<AccessPolicy> policy);
    std::shared_ptr<AccessPolicy> accessPolicy() const;

    /*!
     * Serves rooms (objectsync/room.h) on this server's port: every WebSocket upgrade is
     * handed to \a resolver with its room (the path's `/rooms/<name>`, or "default") before
     * Qt's handshake, and again once its WebSocket is open; the connection becomes a client of
     * the server it returns, which may be this one (the default room) or another Server made
     * for the room's engine that never listens. A path under `/rooms` naming no valid room is
     * refused (400) without asking. Without a resolver (the default) every path is this
     * server's engine. The web pages are served under `/rooms/<name>/` too, as at `/`.
     */
    void setRoomResolver(RoomResolver resolver);

    /*! The id the next client will get (1 for a new server). */
    int nextClientId() const;
    /*! Makes the next client id at least \a id, for example the value a host kept from its
     *  previous run, so that ids (and the object ids clients make from them) are not reused. */
    void setNextClientId(int id);

    // ---- clients ------------------------------------------------------------------------
    QList<int> clientIds() const;
    /*! Everything known about client \a id; an invalid ClientInfo for an unknown id. */
    ClientInfo clientInfo(int id) const;
    QStringList subscriptions(int id) const;
    QString peerAddress(int id) const;
    qint64 bytesIn(int id) const;
    qint64 bytesOut(int id) const;

    /*! Closes the connection of client \a id (1000) with \a reason. */
    bool disconnectClient(int id, const QString &reason = QString());

    /*!
     * Calls the service \a serviceName of client \a id. \a onResponse runs exactly once:
     * with the client's response, or with an error (unknown client, client gone, too many
     * pending requests). Returns false when the request could not be sent.
     */
    bool requestClient(int id, const QString &serviceName, const QJsonObject &args,
                       ClientResponseHandler onResponse);

signals:
    /*! A client is served from now on: its handshake is done and the access policy, if any,
     *  let it in. Connections refused before that are only reported by connectionRefused(). */
    void clientConnected(int id, const QString &peerAddress);
    void clientDisconnected(int id);
    /*! The bytes, messages or subscriptions of these clients changed. Coalesced: emitted at
     *  most once per ServerOptions::statsIntervalMs. */
    void clientStatsChanged(const QList<int> &ids);
    /*! A connection from \a peerAddress was refused before it became a client: its Origin is
     *  not allowed, the access policy denied it, or it did not send an accepted token in time.
     *  \a reason is for the host's log (the client is told less). */
    void connectionRefused(const QString &peerAddress, const QString &reason);
    /*! An HTTP request was answered with \a status (WebSocket upgrades are not reported). */
    void requestServed(const QString &method, const QString &path, int status);

private:
    friend class ServerPrivate; // a listening server hands each room's clients to its server
    std::unique_ptr<ServerPrivate> d;
};

} // namespace objectsync
