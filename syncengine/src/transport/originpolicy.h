// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/result.h>

#include <QString>
#include <QStringList>

namespace objectsync::transport {

/*!
 * Which browser pages may open a WebSocket to the host, by the Origin header of the opening
 * handshake (see ServerOptions::allowedOrigins):
 * - no Origin (a program, not a browser): allowed;
 * - "*" in \a allowed: every origin is allowed;
 * - an origin equal to one listed (scheme, host and port; the port may be implied by the
 *   scheme): allowed;
 * - the host's own pages: an origin whose host and port are those of \a hostHeader, the Host
 *   header of the request (empty when unknown): allowed;
 * - when \a allowed is empty, pages served from localhost, 127.0.0.1 (any loopback address)
 *   or [::1]: allowed.
 * Everything else, including the opaque origin "null" unless it is listed, is refused.
 *
 * Returns success when \a origin is allowed, otherwise why not (PermissionDenied; for the log).
 */
Result<void> refuseOrigin(const QString &origin, const QString &hostHeader,
                          const QStringList &allowed);

} // namespace objectsync::transport
