// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/change.h>

#include <QByteArray>
#include <QJsonObject>

/*!
 * \file wirecodec.h
 * The client's view of the wire format (PROTOCOL.md): messages are {"type", "args"} JSON
 * objects, changes are "change dicts".
 */

namespace objectsync::client {

/*! One message as compact JSON text. */
QByteArray encodeMessage(QLatin1String type, const QJsonObject &args);

/*! A change as a change dict. Fields that do not belong to the change's kind are left out. */
QJsonObject encodeChange(const Change &change);

/*! A change dict as a Change. Throws Error when a required field is missing or malformed;
 *  a missing value stays undefined so that applying the change refuses it. */
Change decodeChange(const QJsonObject &dict);

/*! A version field as text (hosts send strings; numbers are accepted). */
QString versionText(const QJsonValue &value);

} // namespace objectsync::client
