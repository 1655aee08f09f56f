// SPDX-License-Identifier: MIT
#include "endpoint.h"

#include "logging.h"

#if __has_include(<objectsync/server.h>)
#include <objectsync/server.h>
#define OBJECTSYNC_HOST_HAS_SERVER 1
#else
#define OBJECTSYNC_HOST_HAS_SERVER 0
#endif
#if OBJECTSYNC_HOST_HAS_SERVER && __has_include(<objectsync/webfrontend.h>)
#include <objectsync/webfrontend.h>
#define OBJECTSYNC_HOST_HAS_WEB 1
#else
#define OBJECTSYNC_HOST_HAS_WEB 0
#endif

#include <QTcpServer>
#include <QTcpSocket>
#include <memory>

namespace objectsync {

namespace {

QUrl makeUrl(const QString &scheme, QHostAddress address, quint16 port)
{
    if (address == QHostAddress::Any || address == QHostAddress::AnyIPv4)
        address = QHostAddress(QHostAddress::LocalHost);
    else if (address == QHostAddress::AnyIPv6)
        address = QHostAddress(QHostAddress::LocalHostIPv6);
    QUrl url;
    url.setScheme(scheme);
    url.setHost(address.toString());
    url.setPort(port);
    url.setPath(QStringLiteral("/"));
    return url;
}

#if OBJECTSYNC_HOST_HAS_WEB
/*!
 * Lets \a web hand WebSocket upgrades to \a server in the best way the server offers: taking
 * the sockets itself, exposing its QWebSocketServer, or else listening on a private loopback
 * port the upgrades are relayed to. Returns an error text or "".
 */
template<class S> QString attachServer(S &server, WebFrontend &web)
{
    if constexpr (requires(S & s, QTcpSocket * socket) { s.handleConnection(socket); }) {
        web.setUpgradeHandler([&server](QTcpSocket *socket) { server.handleConnection(socket); });
    } else if constexpr (requires(S & s) { web.setWebSocketServer(s.webSocketServer()); }) {
        web.setWebSocketServer(server.webSocketServer());
    } else {
        if (!server.listen(QHostAddress(QHostAddress::LocalHost), 0))
            return server.errorString();
        web.forwardWebSocketsTo(QHostAddress(QHostAddress::LocalHost), server.port());
    }
    return {};
}
#endif

} // namespace

#if OBJECTSYNC_HOST_HAS_SERVER

class Endpoint::Impl
{
public:
    Impl(Engine *engine, Endpoint *q) : server(engine)
    {
        QObject::connect(&server, &Server::clientConnected, q, &Endpoint::clientConnected);
        QObject::connect(&server, &Server::clientDisconnected, q, &Endpoint::clientDisconnected);
        QObject::connect(&server, &Server::clientStatsChanged, q, [this, q](const QList<int> &ids) {
            for (int id : ids) {
                const ClientInfo info = server.clientInfo(id);
                if (info.isValid())
                    emit q->clientStatsChanged(id, info.subscriptions, info.bytesIn, info.bytesOut);
            }
        });
    }

    bool listen(const QHostAddress &address, quint16 port, bool serveWeb)
    {
#if OBJECTSYNC_HOST_HAS_WEB
        if (serveWeb) {
            web = std::make_unique<WebFrontend>();
            error = attachServer(server, *web);
            if (!error.isEmpty())
                return false;
            if (!web->listen(address, port)) {
                error = web->errorString();
                return false;
            }
            return true;
        }
#else
        Q_UNUSED(serveWeb)
#endif
        if (!server.listen(address, port)) {
            error = server.errorString();
            return false;
        }
        return true;
    }

    quint16 port() const
    {
#if OBJECTSYNC_HOST_HAS_WEB
        if (web)
            return web->port();
#endif
        return server.port();
    }

    bool servesWeb() const
    {
#if OBJECTSYNC_HOST_HAS_WEB
        return web != nullptr;
#else
        return false;
#endif
    }

    Server server;
#if OBJECTSYNC_HOST_HAS_WEB
    std::unique_ptr<WebFrontend> web; // destroyed before the server it hands sockets to
#endif
    QString error;
};

#else

// This build has no protocol server: hold the port so the command line behaves the same.
class Endpoint::Impl
{
public:
    Impl(Engine *, Endpoint *) {}
    bool listen(const QHostAddress &address, quint16 port, bool)
    {
        if (!tcp.listen(address, port)) {
            error = tcp.errorString();
            return false;
        }
        QObject::connect(&tcp, &QTcpServer::newConnection, [this] {
            while (QTcpSocket *s = tcp.nextPendingConnection())
                s->deleteLater();
        });
        return true;
    }
    quint16 port() const { return tcp.serverPort(); }
    bool servesWeb() const { return false; }
    QTcpServer tcp;
    QString error;
};

#endif

bool Endpoint::servesProtocol()
{
    return OBJECTSYNC_HOST_HAS_SERVER;
}

bool Endpoint::canServeWebPages()
{
    return OBJECTSYNC_HOST_HAS_WEB;
}

Endpoint::Endpoint(Engine *engine, QObject *parent) : QObject(parent), d(new Impl(engine, this)) {}

Endpoint::~Endpoint()
{
    delete d;
}

bool Endpoint::listen(const QHostAddress &address, quint16 port)
{
    m_address = address;
    if (!servesProtocol())
        qCWarning(lcHost) << "this build has no protocol server: clients cannot be served";
#if OBJECTSYNC_HOST_HAS_SERVER
    if (m_maxMessagesPerSecond >= 0) {
        ServerOptions options = d->server.options();
        options.maxMessagesPerSecond = m_maxMessagesPerSecond;
        d->server.setOptions(options);
    }
#endif
    return d->listen(address, port, m_serveWeb);
}

quint16 Endpoint::port() const
{
    return d->port();
}

QString Endpoint::errorString() const
{
    return d->error;
}

QUrl Endpoint::url() const
{
    return makeUrl(QStringLiteral("ws"), m_address, port());
}

QUrl Endpoint::webUrl() const
{
    return d->servesWeb() ? makeUrl(QStringLiteral("http"), m_address, port()) : QUrl();
}

} // namespace objectsync
