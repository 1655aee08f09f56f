// SPDX-License-Identifier: MIT
#pragma once

#include <QSslServer>
#include <QTcpServer>
#include <functional>

namespace objectsync::transport {

/*! The largest HTTP request head (request line and headers) read from a connection: a
 *  pending connection never buffers more, and one whose head is larger is cut when its time
 *  is up. Browsers send well under 4 KiB. */
constexpr qint64 maxRequestHeadBytes = 16 * 1024;

/*! Called with every connection a listener accepts, as soon as it has a socket. */
using AcceptedHandler = std::function<void(QTcpSocket *socket)>;

/*!
 * The plain TCP listening socket of a server. It reports each connection it hands out, so that
 * the server bounds how long it may stay pending (see PendingConnections), turns Nagle's
 * algorithm off on it (updates are small and latency matters more than packing) and bounds
 * what it buffers before it becomes a WebSocket (maxRequestHeadBytes).
 */
class TcpListener : public QTcpServer
{
    Q_OBJECT
public:
    TcpListener(AcceptedHandler accepted, QObject *parent = nullptr);
    QTcpSocket *nextPendingConnection() override;

private:
    AcceptedHandler m_accepted;
};

/*!
 * The TLS listening socket of a server. A connection is reported as soon as it is accepted,
 * before its TLS handshake, so that the handshake counts against the same time and number
 * bounds as the HTTP request that follows it.
 */
class SslListener : public QSslServer
{
    Q_OBJECT
public:
    SslListener(AcceptedHandler accepted, QObject *parent = nullptr);
    QTcpSocket *nextPendingConnection() override;

protected:
    void incomingConnection(qintptr handle) override;

private:
    AcceptedHandler m_accepted;
};

} // namespace objectsync::transport
