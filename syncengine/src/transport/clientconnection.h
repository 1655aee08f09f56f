// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/access.h>

#include <objectsync/server.h>

#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <memory>

QT_BEGIN_NAMESPACE
class QWebSocket;
QT_END_NAMESPACE

namespace objectsync::protocol {
class Hub;
class Session;
} // namespace objectsync::protocol

namespace objectsync::transport {

Q_DECLARE_LOGGING_CATEGORY(lcTransport)

/*!
 * Turns the same encoded frame into the QString QWebSocket wants once, for all clients it
 * goes to: the hub hands the same frame to every client in turn, so remembering the last
 * conversion is enough.
 */
class FrameTextCache
{
public:
    QString text(const QByteArray &frame);

private:
    QByteArray m_frame; //!< kept alive so its data pointer identifies it
    QString m_text;
};

/*! Shared by a server's connections: whether messages wait for durability, and how far
 *  transitions are durable (see Server::setHoldUntilDurable()). */
struct DurabilityGate
{
    bool hold = false;
    quint64 durableSequence = 0;
};

/*! Messages and bytes of every connection of a server, added up. */
struct TrafficTotals
{
    qint64 messagesIn = 0;
    qint64 bytesIn = 0;
    qint64 messagesOut = 0;
    qint64 bytesOut = 0;
};

/*! What a server's connections share. */
struct ConnectionShared
{
    FrameTextCache textCache;
    DurabilityGate durability;
    TrafficTotals traffic;
    /*! The clock of every timeout (ms since the server started). */
    QElapsedTimer clock;
};

/*!
 * One client's WebSocket bound to its protocol Session. It only moves bytes: text messages
 * go to the session, queued frames go to the socket, and the session's close instructions
 * close the socket. It also enforces the outgoing buffer limit: a client that lets more than
 * ServerOptions::maxPendingOutgoingBytes pile up is closed (1013) so it cannot delay the
 * others. checkLiveness(), called by the server's sweep, pings a silent client and closes an
 * idle one, or one that did not send its token in time.
 */
class ClientConnection : public QObject
{
    Q_OBJECT
public:
    ClientConnection(QWebSocket *socket, protocol::Hub *hub, const ServerOptions &options,
                     ConnectionShared *shared, QObject *parent = nullptr);
    ~ClientConnection() override;

    /*! Lets \a policy check what the client writes and calls, as \a identity. Call before
     *  start(); without it the client is trusted as far as the protocol goes. */
    void setAccess(std::shared_ptr<AccessPolicy> policy, const QString &identity);
    /*! The session handles nothing but a first message carrying a token, which \a policy
     *  must accept (see protocol::Session::awaitToken()). Call before start(). */
    void awaitToken(std::shared_ptr<AccessPolicy> policy, const ConnectionRequest &request);
    /*! False while the client still has to send its token. */
    bool isAuthenticated() const;

    int id() const { return m_id; }
    protocol::Session *session() const { return m_session; }
    QString peerAddress() const { return m_peerAddress; }
    ClientInfo info() const;
    /*! Writes what the session queued so far (the hello); call once after connecting. */
    void start();
    /*! Bytes waiting in the socket to be sent. */
    qint64 bytesToWrite() const;
    /*! The close code the connection ended with: the host's, or the client's (Qt reports 1000
     *  for a connection that dropped without one). Meaningful once finished() was emitted. */
    int closeCode() const { return m_closeCode; }
    /*! Asks the session to close with \a code and \a reason. */
    void closeWith(quint16 code, const QString &reason);
    /*! Cuts the connection at once, without a closing handshake. */
    void abort();
    /*! True if the stats changed since the last call. */
    bool takeDirty();
    /*! Writes the messages the session queued that may leave now (see DurabilityGate). */
    void writeOutgoing();
    /*! Applies the handshake, ping and idle timeouts at \a now (ConnectionShared::clock). */
    void checkLiveness(qint64 now);

signals:
    /*! The stats changed (emitted once until takeDirty() is called). */
    void statsChanged(int id);
    /*! The client sent an accepted token: it is served from now on. */
    void authenticated(int id);
    /*! The connection is gone. Emitted once. */
    void finished(int id);

private:
    void onText(const QString &message);
    void onBinary(const QByteArray &message);
    void onCloseRequested();
    void onDisconnected();
    void markDirty();
    void heard();

    QWebSocket *m_socket;
    protocol::Session *m_session;
    ConnectionShared *m_shared;
    ServerOptions m_options;
    QTimer m_closeTimer;
    int m_id;
    QString m_peerAddress;
    QDateTime m_connectedAt;
    QString m_closeReason;
    qint64 m_bytesIn = 0;
    qint64 m_bytesOut = 0;
    qint64 m_messagesIn = 0;
    qint64 m_messagesOut = 0;
    qint64 m_openedAt = 0;  //!< on the shared clock
    qint64 m_lastHeard = 0; //!< the last message or pong, on the shared clock
    qint64 m_lastPing = 0;
    int m_closeCode = 1000;
    bool m_dirty = false;
    bool m_closing = false;
    bool m_finished = false;
};

} // namespace objectsync::transport
