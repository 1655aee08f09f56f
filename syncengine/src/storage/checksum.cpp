// SPDX-License-Identifier: MIT
#include "checksum.h"

#include <array>

namespace objectsync::storage {

namespace {
// Slicing by 8: table[k][b] is the CRC of byte b followed by k zero bytes, so that eight
// bytes are folded in per step.
using Tables = std::array<std::array<quint32, 256>, 8>;
constexpr Tables makeTables()
{
    Tables t{};
    for (quint32 i = 0; i < 256; ++i) {
        quint32 c = i;
        for (int bit = 0; bit < 8; ++bit)
            c = (c & 1u) ? (0xEDB88320u ^ (c >> 1)) : (c >> 1);
        t[0][i] = c;
    }
    for (int k = 1; k < 8; ++k)
        for (quint32 i = 0; i < 256; ++i)
            t[k][i] = (t[k - 1][i] >> 8) ^ t[0][t[k - 1][i] & 0xFFu];
    return t;
}
constexpr Tables tables = makeTables();
} // namespace

quint32 crc32(QByteArrayView data, quint32 crc)
{
    crc = ~crc;
    const auto *p = reinterpret_cast<const quint8 *>(data.data());
    qsizetype n = data.size();
    while (n >= 8) {
        const quint32 lo =
            crc ^ (quint32(p[0]) | quint32(p[1]) << 8 | quint32(p[2]) << 16 | quint32(p[3]) << 24);
        const quint32 hi =
            quint32(p[4]) | quint32(p[5]) << 8 | quint32(p[6]) << 16 | quint32(p[7]) << 24;
        crc = tables[7][lo & 0xFF] ^ tables[6][(lo >> 8) & 0xFF] ^ tables[5][(lo >> 16) & 0xFF] ^
              tables[4][lo >> 24] ^ tables[3][hi & 0xFF] ^ tables[2][(hi >> 8) & 0xFF] ^
              tables[1][(hi >> 16) & 0xFF] ^ tables[0][hi >> 24];
        p += 8;
        n -= 8;
    }
    while (n-- > 0)
        crc = tables[0][(crc ^ *p++) & 0xFFu] ^ (crc >> 8);
    return ~crc;
}

quint32 rowChecksum(quint64 firstSequence, quint64 lastSequence, const QByteArray &payload)
{
    // The covered sequences go in front of the payload, so that a row whose sequence
    // columns were changed no longer verifies.
    QByteArray header = QByteArray::number(firstSequence);
    header += '-';
    header += QByteArray::number(lastSequence);
    header += '\n';
    return crc32(payload, crc32(header));
}

} // namespace objectsync::storage
