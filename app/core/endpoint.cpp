// SPDX-License-Identifier: MIT
#include "endpoint.h"

#include <objectsync/server.h>
#include <objectsync/webfrontend.h>

#include <QTcpSocket>

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

} // namespace

Endpoint::Endpoint(Engine *engine, QObject *parent)
    : QObject(parent), m_server(std::make_unique<Server>(engine))
{
    connect(m_server.get(), &Server::clientConnected, this, &Endpoint::clientConnected);
    connect(m_server.get(), &Server::clientDisconnected, this, &Endpoint::clientDisconnected);
    connect(m_server.get(), &Server::clientStatsChanged, this, [this](const QList<int> &ids) {
        for (int id : ids) {
            const ClientInfo info = m_server->clientInfo(id);
            if (info.isValid())
                emit clientStatsChanged(id, info.subscriptions, info.bytesIn, info.bytesOut);
        }
    });
}

Endpoint::~Endpoint()
{
    m_web.reset();
    m_server.reset();
}

bool Endpoint::listen(const QHostAddress &address, quint16 port)
{
    m_address = address;
    if (m_serveWeb) {
        m_web = std::make_unique<WebFrontend>();
        // A client gets as long to send its request head as the server gives the handshake.
        if (const int timeout = m_server->options().handshakeTimeoutMs; timeout > 0) {
            WebFrontendOptions webOptions = m_web->options();
            webOptions.readTimeoutMs = timeout;
            m_web->setOptions(webOptions);
        }
        Server *server = m_server.get();
        m_web->setUpgradeHandler(
            [server](QTcpSocket *socket) { server->handleConnection(socket); });
        if (!m_web->listen(address, port)) {
            m_error = m_web->errorString();
            m_web.reset();
            return false;
        }
        return true;
    }
    if (!m_server->listen(address, port)) {
        m_error = m_server->errorString();
        return false;
    }
    return true;
}

quint16 Endpoint::port() const
{
    return m_web ? m_web->port() : m_server->port();
}

QUrl Endpoint::url() const
{
    return makeUrl(QStringLiteral("ws"), m_address, port());
}

QUrl Endpoint::webUrl() const
{
    return m_web ? makeUrl(QStringLiteral("http"), m_address, port()) : QUrl();
}

} // namespace objectsync
