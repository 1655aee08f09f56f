// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/change.h>
#include <objectsync/result.h>

#include <QJsonValue>
#include <QString>

/*! Text forms of topic values: what cells show, what editors start with, and how editor text
 *  becomes a value again. */
namespace objectsync::jsontext {

/*! One-line JSON for any value, scalars included ("\"a\"", "1", "null"). */
QString compact(const QJsonValue &value);

/*! Indented JSON for any value (tool tips). */
QString indented(const QJsonValue &value);

/*! Parses exactly one JSON value of any kind; an InvalidArgument error saying why not. */
Result<QJsonValue> parse(const QString &text);

/*! How a value of a topic of \a type is shown and edited: strings as they are, integers and
 *  numbers plainly, everything else as compact JSON. */
QString toText(TopicType type, const QJsonValue &value);

/*! Turns editor text into a value a topic of \a type accepts; an InvalidArgument error
 *  saying why not. */
Result<QJsonValue> fromText(TopicType type, const QString &text);

/*! \a text cut to at most \a max characters, with an ellipsis when cut. */
QString elided(const QString &text, qsizetype max);

} // namespace objectsync::jsontext
