// SPDX-License-Identifier: MIT
#pragma once

// Small helpers the session's source files share (session.cpp, sessionaccess.cpp,
// sessionrequests.cpp).

#include <QLatin1String>
#include <QString>

namespace objectsync::protocol::sessionutil {

constexpr qsizetype maxReasonLength = 400;
constexpr qint64 loggedErrorsPerSession = 20;
/*! All a refused client learns: nothing about tokens, identities or state. */
constexpr QLatin1String authenticationFailed("authentication failed");

/*! A client-supplied name, shortened for a message. */
inline QString shown(const QString &s)
{
    return s.size() > 60 ? s.left(60) + QStringLiteral("...") : s;
}

/*! A reason, no longer than a client is sent. */
inline QString limited(const QString &reason)
{
    return reason.size() > maxReasonLength ? reason.left(maxReasonLength) + QStringLiteral("...")
                                           : reason;
}

} // namespace objectsync::protocol::sessionutil
