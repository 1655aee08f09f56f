// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>

namespace objectsync::storage {

/*!
 * Counts durations into fixed buckets without a lock: the journal writer's thread records
 * each commit, any thread reads. The bounds suit disk flushes, from 100 µs to 2.5 s.
 */
class LatencyHistogram
{
public:
    static constexpr std::array<double, 14> upperBounds = {
        0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5};

    void record(std::chrono::nanoseconds duration)
    {
        const double seconds = std::chrono::duration<double>(duration).count();
        std::size_t i = 0;
        while (i < upperBounds.size() && seconds > upperBounds[i])
            ++i;
        m_counts[i].fetch_add(1, std::memory_order_relaxed);
        m_sumNs.fetch_add(std::uint64_t(duration.count()), std::memory_order_relaxed);
    }
    /*! Commits in bucket \a i; the last one (index upperBounds.size()) is above every bound. */
    std::uint64_t count(std::size_t i) const { return m_counts[i].load(std::memory_order_relaxed); }
    double sumSeconds() const { return double(m_sumNs.load(std::memory_order_relaxed)) / 1e9; }

private:
    std::array<std::atomic<std::uint64_t>, upperBounds.size() + 1> m_counts{};
    std::atomic<std::uint64_t> m_sumNs{0};
};

} // namespace objectsync::storage
