// SPDX-License-Identifier: MIT
#pragma once

#include <QHostAddress>
#include <QObject>
#include <QUrl>

namespace objectsync {

class Engine;

/*!
 * The host's network side on one port: the protocol server for the engine and, when the
 * build has it and it is wanted, the web pages (the demo page and the web client) on the same
 * port. Reports clients as they come and go. A thin wrapper so the rest of the host does not
 * depend on how the server is built.
 */
class Endpoint : public QObject
{
    Q_OBJECT
public:
    explicit Endpoint(Engine *engine, QObject *parent = nullptr);
    ~Endpoint() override;

    /*! Serve web pages on the port too (default true); set before listen(). */
    void setServeWebPages(bool serve) { m_serveWeb = serve; }
    /*! Messages per second a client may send (0: no limit); set before listen(). */
    void setMaxMessagesPerSecond(int rate) { m_maxMessagesPerSecond = rate; }
    /*! Starts listening. Port 0 picks a free port. Returns false with errorString() set. */
    bool listen(const QHostAddress &address, quint16 port);
    quint16 port() const;
    QHostAddress address() const { return m_address; }
    QString errorString() const;
    /*! ws://address:port/ once listening. */
    QUrl url() const;
    /*! http://address:port/ when web pages are served, else an empty URL. */
    QUrl webUrl() const;
    /*! False when this build has no protocol server: the port is held but nobody is served. */
    static bool servesProtocol();
    /*! True when this build can serve web pages. */
    static bool canServeWebPages();

signals:
    void clientConnected(int clientId, const QString &address);
    void clientDisconnected(int clientId);
    /*! New figures for a client: its subscriptions and the bytes it sent and received. */
    void clientStatsChanged(int clientId, const QStringList &subscriptions, qint64 bytesIn,
                            qint64 bytesOut);

private:
    class Impl;
    Impl *d;
    QHostAddress m_address;
    bool m_serveWeb = true;
    int m_maxMessagesPerSecond = -1;
};

} // namespace objectsync
