// SPDX-License-Identifier: MIT
#pragma once

#include <QHostAddress>
#include <QObject>
#include <QUrl>
#include <memory>

namespace objectsync {

class Engine;
class Server;
class WebFrontend;

/*!
 * The host's network side on one port: the protocol server for the engine and, unless turned
 * off, the web pages (the demo page and the web client) on the same port, which hand their
 * WebSocket upgrades to the server. Reports clients as they come and go.
 */
class Endpoint : public QObject
{
    Q_OBJECT
public:
    explicit Endpoint(Engine *engine, QObject *parent = nullptr);
    ~Endpoint() override;

    /*! The protocol server: set its options (limits, security) before listen(). */
    Server *server() const { return m_server.get(); }
    /*! Serve web pages on the port too (default true); set before listen(). */
    void setServeWebPages(bool serve) { m_serveWeb = serve; }
    /*! Starts listening. Port 0 picks a free port. Returns false with errorString() set. */
    bool listen(const QHostAddress &address, quint16 port);
    quint16 port() const;
    QHostAddress address() const { return m_address; }
    QString errorString() const { return m_error; }
    /*! ws://address:port/ once listening. */
    QUrl url() const;
    /*! http://address:port/ when web pages are served, else an empty URL. */
    QUrl webUrl() const;

signals:
    void clientConnected(int clientId, const QString &address);
    void clientDisconnected(int clientId);
    /*! New figures for a client: its subscriptions and the bytes it sent and received. */
    void clientStatsChanged(int clientId, const QStringList &subscriptions, qint64 bytesIn,
                            qint64 bytesOut);

private:
    std::unique_ptr<Server> m_server;
    std::unique_ptr<WebFrontend> m_web; // destroyed first: it hands sockets to the server
    QHostAddress m_address;
    QString m_error;
    bool m_serveWeb = true;
};

} // namespace objectsync
