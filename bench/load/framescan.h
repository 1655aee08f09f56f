// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArrayView>

/*!
 * \file framescan.h
 * Cheap looks into protocol messages (UTF-8 JSON text) without parsing them, so that the
 * load tool costs less per message than the host it measures. They only need to work for
 * the messages the load tool provokes.
 */

/*! The message type ("update", "init", ...), whether "type" comes first or last. */
QByteArrayView frameType(QByteArrayView frame);

/*! The first integer after a "value" key (quoted or not): the send time the load tool put in
 *  the change it sent. "old_value" does not match. */
bool frameStamp(QByteArrayView frame, qint64 *stamp);

/*! The first string value of the key \a key (no escapes expected), or an empty view. */
QByteArrayView frameString(QByteArrayView frame, QByteArrayView key);
