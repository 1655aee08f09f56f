// SPDX-License-Identifier: MIT
#include "pendingconnections.h"

#include <QTcpSocket>

namespace objectsync::transport {

PendingConnections::PendingConnections(QObject *parent) : QObject(parent)
{
    m_clock.start();
    m_timer.setSingleShot(false);
    connect(&m_timer, &QTimer::timeout, this, &PendingConnections::sweep);
}

PendingConnections::~PendingConnections()
{
    for (Entry &e : m_entries) {
        QObject::disconnect(e.readyRead);
        QObject::disconnect(e.disconnected);
        QObject::disconnect(e.destroyed);
    }
}

void PendingConnections::setLimits(int timeoutMs, int maxPending)
{
    m_timeoutMs = qMax(0, timeoutMs);
    m_maxPending = qMax(0, maxPending);
    updateTimer();
}

int PendingConnections::idleMs() const
{
    return m_timeoutMs > 0 ? qBound(100, m_timeoutMs / 10, 1000) : 1000;
}

void PendingConnections::track(QTcpSocket *socket)
{
    if (!socket || m_index.contains(socket))
        return;
    const qint64 now = m_clock.elapsed();
    // Make room first: the newcomer is never the one that goes, and neither is a connection
    // that is busy with its handshake.
    while (m_maxPending > 0 && count() >= m_maxPending && !m_entries.empty() &&
           now - m_entries.front().lastActivity >= idleMs())
        cutEntry(m_entries.begin(), CutReason::Crowded);

    Entry e;
    e.socket = socket;
    e.deadline = m_timeoutMs > 0 ? now + m_timeoutMs : -1;
    e.lastActivity = now;
    e.readyRead = connect(socket, &QTcpSocket::readyRead, this, [this, socket] { touch(socket); });
    e.disconnected =
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] { forget(socket); });
    // The pointer is only used as a key: the socket is being destroyed.
    e.destroyed = connect(socket, &QObject::destroyed, this, [this, socket] { forget(socket); });
    m_entries.push_back(std::move(e));
    m_index.insert(socket, std::prev(m_entries.end()));
    updateTimer();
}

void PendingConnections::release(QTcpSocket *socket)
{
    forget(socket);
}

void PendingConnections::restartClock(QTcpSocket *socket)
{
    const auto it = m_index.constFind(socket);
    if (it != m_index.cend() && m_timeoutMs > 0)
        it.value()->deadline = m_clock.elapsed() + m_timeoutMs;
}

void PendingConnections::cutAll()
{
    while (!m_entries.empty())
        cutEntry(m_entries.begin(), CutReason::Shutdown);
}

void PendingConnections::touch(QTcpSocket *socket)
{
    const auto it = m_index.constFind(socket);
    if (it == m_index.cend())
        return;
    // Most recently active goes last; the iterator stays valid.
    it.value()->lastActivity = m_clock.elapsed();
    m_entries.splice(m_entries.end(), m_entries, it.value());
}

void PendingConnections::forget(QTcpSocket *socket)
{
    const auto it = m_index.constFind(socket);
    if (it == m_index.cend())
        return;
    const List::iterator entry = it.value();
    m_index.erase(it);
    QObject::disconnect(entry->readyRead);
    QObject::disconnect(entry->disconnected);
    QObject::disconnect(entry->destroyed);
    m_entries.erase(entry);
    updateTimer();
}

void PendingConnections::cutEntry(List::iterator it, CutReason reason)
{
    QTcpSocket *socket = it->socket;
    forget(socket);
    emit cut(socket, reason);
    // Whoever holds the socket learns of it through disconnected() and cleans up.
    socket->abort();
}

void PendingConnections::sweep()
{
    if (m_timeoutMs <= 0)
        return;
    const qint64 now = m_clock.elapsed();
    QList<QTcpSocket *> expired;
    for (const Entry &e : m_entries) {
        if (e.deadline >= 0 && now >= e.deadline)
            expired.append(e.socket);
    }
    // Cutting one may end others (signals run): look each one up again.
    for (QTcpSocket *socket : std::as_const(expired)) {
        const auto it = m_index.constFind(socket);
        if (it != m_index.cend())
            cutEntry(it.value(), CutReason::Timeout);
    }
}

void PendingConnections::updateTimer()
{
    if (m_entries.empty() || m_timeoutMs <= 0) {
        m_timer.stop();
        return;
    }
    // A fraction of the timeout: a connection is cut at most a quarter late.
    const int interval = qBound(10, m_timeoutMs / 4, 1000);
    if (!m_timer.isActive() || m_timer.interval() != interval)
        m_timer.start(interval);
}

} // namespace objectsync::transport
