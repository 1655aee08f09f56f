// SPDX-License-Identifier: MIT
#include "framescan.h"

namespace {
qsizetype skipSpaces(QByteArrayView s, qsizetype i)
{
    while (i < s.size() && (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r'))
        ++i;
    return i;
}

/*! The start of the value after a key that ends just before \a afterKey, or -1. */
qsizetype valueStart(QByteArrayView s, qsizetype afterKey)
{
    const qsizetype i = skipSpaces(s, afterKey);
    if (i >= s.size() || s[i] != ':')
        return -1;
    return skipSpaces(s, i + 1);
}

QByteArrayView stringAt(QByteArrayView s, qsizetype i)
{
    if (i < 0 || i >= s.size() || s[i] != '"')
        return {};
    const qsizetype end = s.indexOf('"', i + 1);
    return end < 0 ? QByteArrayView() : s.sliced(i + 1, end - i - 1);
}
} // namespace

QByteArrayView frameType(QByteArrayView frame)
{
    static constexpr QByteArrayView key("\"type\"");
    // {"type": ...} as most hosts write it, or ..."type":"x"} when keys are sorted.
    if (frame.startsWith("{\"type\""))
        return stringAt(frame, valueStart(frame, key.size() + 1));
    const qsizetype at = frame.lastIndexOf(key);
    return at < 0 ? QByteArrayView() : stringAt(frame, valueStart(frame, at + key.size()));
}

bool frameStamp(QByteArrayView frame, qint64 *stamp)
{
    static constexpr QByteArrayView key("\"value\"");
    qsizetype from = 0;
    while (true) {
        const qsizetype at = frame.indexOf(key, from);
        if (at < 0)
            return false;
        from = at + key.size();
        qsizetype i = valueStart(frame, from);
        if (i < 0)
            continue;
        if (i < frame.size() && frame[i] == '"')
            ++i;
        qint64 v = 0;
        qsizetype digits = 0;
        while (i < frame.size() && frame[i] >= '0' && frame[i] <= '9') {
            v = v * 10 + (frame[i] - '0');
            ++i;
            ++digits;
        }
        if (digits == 0)
            continue;
        *stamp = v;
        return true;
    }
}

QByteArrayView frameString(QByteArrayView frame, QByteArrayView key)
{
    qsizetype from = 0;
    while (true) {
        const qsizetype at = frame.indexOf(key, from);
        if (at < 0)
            return {};
        from = at + key.size();
        if (at == 0 || frame[at - 1] != '"' || from >= frame.size() || frame[from] != '"')
            continue; // not the whole key
        const qsizetype v = valueStart(frame, from + 1);
        if (v >= 0)
            return stringAt(frame, v);
    }
}
