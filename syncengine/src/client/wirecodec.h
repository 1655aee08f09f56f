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

/*! A change as a change dict, with its own id (the protocol's codec, see changecodec.h). */
QJsonObject encodeChange(const Change &change);

/*! A change dict the host sent as a Change: every field is kept. Throws Error when a
 *  required field is missing or malformed. */
Change decodeChange(const QJsonObject &dict);

/*! A version field as text (hosts send strings; numbers are accepted). */
QString versionText(const QJsonValue &value);

} // namespace objectsync::client
