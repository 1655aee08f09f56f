// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/change.h>

#include <QJsonObject>

namespace objectsync::protocol {

class JsonWriter;

/*! Who sent a change dict; decides which fields are trusted. */
enum class ChangeSource : quint8 {
    Client, //!< strict: old values are dropped (the host fills them in), reversed_emit refused
    Host    //!< a change the host sent (used by clients and tests): every field is kept
};

/*!
 * Converts between Change and the wire's change dict, field for field:
 *
 * | topic_type    | type          | fields                                                  |
 * |---------------|---------------|---------------------------------------------------------|
 * | all but event | set           | value, old_value (string: topic_version,                |
 * |               |               | result_topic_version)                                   |
 * | string        | insert/delete | topic_version, position, insertion/deletion,            |
 * |               |               | result_topic_version                                    |
 * | int, float    | add           | value (old_value when known)                            |
 * | set           | append/remove | item                                                    |
 * | list          | insert / pop  | item and position / position (old_value when known)     |
 * | dict          | add / pop     | key and value / key (old_value when known)              |
 * | dict          | change_value  | key, value, old_value                                   |
 * | event         | emit          | args                                                    |
 *
 * Every dict also has topic_name, topic_type, type and id.
 */
namespace codec {

/*!
 * Decodes a change dict. Throws objectsync::Error with a readable reason for a missing or
 * mistyped field, an unknown topic_type or type, or a type the topic type does not have.
 * Never touches the engine: whether the topic exists and has that type is checked when the
 * change is applied.
 *
 * A string `set` without result_topic_version takes its id as the new version, as version-0
 * clients expect.
 */
Change decode(const QJsonObject &dict, ChangeSource source = ChangeSource::Client);

/*! Writes \a change as a change dict with \a id as its id. */
void write(JsonWriter &writer, const Change &change, QStringView id);

/*! The change dict as compact JSON text. */
QByteArray encode(const Change &change, QStringView id);

/*! The change dict as a QJsonObject (slow; for tests and tools). */
QJsonObject toJson(const Change &change, const QString &id);

/*!
 * The id a committed change goes out with: its own id when it has one (a client's change),
 * the new version for a host-made string `set` (so version-0 clients, which take a set's id
 * as the version, stay in step), otherwise "h<sequence>_<index>".
 */
QString wireId(const Change &change, quint64 sequence, qsizetype index);

/*! True when \a type exists for \a topicType on the wire. */
bool isValidPair(TopicType topicType, ChangeType type);

} // namespace codec
} // namespace objectsync::protocol
