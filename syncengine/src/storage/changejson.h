// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/transition.h>

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <optional>

#include "jsonbuffer.h"

namespace objectsync::storage {

/*!
 * The journal's compact JSON form of changes and transitions.
 *
 * A change is an object with short keys; fields holding their default are left out:
 *
 * | key | field              |     | key | field              |
 * |-----|--------------------|-----|-----|--------------------|
 * | n   | topicName          |     | v   | value              |
 * | t   | topicType (name)   |     | k   | key                |
 * | c   | type (name)        |     | x   | text               |
 * | i   | id                 |     | tv  | topicVersion       |
 * | p   | position           |     | rv  | resultTopicVersion |
 *
 * Old values are not stored: the journal keeps what is needed to apply a change again,
 * and applying it fills them in.
 *
 * A transition is {"s": sequence, "o": origin, "a": action id, "k": kind, "c": [changes]}
 * ("o", "a" left out when 0 or empty, "k" when forward; kind names: forward, undo, redo).
 */

/*! Appends the compact JSON of \a change to \a out (no whitespace, UTF-8). */
void appendChange(JsonBuffer &out, const Change &change);
/*! Appends \a value as JSON: integral numbers without a fraction, other numbers in their
 *  shortest exact form, non-finite numbers as null. */
void appendJsonValue(JsonBuffer &out, const QJsonValue &value);
/*! Appends the transition with journal sequence \a sequence. */
void appendTransition(JsonBuffer &out, quint64 sequence, const Transition &transition);

/*! Parses one change; std::nullopt with \a error set when it is malformed. */
std::optional<Change> changeFromJson(const QJsonValue &json, QString *error);
/*! A list of changes as one JSON array. */
QByteArray encodeChanges(const QList<Change> &changes);
std::optional<QList<Change>> decodeChanges(const QByteArray &json, QString *error);

/*! A journal row's payload: a JSON array of transitions. */
struct JournalTransition
{
    quint64 sequence = 0;
    Transition transition; //!< its own sequence field is left 0
};
std::optional<QList<JournalTransition>> decodeTransitions(const QByteArray &json, QString *error);

} // namespace objectsync::storage
