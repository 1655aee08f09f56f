// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/global.h>
#include <objectsync/result.h>

#include <QByteArrayView>
#include <QJsonObject>
#include <QString>

namespace objectsync::protocol {

/*!
 * The deepest nesting of arrays and objects in \a json, scanning the raw text without
 * parsing it (brackets inside strings are ignored). The scan stops as soon as the depth
 * passes \a stopAbove and returns that depth, so a hostile message costs at most one pass
 * and no recursion. Malformed text gives a meaningless but finite result; the parser
 * rejects it afterwards.
 */
int jsonNestingDepth(QByteArrayView json, int stopAbove);

/*!
 * Parses \a json as one JSON object; an InvalidArgument error when the text is not JSON or
 * not an object. Call jsonNestingDepth() first: the parser itself recurses.
 */
Result<QJsonObject> parseJsonObject(QByteArrayView json);

} // namespace objectsync::protocol
