// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

namespace objectsync {

/*! Each client holds one open file (its socket); the host needs some for itself. */
constexpr int filesPerHostOutsideClients = 64;

/*!
 * Raises this process's soft limit of open files to its hard limit, so that the host can hold
 * as many connections as the system lets it. Returns what it did for the log, and sets
 * \a clients to how many clients the limit leaves room for (-1 when unlimited).
 */
QString raiseOpenFileLimit(long long *clients);

} // namespace objectsync
