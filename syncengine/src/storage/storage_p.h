// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/error.h>

#include <QLatin1String>
#include <QLoggingCategory>

namespace objectsync {

Q_DECLARE_LOGGING_CATEGORY(lcStorage)

namespace storage {

/*! Identifies the file kind in the meta table (key "format"). */
inline constexpr QLatin1String formatName("objectsync-workspace");
/*! The file format this build writes; it reads this version and older ones. Format 2
 *  writes journal rows in binary (journalcodec.h); format 1 wrote them as JSON. */
inline constexpr int formatVersion = 2;
/*! Stored in the SQLite header (PRAGMA application_id): "OSYW". */
inline constexpr qint32 applicationId = 0x4F535957;
/*! The version of the snapshot document (its "version" field). */
inline constexpr int snapshotVersion = 1;

/*! An error of the same code as \a cause, told as \a message (which usually quotes it). */
inline Error rephrased(const Error &cause, const QString &message)
{
    return Error(cause.code(), message);
}

} // namespace storage
} // namespace objectsync
