// SPDX-License-Identifier: MIT
#include "listeners.h"

#include <QSslSocket>

namespace objectsync::transport {

namespace {
void prepare(QTcpSocket *socket)
{
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    socket->setReadBufferSize(maxRequestHeadBytes);
}
} // namespace

TcpListener::TcpListener(AcceptedHandler accepted, QObject *parent)
    : QTcpServer(parent), m_accepted(std::move(accepted))
{}

QTcpSocket *TcpListener::nextPendingConnection()
{
    QTcpSocket *socket = QTcpServer::nextPendingConnection();
    if (socket) {
        prepare(socket);
        m_accepted(socket);
    }
    return socket;
}

SslListener::SslListener(AcceptedHandler accepted, QObject *parent)
    : QSslServer(parent), m_accepted(std::move(accepted))
{}

void SslListener::incomingConnection(qintptr handle)
{
    QSslServer::incomingConnection(handle);
    // QSslServer makes the socket as its newest child and starts the handshake on it.
    const QObjectList &children = this->children();
    if (children.isEmpty())
        return;
    auto *socket = qobject_cast<QSslSocket *>(children.last());
    if (socket && socket->socketDescriptor() == handle)
        m_accepted(socket);
}

QTcpSocket *SslListener::nextPendingConnection()
{
    QTcpSocket *socket = QSslServer::nextPendingConnection();
    if (socket) {
        prepare(socket);
        m_accepted(socket); // already known since it was accepted: nothing changes
    }
    return socket;
}

} // namespace objectsync::transport
