// SPDX-License-Identifier: MIT
#pragma once

#include <QHostAddress>
#include <QObject>
#include <QSslConfiguration>
#include <QUrl>
#include <memory>
#include <objectsync/result.h>

namespace objectsync {

class Engine;
class Server;

/*!
 * The host's network side on one port: the protocol server for the engine, which also serves
 * the web pages (the demo page and the web client, unless turned off) and the operations
 * routes on the same port, over TCP or TLS. Reports clients as they come and go.
 */
class Endpoint : public QObject
{
    Q_OBJECT
public:
    explicit Endpoint(Engine *engine, QObject *parent = nullptr);
    ~Endpoint() override;

    /*! The protocol server: set its options (limits, security) and routes before listen(). */
    Server *server() const { return m_server.get(); }
    /*! Serve web pages on the port too (default true); set before listen(). */
    void setServeWebPages(bool serve) { m_serveWeb = serve; }
    /*! Serve TLS (wss:// and https://) with \a configuration; set before listen(). */
    void setTls(const QSslConfiguration &configuration);
    /*! Starts listening. Port 0 picks a free port. */
    Result<void> listen(const QHostAddress &address, quint16 port);
    quint16 port() const;
    QHostAddress address() const { return m_address; }
    /*! ws://address:port/ (wss:// with TLS) once listening. */
    QUrl url() const;
    /*! http://address:port/ (https:// with TLS) when web pages are served, else empty. */
    QUrl webUrl() const;

signals:
    void clientConnected(int clientId, const QString &address);
    void clientDisconnected(int clientId);
    /*! New figures for a client: its subscriptions and the bytes it sent and received. */
    void clientStatsChanged(int clientId, const QStringList &subscriptions, qint64 bytesIn,
                            qint64 bytesOut);

private:
    std::unique_ptr<Server> m_server;
    QHostAddress m_address;
    bool m_serveWeb = true;
};

} // namespace objectsync
