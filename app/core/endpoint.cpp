// SPDX-License-Identifier: MIT
#include "endpoint.h"

#include <objectsync/server.h>

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

Endpoint::~Endpoint() = default;

void Endpoint::setTls(const QSslConfiguration &configuration)
{
    m_server->setSslConfiguration(configuration);
}

Result<void> Endpoint::listen(const QHostAddress &address, quint16 port)
{
    m_address = address;
    m_server->setWebRoots(m_serveWeb ? Server::defaultWebRoots() : QStringList());
    return m_server->listen(address, port);
}

quint16 Endpoint::port() const
{
    return m_server->port();
}

QUrl Endpoint::url() const
{
    return makeUrl(m_server->isSecure() ? QStringLiteral("wss") : QStringLiteral("ws"), m_address,
                   port());
}

QUrl Endpoint::webUrl() const
{
    if (!m_serveWeb)
        return {};
    return makeUrl(m_server->isSecure() ? QStringLiteral("https") : QStringLiteral("http"),
                   m_address, port());
}

} // namespace objectsync
