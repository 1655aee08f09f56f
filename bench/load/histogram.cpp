// SPDX-License-Identifier: MIT
#include "histogram.h"

#include <algorithm>

namespace {
constexpr qint64 fineLimit = 10000; // us
constexpr qint64 coarseStep = 100;  // us
constexpr qint64 coarseBuckets = 100000;
} // namespace

Histogram::Histogram() : m_fine(fineLimit, 0), m_coarse(coarseBuckets, 0) {}

void Histogram::add(qint64 micros)
{
    micros = std::max<qint64>(micros, 0);
    if (micros < fineLimit)
        ++m_fine[size_t(micros)];
    else
        ++m_coarse[size_t(std::min((micros - fineLimit) / coarseStep, coarseBuckets - 1))];
    ++m_count;
    m_max = std::max(m_max, micros);
}

void Histogram::merge(const Histogram &other)
{
    for (size_t i = 0; i < m_fine.size(); ++i)
        m_fine[i] += other.m_fine[i];
    for (size_t i = 0; i < m_coarse.size(); ++i)
        m_coarse[i] += other.m_coarse[i];
    m_count += other.m_count;
    m_max = std::max(m_max, other.m_max);
}

double Histogram::percentile(double fraction) const
{
    if (m_count == 0)
        return 0;
    const quint64 rank = std::max<quint64>(1, quint64(fraction * double(m_count) + 0.5));
    quint64 seen = 0;
    for (size_t i = 0; i < m_fine.size(); ++i) {
        seen += m_fine[i];
        if (seen >= rank)
            return double(i);
    }
    for (size_t i = 0; i < m_coarse.size(); ++i) {
        seen += m_coarse[i];
        if (seen >= rank)
            return double(fineLimit + qint64(i) * coarseStep);
    }
    return double(m_max);
}
