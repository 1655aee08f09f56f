// SPDX-License-Identifier: MIT
#include "originpolicy.h"

#include <QHostAddress>
#include <QUrl>

namespace objectsync::transport {

namespace {

/*! An origin reduced to what identifies it: scheme, host and port, all lower case. */
struct OriginKey
{
    QString scheme;
    QString host;
    int port = -1;
    bool valid = false;

    bool operator==(const OriginKey &other) const
    {
        return valid && other.valid && scheme == other.scheme && host == other.host &&
               port == other.port;
    }
};

int defaultPort(const QString &scheme)
{
    if (scheme == QLatin1String("http") || scheme == QLatin1String("ws"))
        return 80;
    if (scheme == QLatin1String("https") || scheme == QLatin1String("wss"))
        return 443;
    return -1;
}

OriginKey originKey(const QString &text)
{
    OriginKey key;
    const QUrl url(text.trimmed(), QUrl::StrictMode);
    if (!url.isValid() || url.scheme().isEmpty() || url.host().isEmpty())
        return key;
    key.scheme = url.scheme().toLower();
    key.host = url.host().toLower();
    key.port = url.port(defaultPort(key.scheme));
    key.valid = true;
    return key;
}

bool isLoopbackHost(const QString &host)
{
    if (host == QLatin1String("localhost") || host.endsWith(QLatin1String(".localhost")))
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

/*! True when \a origin names the host and port of the Host header \a hostHeader. */
bool isSameHost(const OriginKey &origin, const QString &hostHeader)
{
    if (hostHeader.isEmpty())
        return false;
    // The Host header has no scheme: borrow the origin's, so that a missing port means the
    // same default port.
    const OriginKey host = originKey(origin.scheme + QStringLiteral("://") + hostHeader);
    return host == origin;
}

Error notAllowed(const QString &origin)
{
    return Error(ErrorCode::PermissionDenied,
                 QStringLiteral("origin \"%1\" is not allowed").arg(origin.left(200)));
}

} // namespace

Result<void> refuseOrigin(const QString &origin, const QString &hostHeader,
                          const QStringList &allowed)
{
    if (origin.isEmpty() || allowed.contains(QStringLiteral("*")))
        return {};
    for (const QString &entry : allowed) {
        if (entry.trimmed() == origin.trimmed())
            return {}; // also lets a listed opaque origin ("null") in
    }
    const OriginKey key = originKey(origin);
    if (!key.valid)
        return notAllowed(origin);
    for (const QString &entry : allowed) {
        if (originKey(entry) == key)
            return {};
    }
    if (isSameHost(key, hostHeader))
        return {};
    if (allowed.isEmpty() && isLoopbackHost(key.host))
        return {};
    return notAllowed(origin);
}

} // namespace objectsync::transport
