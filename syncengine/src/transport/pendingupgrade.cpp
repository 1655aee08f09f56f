// SPDX-License-Identifier: MIT
#include "pendingupgrade.h"

#include "clientconnection.h"
#include "originpolicy.h"
#include "web/httprequest.h"
#include "web/httpresponse.h"

#include <QTcpSocket>
#include <QTimer>

namespace objectsync::transport {

namespace {
/*! The largest opening handshake read; browsers send well under 4 KiB. */
constexpr qint64 maxHeadBytes = 16 * 1024;
/*! How long a refused peer may take to read its answer. */
constexpr int refusalTimeoutMs = 5000;
} // namespace

PendingUpgrade::PendingUpgrade(QTcpSocket *socket, qint64 deadline,
                               const QStringList &allowedOrigins, QObject *parent)
    : QObject(parent), m_socket(socket), m_allowedOrigins(allowedOrigins), m_deadline(deadline)
{
    m_socket->setParent(this);
    m_peerAddress =
        QStringLiteral("%1:%2").arg(socket->peerAddress().toString()).arg(socket->peerPort());
    connect(m_socket, &QTcpSocket::readyRead, this, &PendingUpgrade::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, &PendingUpgrade::finish);
}

PendingUpgrade::~PendingUpgrade()
{
    if (m_socket && m_socket->parent() == this) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
}

void PendingUpgrade::start()
{
    if (m_socket->state() != QAbstractSocket::ConnectedState) {
        QMetaObject::invokeMethod(this, &PendingUpgrade::finish, Qt::QueuedConnection);
        return;
    }
    if (m_socket->bytesAvailable() > 0)
        onReadyRead();
}

void PendingUpgrade::expire()
{
    if (m_finished)
        return;
    if (!m_answered) {
        qCInfo(lcTransport).noquote() << "dropping the connection from" << m_peerAddress
                                      << "that did not complete the WebSocket handshake in time";
    }
    m_socket->abort();
    finish();
}

void PendingUpgrade::onReadyRead()
{
    if (m_answered || m_finished)
        return;
    const QByteArray received = m_socket->peek(maxHeadBytes);
    const web::HeadScan scan = web::scanRequestHead(received, maxHeadBytes);
    if (scan.status == web::HeadScan::Incomplete)
        return;
    if (scan.status == web::HeadScan::TooLarge) {
        refuse(431, QStringLiteral("the handshake request is too large"));
        return;
    }
    web::HttpRequestHead head;
    const QString error = web::parseRequestHead(QByteArrayView(received).first(scan.size), &head);
    if (!error.isEmpty()) {
        refuse(400, QStringLiteral("a malformed handshake request: %1").arg(error));
        return;
    }
    if (!head.isWebSocketUpgrade()) {
        refuse(400, QStringLiteral("not a WebSocket upgrade request"));
        return;
    }
    const QString why = refuseOrigin(QString::fromUtf8(head.header("origin")),
                                     QString::fromUtf8(head.header("host")), m_allowedOrigins);
    if (!why.isEmpty()) {
        refuse(403, why);
        return;
    }
    m_socket->disconnect(this);
    m_socket->setParent(nullptr);
    QTcpSocket *socket = std::exchange(m_socket, nullptr);
    m_finished = true;
    emit ready(socket);
    emit finished(this);
}

void PendingUpgrade::refuse(int status, const QString &reason)
{
    m_answered = true;
    qCWarning(lcTransport).noquote()
        << QStringLiteral("refused the connection from %1 (HTTP %2): %3")
               .arg(m_peerAddress)
               .arg(status)
               .arg(reason);
    emit refused(m_peerAddress, reason);
    const QByteArray message = status == 403 ? QByteArray("this origin may not connect")
                                             : QByteArray("not a valid WebSocket handshake");
    m_socket->write(web::HttpResponse::error(status, message).serialize(false));
    // Closes once the answer is written; a peer that does not take it is cut.
    m_socket->disconnectFromHost();
    if (!m_finished)
        QTimer::singleShot(refusalTimeoutMs, this, &PendingUpgrade::expire);
}

void PendingUpgrade::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    emit finished(this);
}

} // namespace objectsync::transport
