// SPDX-License-Identifier: MIT
#pragma once

#include <QHostAddress>
#include <QObject>

QT_BEGIN_NAMESPACE
class QTcpSocket;
QT_END_NAMESPACE

namespace objectsync::web {

/*!
 * Copies bytes both ways between an accepted socket and a new connection to another port,
 * starting with what the accepted socket has buffered (the unread upgrade request). Reading
 * pauses while the other side has more than a bounded amount waiting to be sent. When one
 * side closes, the other is closed once its data is out; the relay then deletes itself.
 */
class TcpRelay : public QObject
{
    Q_OBJECT
public:
    /*! Takes ownership of \a client. */
    TcpRelay(QTcpSocket *client, const QHostAddress &address, quint16 port,
             QObject *parent = nullptr);
    ~TcpRelay() override;

private:
    void pump(QTcpSocket *from, QTcpSocket *to);
    void onClosed(QTcpSocket *closed, QTcpSocket *other);
    void checkDone();

    QTcpSocket *m_client;
    QTcpSocket *m_upstream;
    bool m_upstreamReady = false;
};

} // namespace objectsync::web
