// SPDX-License-Identifier: MIT
// A session's access rules: the access policy, a token in the first message, and what the
// client may write and call.
#include "session.h"

#include "changecodec.h"
#include "clientpolicy.h"
#include "hub.h"
#include "jsonlimits.h"
#include "messages.h"
#include "sessionutil.h"
#include "wire.h"

#include <objectsync/engine.h>

#include <QJsonArray>
#include <algorithm>

namespace objectsync::protocol {

using namespace sessionutil;

// ---- access ----------------------------------------------------------------------------

void Session::setAccessPolicy(std::shared_ptr<AccessPolicy> policy, const QString &identity)
{
    m_policy = std::move(policy);
    m_identity = identity;
}

void Session::awaitToken(std::shared_ptr<AccessPolicy> policy, const ConnectionRequest &request)
{
    m_policy = std::move(policy);
    m_identity.clear();
    m_awaitedRequest = request;
    // The hello waits for the token: a client learns nothing before it is let in.
    m_outbox.clear();
    m_outboxSequence.clear();
}

void Session::authenticate(const QJsonObject &message)
{
    ConnectionRequest request = *m_awaitedRequest;
    const QJsonValue argsValue = message.value(wire::args);
    const QJsonObject args = argsValue.toObject();
    const QJsonValue token = args.value(wire::token);
    if (message.value(wire::type).toString() != wire::hello || !argsValue.isObject() ||
        !token.isString() || token.toString().isEmpty()) {
        qCInfo(lcProtocol) << "client" << m_clientId
                           << "did not start with a hello carrying a token";
        close(closecode::policyViolation,
              QString(authenticationFailed) +
                  QStringLiteral(": the first message must be hello with a token"));
        return;
    }
    request.token = token.toString();
    request.tokenSource = ConnectionRequest::TokenSource::FirstMessage;
    AccessDecision decision;
    try {
        decision = m_policy ? m_policy->authenticate(request) : AccessDecision::allow();
    } catch (...) {
        decision = AccessDecision::deny(QStringLiteral("the access policy failed"));
    }
    if (!decision.isAllowed()) {
        const QString why = decision.outcome == AccessDecision::Outcome::AskForToken
                                ? QStringLiteral("the token was not accepted")
                                : decision.reason;
        qCInfo(lcProtocol).noquote() << "client" << m_clientId << "refused:" << limited(why);
        close(closecode::policyViolation, QString(authenticationFailed));
        return;
    }
    m_awaitedRequest.reset();
    m_identity = decision.identity;
    onHello(args);
    enqueue(messages::hello(m_clientId, m_limits.batchedJoin));
    emit authenticated();
}

Result<void> Session::refuseWrite(const Change &change) const
{
    if (!m_policy)
        return {};
    try {
        return m_policy->mayWrite(AccessClient{m_clientId, m_identity, m_room}, change);
    } catch (...) {
        qCWarning(lcProtocol) << "the access policy failed on a write of client" << m_clientId;
        return Error(ErrorCode::PermissionDenied, QStringLiteral("not allowed"));
    }
}

Result<void> Session::refuseCall(const QString &serviceName, const QJsonObject &args) const
{
    if (!m_policy)
        return {};
    try {
        return m_policy->mayCall(AccessClient{m_clientId, m_identity, m_room}, serviceName, args);
    } catch (...) {
        qCWarning(lcProtocol) << "the access policy failed on a call of client" << m_clientId;
        return Error(ErrorCode::PermissionDenied, QStringLiteral("not allowed"));
    }
}

} // namespace objectsync::protocol
