// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QStringList>

QT_BEGIN_NAMESPACE
class QTcpSocket;
QT_END_NAMESPACE

namespace objectsync::transport {

/*!
 * A TCP connection handed to Server::handleConnection() whose WebSocket opening handshake
 * has not been read yet. It waits for the complete request head, then checks its Origin
 * against the allowed origins (see refuseOrigin(); the request's Host header tells the
 * host's own pages): an allowed request is given back, unread, with ready(); a refused one is
 * answered with HTTP 403 and closed, a malformed one with 400 or 431.
 *
 * It has no timer of its own: the server calls expire() once the handshake timeout has
 * passed (deadline()), and then the connection is cut. Owns the socket until ready().
 */
class PendingUpgrade : public QObject
{
    Q_OBJECT
public:
    /*! \a deadline is a time on the server's clock (ms), or -1 for none. */
    PendingUpgrade(QTcpSocket *socket, qint64 deadline, const QStringList &allowedOrigins,
                   QObject *parent = nullptr);
    ~PendingUpgrade() override;

    /*! Looks at what has arrived already; call once after construction. */
    void start();
    qint64 deadline() const { return m_deadline; }
    QString peerAddress() const { return m_peerAddress; }
    /*! The handshake took too long: cuts the connection. */
    void expire();

signals:
    /*! The request head is complete and its Origin allowed: \a socket, its head still unread
     *  and with no parent, now belongs to the receiver. finished() follows. */
    void ready(QTcpSocket *socket);
    /*! The request was refused (\a reason is for the log). */
    void refused(const QString &peerAddress, const QString &reason);
    /*! The object may be deleted. Emitted once. */
    void finished(objectsync::transport::PendingUpgrade *upgrade);

private:
    void onReadyRead();
    void refuse(int status, const QString &reason);
    void finish();

    QTcpSocket *m_socket;
    QStringList m_allowedOrigins;
    QString m_peerAddress;
    qint64 m_deadline;
    bool m_answered = false;
    bool m_finished = false;
};

} // namespace objectsync::transport
