// SPDX-License-Identifier: MIT
#pragma once

#include <QtGlobal>
#include <vector>

/*! Latencies in microseconds: 1 us buckets up to 10 ms, 100 us buckets up to 10 s. Adding is
 *  O(1) and the memory does not grow with the number of samples. */
class Histogram
{
public:
    Histogram();
    void add(qint64 micros);
    void merge(const Histogram &other);
    quint64 count() const { return m_count; }
    /*! The value below which \a fraction of the samples lie (0..1), in microseconds. */
    double percentile(double fraction) const;
    qint64 max() const { return m_max; }

private:
    std::vector<quint64> m_fine;   // 0 .. 9999 us
    std::vector<quint64> m_coarse; // 10 ms .. 10 s in 100 us steps; the last takes the rest
    quint64 m_count = 0;
    qint64 m_max = 0;
};
