// SPDX-License-Identifier: MIT
#include <objectsync/webfrontend.h>

#include "httpconnection.h"
#include "staticfiles.h"
#include "tcprelay.h"
#include "weblog.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QPointer>
#include <QSet>
#include <QTcpServer>
#include <QTcpSocket>
#include <QWebSocketServer>

namespace objectsync {

namespace web {
Q_LOGGING_CATEGORY(lcWeb, "objectsync.web")
} // namespace web

using web::lcWeb;

class WebFrontendPrivate
{
public:
    explicit WebFrontendPrivate(WebFrontend *q) : q(q) {}

    void onNewConnection();
    bool handOver(QTcpSocket *socket);

    WebFrontend *q;
    QTcpServer tcpServer;
    web::StaticFiles files;
    WebFrontendOptions options;
    WebFrontend::UpgradeHandler upgradeHandler;
    QPointer<QWebSocketServer> webSocketServer;
    bool usesWebSocketServer = false;
    QSet<web::HttpConnection *> connections;
    QString error;
};

void WebFrontendPrivate::onNewConnection()
{
    while (QTcpSocket *socket = tcpServer.nextPendingConnection()) {
        if (connections.size() >= qMax(1, options.maxConnections)) {
            qCWarning(lcWeb) << "too many HTTP connections at once; closing a new one";
            socket->abort();
            socket->deleteLater();
            continue;
        }
        // Updates are small and latency matters more than packing: no Nagle delay.
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        auto *connection = new web::HttpConnection(
            socket, &files, options, [this](QTcpSocket *s) { return handOver(s); }, q);
        connections.insert(connection);
        QObject::connect(connection, &web::HttpConnection::served, q, &WebFrontend::requestServed);
        QObject::connect(connection, &web::HttpConnection::finished, q,
                         [this](web::HttpConnection *c) {
                             connections.remove(c);
                             c->deleteLater();
                         });
        connection->start();
    }
}

bool WebFrontendPrivate::handOver(QTcpSocket *socket)
{
    if (usesWebSocketServer && !webSocketServer)
        return false;
    if (!upgradeHandler)
        return false;
    upgradeHandler(socket);
    return true;
}

WebFrontend::WebFrontend(QObject *parent)
    : QObject(parent), d(std::make_unique<WebFrontendPrivate>(this))
{
    d->files.setRoots(defaultRoots());
    connect(&d->tcpServer, &QTcpServer::newConnection, this, [this] { d->onNewConnection(); });
    connect(&d->tcpServer, &QTcpServer::acceptError, this, [](QAbstractSocket::SocketError e) {
        qCWarning(lcWeb) << "accepting a connection failed:" << e;
    });
}

WebFrontend::~WebFrontend()
{
    d->tcpServer.close();
    const auto connections = std::exchange(d->connections, {});
    for (web::HttpConnection *c : connections)
        delete c;
}

void WebFrontend::setOptions(const WebFrontendOptions &options)
{
    d->options = options;
}

WebFrontendOptions WebFrontend::options() const
{
    return d->options;
}

void WebFrontend::setRoots(const QStringList &roots)
{
    d->files.setRoots(roots);
}

QStringList WebFrontend::roots() const
{
    return d->files.roots();
}

QStringList WebFrontend::defaultRoots()
{
    QStringList roots;
    const QString fromEnvironment = qEnvironmentVariable("OBJECTSYNC_WEB_ROOT");
    if (!fromEnvironment.isEmpty() && QFileInfo(fromEnvironment).isDir())
        roots.append(QDir::cleanPath(fromEnvironment));
    roots.append(QStringLiteral(":/objectsync/web"));
    if (QCoreApplication::instance()) {
        const QString appDir = QCoreApplication::applicationDirPath();
        for (const QString &relative :
             {QStringLiteral("../webclient"), QStringLiteral("../share/objectsync/web")}) {
            const QString dir = QDir::cleanPath(appDir + QLatin1Char('/') + relative);
            if (QFileInfo::exists(dir + QStringLiteral("/objectsync-client.js"))) {
                roots.append(dir);
                break;
            }
        }
    }
    return roots;
}

void WebFrontend::setWebSocketServer(QWebSocketServer *server)
{
    d->webSocketServer = server;
    d->usesWebSocketServer = server != nullptr;
    if (!server) {
        d->upgradeHandler = nullptr;
        return;
    }
    d->upgradeHandler = [this](QTcpSocket *socket) {
        // The server's socket bookkeeping takes it from here (and deletes it when it closes).
        socket->setParent(d->webSocketServer);
        d->webSocketServer->handleConnection(socket);
    };
}

void WebFrontend::setUpgradeHandler(UpgradeHandler handler)
{
    d->webSocketServer = nullptr;
    d->usesWebSocketServer = false;
    d->upgradeHandler = std::move(handler);
}

void WebFrontend::forwardWebSocketsTo(const QHostAddress &address, quint16 port)
{
    setUpgradeHandler([this, address, port](QTcpSocket *socket) {
        new web::TcpRelay(socket, address, port, this);
    });
}

bool WebFrontend::servesWebSockets() const
{
    return d->upgradeHandler && (!d->usesWebSocketServer || d->webSocketServer);
}

bool WebFrontend::listen(const QHostAddress &address, quint16 port)
{
    if (d->tcpServer.isListening()) {
        d->error = QStringLiteral("already listening on port %1").arg(d->tcpServer.serverPort());
        return false;
    }
    if (!d->tcpServer.listen(address, port)) {
        d->error = QStringLiteral("cannot listen on %1 port %2: %3")
                       .arg(address.toString())
                       .arg(port)
                       .arg(d->tcpServer.errorString());
        qCWarning(lcWeb).noquote() << d->error;
        return false;
    }
    d->error.clear();
    qCInfo(lcWeb).noquote() << "serving web pages on" << d->tcpServer.serverAddress().toString()
                            << "port" << d->tcpServer.serverPort() << "from"
                            << d->files.roots().join(QStringLiteral(", "));
    return true;
}

bool WebFrontend::isListening() const
{
    return d->tcpServer.isListening();
}

quint16 WebFrontend::port() const
{
    return d->tcpServer.isListening() ? d->tcpServer.serverPort() : 0;
}

QHostAddress WebFrontend::address() const
{
    return d->tcpServer.serverAddress();
}

QString WebFrontend::errorString() const
{
    return d->error;
}

void WebFrontend::close()
{
    d->tcpServer.close();
    const auto connections = d->connections;
    for (web::HttpConnection *c : connections)
        c->abort();
}

} // namespace objectsync
