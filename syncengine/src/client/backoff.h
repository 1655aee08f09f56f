// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/client.h>

namespace objectsync::client {

/*!
 * The wait before reconnection attempt \a attempt (counted from 1) under \a policy, in
 * milliseconds. \a random, a number in [0, 1), picks the random part: the wait is the nominal
 * one, min(maxDelayMs, initialDelayMs * factor^(attempt - 1)), times
 * (1 - jitter + jitter * random). Out-of-range settings are read as the nearest sensible one
 * (negative delays as 0, a factor below 1 as 1, a jitter outside [0, 1] clamped).
 */
int backoffDelayMs(const ReconnectPolicy &policy, int attempt, double random);

} // namespace objectsync::client
