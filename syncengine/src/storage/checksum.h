// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QtGlobal>

namespace objectsync::storage {

/*! CRC-32 (the reflected 0xEDB88320 polynomial) of \a data, continuing from \a crc. */
quint32 crc32(QByteArrayView data, quint32 crc = 0);

/*! The checksum of one journal row: the sequences it covers and its payload. */
quint32 rowChecksum(quint64 firstSequence, quint64 lastSequence, const QByteArray &payload);

} // namespace objectsync::storage
