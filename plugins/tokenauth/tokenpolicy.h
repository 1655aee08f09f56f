// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/access.h>

#include <QByteArray>
#include <QHash>
#include <QLoggingCategory>

namespace tokenauth {

Q_DECLARE_LOGGING_CATEGORY(lcTokenAuth)

/*!
 * Lets in the clients that present a known token, with the role it names:
 * - "editor": may read, write and call services;
 * - "viewer": may read; every write and every service call (undo and redo included) is
 *   refused.
 * A client without a token is asked for one (in its first message); an unknown token is
 * refused. A policy that failed to load refuses everyone.
 */
class TokenPolicy : public objectsync::AccessPolicy
{
public:
    enum class Role : quint8 { Editor, Viewer };

    /*! Reads tokens from JSON such as {"s3cret": "editor", "guest": "viewer"}. Returns
     *  success, or what is wrong (then the policy holds no token). */
    objectsync::Result<void> load(const QByteArray &json);
    /*! Refuses everyone from now on, because of \a why (logged for each refusal). */
    void refuseAll(const QString &why);

    qsizetype tokenCount() const { return m_roles.size(); }

    objectsync::AccessDecision authenticate(const objectsync::ConnectionRequest &request) override;
    objectsync::Result<void> mayWrite(const objectsync::AccessClient &client,
                                      const objectsync::Change &change) override;
    objectsync::Result<void> mayCall(const objectsync::AccessClient &client,
                                     const QString &serviceName, const QJsonObject &args) override;

    static QString roleName(Role role);

private:
    QHash<QString, Role> m_roles;
    QString m_broken; //!< why everyone is refused; empty when the policy works
};

} // namespace tokenauth
