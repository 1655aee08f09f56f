// SPDX-License-Identifier: MIT
#include "backoff.h"

#include <algorithm>
#include <cmath>

namespace objectsync::client {

namespace {
double clamped(double value, double low, double high)
{
    return std::isnan(value) ? low : std::clamp(value, low, high);
}
} // namespace

int backoffDelayMs(const ReconnectPolicy &policy, int attempt, double random)
{
    const double initial = std::max(0, policy.initialDelayMs);
    const double cap = std::max(0, policy.maxDelayMs);
    const double factor = std::isnan(policy.factor) ? 1.0 : std::max(1.0, policy.factor);
    const double jitter = clamped(policy.jitter, 0.0, 1.0);
    // pow() may reach infinity for a long run of attempts; the cap bounds it (and 0 * infinity
    // would not be a number, hence the test).
    const double growth = std::pow(factor, std::max(1, attempt) - 1);
    const double nominal = initial > 0 ? std::min(cap, initial * growth) : 0.0;
    const double wait = nominal * (1.0 - jitter + jitter * clamped(random, 0.0, 1.0));
    return int(std::llround(std::min(wait, cap)));
}

} // namespace objectsync::client
