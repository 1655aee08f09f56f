// SPDX-License-Identifier: MIT
#include "tcprelay.h"

#include "weblog.h"

#include <QTcpSocket>

namespace objectsync::web {

namespace {
/*! Most bytes buffered on either side before reading pauses. */
constexpr qint64 relayBufferBytes = 1 << 20;
constexpr qint64 chunkBytes = 64 * 1024;
} // namespace

TcpRelay::TcpRelay(QTcpSocket *client, const QHostAddress &address, quint16 port, QObject *parent)
    : QObject(parent), m_client(client), m_upstream(new QTcpSocket(this))
{
    m_client->setParent(this);
    m_client->setReadBufferSize(relayBufferBytes);
    m_upstream->setReadBufferSize(relayBufferBytes);

    connect(m_upstream, &QTcpSocket::connected, this, [this] {
        m_upstreamReady = true;
        pump(m_client, m_upstream);
        if (m_client->state() == QAbstractSocket::UnconnectedState)
            onClosed(m_client, m_upstream);
    });
    connect(m_upstream, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError e) {
        if (!m_upstreamReady) {
            qCWarning(lcWeb) << "cannot reach the WebSocket server to relay to:" << e;
            m_client->abort();
            checkDone();
        }
    });
    connect(m_client, &QTcpSocket::readyRead, this, [this] { pump(m_client, m_upstream); });
    connect(m_upstream, &QTcpSocket::readyRead, this, [this] { pump(m_upstream, m_client); });
    connect(m_upstream, &QTcpSocket::bytesWritten, this, [this] { pump(m_client, m_upstream); });
    connect(m_client, &QTcpSocket::bytesWritten, this, [this] { pump(m_upstream, m_client); });
    connect(m_client, &QTcpSocket::disconnected, this, [this] { onClosed(m_client, m_upstream); });
    connect(m_upstream, &QTcpSocket::disconnected, this, [this] {
        if (m_upstreamReady)
            onClosed(m_upstream, m_client);
    });

    m_upstream->connectToHost(address, port);
}

TcpRelay::~TcpRelay()
{
    m_client->disconnect(this);
    m_upstream->disconnect(this);
    m_client->abort();
    m_upstream->abort();
}

void TcpRelay::pump(QTcpSocket *from, QTcpSocket *to)
{
    if (!m_upstreamReady || to->state() != QAbstractSocket::ConnectedState)
        return;
    while (from->bytesAvailable() > 0 && to->bytesToWrite() < relayBufferBytes)
        to->write(from->read(chunkBytes));
}

void TcpRelay::onClosed(QTcpSocket *closed, QTcpSocket *other)
{
    if (!m_upstreamReady) {
        // The client left before the server answered.
        m_upstream->abort();
        checkDone();
        return;
    }
    // Forward what the closed side still had buffered, then close the other side.
    if (other->state() == QAbstractSocket::ConnectedState) {
        while (closed->bytesAvailable() > 0)
            other->write(closed->read(chunkBytes));
        other->disconnectFromHost();
    }
    checkDone();
}

void TcpRelay::checkDone()
{
    // A side that is still closing reports disconnected() later, which comes back here.
    if (m_client->state() == QAbstractSocket::UnconnectedState &&
        m_upstream->state() == QAbstractSocket::UnconnectedState)
        deleteLater();
}

} // namespace objectsync::web
