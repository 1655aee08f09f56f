// SPDX-License-Identifier: MIT
#include "textframe.h"

#include <QtEndian>

namespace objectsync::transport {

QByteArray textFrame(const QByteArray &payload)
{
    const quint64 size = quint64(payload.size());
    char header[10];
    qsizetype headerSize = 2;
    header[0] = char(0x81); // FIN, text
    if (size < 126) {
        header[1] = char(size);
    } else if (size <= 0xffff) {
        header[1] = char(126);
        qToBigEndian(quint16(size), header + 2);
        headerSize = 4;
    } else {
        header[1] = char(127);
        qToBigEndian(size, header + 2);
        headerSize = 10;
    }
    QByteArray frame;
    frame.reserve(headerSize + payload.size());
    frame.append(header, headerSize);
    frame.append(payload);
    return frame;
}

const QByteArray &TextFrameCache::frame(const QByteArray &payload)
{
    if (payload.constData() != m_payload.constData() || payload.size() != m_payload.size()) {
        m_payload = payload;
        m_frame = textFrame(payload);
    }
    return m_frame;
}

} // namespace objectsync::transport
