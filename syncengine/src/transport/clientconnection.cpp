// SPDX-License-Identifier: MIT
#include "clientconnection.h"

#include "protocol/hub.h"
#include "protocol/session.h"

#include <QWebSocket>

namespace objectsync::transport {

Q_LOGGING_CATEGORY(lcTransport, "objectsync.transport")

namespace {
/*! Room above the message limit, so a message just over it still reaches the session and
 *  gets its readable close reason; QWebSocket stops anything larger without buffering it. */
constexpr qint64 socketLimitSlack = 1024;
} // namespace

QString FrameTextCache::text(const QByteArray &frame)
{
    if (frame.constData() != m_frame.constData() || frame.size() != m_frame.size()) {
        m_frame = frame;
        m_text = QString::fromUtf8(frame);
    }
    return m_text;
}

ClientConnection::ClientConnection(QWebSocket *socket, protocol::Hub *hub,
                                   const ServerOptions &options, ConnectionShared *shared,
                                   QObject *parent)
    : QObject(parent), m_socket(socket), m_shared(shared), m_options(options),
      m_id(hub->allocateClientId())
{
    m_socket->setParent(this);
    m_peerAddress =
        QStringLiteral("%1:%2").arg(socket->peerAddress().toString()).arg(socket->peerPort());
    m_connectedAt = QDateTime::currentDateTime();
    m_openedAt = m_shared->clock.elapsed();
    m_lastHeard = m_openedAt;
    m_lastPing = m_openedAt;
    if (options.maxMessageBytes > 0) {
        const quint64 limit = quint64(options.maxMessageBytes + socketLimitSlack);
        m_socket->setMaxAllowedIncomingMessageSize(limit);
        m_socket->setMaxAllowedIncomingFrameSize(limit);
    }

    protocol::SessionLimits limits;
    limits.maxMessageBytes = options.maxMessageBytes;
    limits.maxDepth = options.maxJsonDepth;
    limits.maxMessagesPerSecond = options.maxMessagesPerSecond;
    limits.batchedJoin = options.batchedJoin;
    m_session = new protocol::Session(hub, m_id, limits, this);

    m_closeTimer.setSingleShot(true);
    connect(&m_closeTimer, &QTimer::timeout, this, [this] {
        qCInfo(lcTransport) << "client" << m_id << "did not finish closing; cutting the connection";
        m_socket->abort();
    });
    connect(m_session, &protocol::Session::outgoingReady, this, &ClientConnection::writeOutgoing);
    connect(m_session, &protocol::Session::subscriptionsChanged, this,
            &ClientConnection::markDirty);
    connect(m_session, &protocol::Session::authenticated, this,
            [this] { emit authenticated(m_id); });
    // Closing from inside a socket signal is avoided: it happens once control is back in the
    // event loop. The session queues nothing more meanwhile.
    connect(m_session, &protocol::Session::closeRequested, this,
            &ClientConnection::onCloseRequested, Qt::QueuedConnection);
    connect(m_socket, &QWebSocket::textMessageReceived, this, &ClientConnection::onText);
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, &ClientConnection::onBinary);
    connect(m_socket, &QWebSocket::disconnected, this, &ClientConnection::onDisconnected);
    connect(m_socket, &QWebSocket::pong, this, &ClientConnection::heard);
}

ClientConnection::~ClientConnection()
{
    m_socket->disconnect(this);
    if (m_socket->state() != QAbstractSocket::UnconnectedState)
        m_socket->abort();
}

void ClientConnection::start()
{
    if (m_socket->state() != QAbstractSocket::ConnectedState) {
        QMetaObject::invokeMethod(this, &ClientConnection::onDisconnected, Qt::QueuedConnection);
        return;
    }
    writeOutgoing();
}

qint64 ClientConnection::bytesToWrite() const
{
    return m_socket->bytesToWrite();
}

void ClientConnection::setAccess(std::shared_ptr<AccessPolicy> policy, const QString &identity)
{
    m_session->setAccessPolicy(std::move(policy), identity);
}

void ClientConnection::awaitToken(std::shared_ptr<AccessPolicy> policy,
                                  const ConnectionRequest &request)
{
    m_session->awaitToken(std::move(policy), request);
}

bool ClientConnection::isAuthenticated() const
{
    return m_session->isAuthenticated();
}

ClientInfo ClientConnection::info() const
{
    ClientInfo info;
    info.id = m_id;
    info.peerAddress = m_peerAddress;
    info.connectedAt = m_connectedAt;
    info.subscriptions =
        QStringList(m_session->subscriptions().cbegin(), m_session->subscriptions().cend());
    info.subscriptions.sort();
    info.bytesIn = m_bytesIn;
    info.bytesOut = m_bytesOut;
    info.messagesIn = m_messagesIn;
    info.messagesOut = m_messagesOut;
    info.closeReason = m_closeReason;
    info.identity = m_session->identity();
    return info;
}

void ClientConnection::closeWith(quint16 code, const QString &reason)
{
    m_session->close(code, reason);
}

void ClientConnection::abort()
{
    m_socket->abort();
}

bool ClientConnection::takeDirty()
{
    return std::exchange(m_dirty, false);
}

void ClientConnection::markDirty()
{
    if (m_dirty)
        return;
    m_dirty = true;
    emit statsChanged(m_id);
}

void ClientConnection::heard()
{
    m_lastHeard = m_shared->clock.elapsed();
}

void ClientConnection::checkLiveness(qint64 now)
{
    if (m_closing || m_finished)
        return;
    if (!m_session->isAuthenticated()) {
        // The token is part of the handshake; without a handshake limit the idle one holds.
        const int limit = m_options.handshakeTimeoutMs > 0 ? m_options.handshakeTimeoutMs
                                                           : m_options.idleTimeoutMs;
        if (limit > 0 && now - m_openedAt >= limit) {
            qCInfo(lcTransport) << "client" << m_id << "sent no token in time";
            m_session->close(protocol::closecode::policyViolation,
                             QStringLiteral("authentication failed: no token in time"));
        }
        return;
    }
    const qint64 silent = now - m_lastHeard;
    if (m_options.idleTimeoutMs > 0 && silent >= m_options.idleTimeoutMs) {
        qCInfo(lcTransport) << "client" << m_id << "is idle: nothing received for" << silent
                            << "ms";
        m_session->close(protocol::closecode::goingAway,
                         QStringLiteral("idle timeout: nothing received for %1 ms").arg(silent));
        return;
    }
    if (m_options.pingIntervalMs > 0 && silent >= m_options.pingIntervalMs &&
        now - m_lastPing >= m_options.pingIntervalMs &&
        m_socket->state() == QAbstractSocket::ConnectedState) {
        m_lastPing = now;
        m_socket->ping();
    }
}

void ClientConnection::onText(const QString &message)
{
    heard();
    const QByteArray utf8 = message.toUtf8();
    m_bytesIn += utf8.size();
    ++m_messagesIn;
    m_shared->traffic.bytesIn += utf8.size();
    ++m_shared->traffic.messagesIn;
    markDirty();
    m_session->receiveText(utf8);
}

void ClientConnection::onBinary(const QByteArray &message)
{
    heard();
    m_bytesIn += message.size();
    ++m_messagesIn;
    m_shared->traffic.bytesIn += message.size();
    ++m_shared->traffic.messagesIn;
    markDirty();
    m_session->receiveBinary(message.size());
}

void ClientConnection::writeOutgoing()
{
    if (m_closing || m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    const DurabilityGate &gate = m_shared->durability;
    const QList<QByteArray> frames =
        gate.hold ? m_session->takeOutgoing(gate.durableSequence) : m_session->takeOutgoing();
    if (frames.isEmpty())
        return;
    qint64 bytes = 0;
    for (const QByteArray &frame : frames) {
        m_socket->sendTextMessage(m_shared->textCache.text(frame));
        bytes += frame.size();
    }
    m_bytesOut += bytes;
    m_messagesOut += frames.size();
    m_shared->traffic.bytesOut += bytes;
    m_shared->traffic.messagesOut += frames.size();
    markDirty();

    const qint64 limit = m_options.maxPendingOutgoingBytes;
    if (limit > 0 && m_socket->bytesToWrite() > limit) {
        m_socket->flush(); // hand what the kernel takes now to the network
        const qint64 waiting = m_socket->bytesToWrite();
        if (waiting > limit) {
            qCWarning(lcTransport)
                << "client" << m_id << "is too slow:" << waiting << "bytes waiting to be sent";
            m_session->close(protocol::closecode::tryAgainLater,
                             QStringLiteral("client too slow: %1 bytes backlog").arg(waiting));
        }
    }
}

void ClientConnection::onCloseRequested()
{
    if (m_closing)
        return;
    m_closing = true;
    const auto instruction = m_session->closeInstruction();
    const quint16 code = instruction ? instruction->code : protocol::closecode::normal;
    m_closeCode = code;
    m_closeReason = instruction ? instruction->reason : QString();
    markDirty();
    if (m_socket->state() == QAbstractSocket::UnconnectedState) {
        onDisconnected();
        return;
    }
    // A close frame carries at most 123 bytes of reason.
    m_socket->close(QWebSocketProtocol::CloseCode(code), m_closeReason.left(120));
    if (m_socket->state() != QAbstractSocket::UnconnectedState && !m_finished)
        m_closeTimer.start(qMax(0, m_options.closeTimeoutMs));
}

void ClientConnection::onDisconnected()
{
    m_closeTimer.stop();
    if (m_finished)
        return;
    m_finished = true;
    if (!m_closing) {
        // The client closed, or the connection dropped (Qt then reports 1000).
        m_closeCode = int(m_socket->closeCode());
    }
    if (!m_session->isClosed())
        m_session->close(protocol::closecode::normal, QStringLiteral("the client disconnected"));
    emit finished(m_id);
}

} // namespace objectsync::transport
