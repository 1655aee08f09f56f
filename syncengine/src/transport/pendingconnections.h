// SPDX-License-Identifier: MIT
#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QTimer>
#include <list>

QT_BEGIN_NAMESPACE
class QTcpSocket;
QT_END_NAMESPACE

namespace objectsync::transport {

/*!
 * The connections a server accepted that are not clients yet: a TLS handshake, an HTTP
 * request head or a WebSocket opening handshake is still on its way, or an HTTP answer is
 * still being taken. They are bounded two ways:
 * - by time: a connection that is still pending \a timeoutMs after it was accepted is cut;
 * - by number: when \a maxPending are pending and another one arrives, the one that has been
 *   idle longest (nothing received for the longest time) is cut to make room, if it has been
 *   idle for at least idleMs(). The newest is never refused, so a crowd of idle sockets cannot
 *   keep a real client out; and a storm of real clients, all of which sent their request a
 *   moment ago, is let in past the bound rather than cut.
 *
 * A connection stops being pending when release() is called (it became a WebSocket) or when
 * its socket disconnects or is destroyed. The tracker never owns a socket.
 */
class PendingConnections : public QObject
{
    Q_OBJECT
public:
    enum class CutReason { Timeout, Crowded, Shutdown };

    explicit PendingConnections(QObject *parent = nullptr);
    ~PendingConnections() override;

    /*! 0 means no time limit or no count limit. */
    void setLimits(int timeoutMs, int maxPending);
    int timeoutMs() const { return m_timeoutMs; }
    int maxPending() const { return m_maxPending; }
    /*! How long a connection must have been silent to be cut for a newcomer: a tenth of the
     *  time limit, between 100 ms and 1 s. */
    int idleMs() const;

    /*! Starts tracking \a socket, a connection just accepted; does nothing if it is tracked. */
    void track(QTcpSocket *socket);
    /*! \a socket is no longer pending (it was upgraded). */
    void release(QTcpSocket *socket);
    /*! \a socket got its answer: it has the full time limit again, from now, to take it. */
    void restartClock(QTcpSocket *socket);
    bool isTracked(QTcpSocket *socket) const { return m_index.contains(socket); }
    int count() const { return int(m_index.size()); }
    /*! Cuts every pending connection (CutReason::Shutdown). */
    void cutAll();

signals:
    /*! \a socket was cut (aborted) for \a reason; emitted before it is forgotten. */
    void cut(QTcpSocket *socket, objectsync::transport::PendingConnections::CutReason reason);

private:
    struct Entry
    {
        QTcpSocket *socket = nullptr;
        qint64 deadline = -1;    //!< on m_clock, -1 for none
        qint64 lastActivity = 0; //!< on m_clock: accepted, or bytes received
        QMetaObject::Connection readyRead;
        QMetaObject::Connection disconnected;
        QMetaObject::Connection destroyed;
    };
    using List = std::list<Entry>; //!< least recently active first

    void touch(QTcpSocket *socket);
    void forget(QTcpSocket *socket);
    void cutEntry(List::iterator it, CutReason reason);
    void sweep();
    void updateTimer();

    List m_entries;
    QHash<QTcpSocket *, List::iterator> m_index;
    QElapsedTimer m_clock;
    QTimer m_timer;
    int m_timeoutMs = 10000;
    int m_maxPending = 16384;
};

} // namespace objectsync::transport
