// SPDX-License-Identifier: MIT
#include "tokenpolicy.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace tokenauth {

Q_LOGGING_CATEGORY(lcTokenAuth, "objectsync.tokenauth")

using objectsync::AccessDecision;

QString TokenPolicy::roleName(Role role)
{
    return role == Role::Editor ? QStringLiteral("editor") : QStringLiteral("viewer");
}

objectsync::Result<void> TokenPolicy::load(const QByteArray &json)
{
    m_roles.clear();
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        return objectsync::Error(objectsync::ErrorCode::InvalidArgument,
                                 QStringLiteral("not valid JSON: %1 at offset %2")
                                     .arg(error.errorString())
                                     .arg(error.offset));
    if (!document.isObject())
        return objectsync::Error(
            objectsync::ErrorCode::InvalidArgument,
            QStringLiteral("expected a JSON object of token -> \"editor\" or \"viewer\""));
    QHash<QString, Role> roles;
    const QJsonObject object = document.object();
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (it.key().isEmpty())
            return objectsync::Error(objectsync::ErrorCode::InvalidArgument,
                                     QStringLiteral("a token cannot be empty"));
        const QString role = it.value().toString();
        if (role == QLatin1String("editor"))
            roles.insert(it.key(), Role::Editor);
        else if (role == QLatin1String("viewer"))
            roles.insert(it.key(), Role::Viewer);
        else
            return objectsync::Error(
                objectsync::ErrorCode::InvalidArgument,
                QStringLiteral("a token's role must be \"editor\" or \"viewer\""));
    }
    m_roles = roles;
    return {};
}

void TokenPolicy::refuseAll(const QString &why)
{
    m_roles.clear();
    m_broken = why;
}

AccessDecision TokenPolicy::authenticate(const objectsync::ConnectionRequest &request)
{
    if (!m_broken.isEmpty())
        return AccessDecision::deny(m_broken);
    if (request.token.isEmpty())
        return AccessDecision::askForToken();
    const auto it = m_roles.constFind(request.token);
    if (it == m_roles.cend())
        return AccessDecision::deny(
            QStringLiteral("unknown token from %1").arg(request.peerAddress.toString()));
    return AccessDecision::allow(roleName(*it));
}

objectsync::Result<void> TokenPolicy::mayWrite(const objectsync::AccessClient &client,
                                               const objectsync::Change &)
{
    if (client.identity == roleName(Role::Editor))
        return {};
    return objectsync::Error(objectsync::ErrorCode::PermissionDenied,
                             QStringLiteral("viewers may not change anything"));
}

objectsync::Result<void> TokenPolicy::mayCall(const objectsync::AccessClient &client,
                                              const QString &, const QJsonObject &)
{
    if (client.identity == roleName(Role::Editor))
        return {};
    return objectsync::Error(objectsync::ErrorCode::PermissionDenied,
                             QStringLiteral("viewers may not call services"));
}

} // namespace tokenauth
