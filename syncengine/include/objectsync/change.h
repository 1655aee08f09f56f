// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/global.h>

#include <QJsonValue>
#include <QString>
#include <optional>

namespace objectsync {

/*! The value type of a topic. Names on the wire: generic, string, int, float, set, list,
 *  dict, event. */
enum class TopicType : quint8 { Generic, String, Int, Float, Set, List, Dict, Event };

/*! What a change does. Which kinds a topic accepts depends on its type:
 *  - Set: every type but Event (replace the value)
 *  - Insert / Delete: String (text at a position, with versions); Insert also List (item)
 *  - Add: Int and Float (add a number), Dict (a new key)
 *  - Append / Remove: Set (an item)
 *  - Pop: List (by position) and Dict (by key)
 *  - ChangeValue: Dict (the value of an existing key)
 *  - Emit / ReversedEmit: Event (ReversedEmit is the inverse used by undo) */
enum class ChangeType : quint8 {
    Set,
    Insert,
    Delete,
    Add,
    Append,
    Remove,
    Pop,
    ChangeValue,
    Emit,
    ReversedEmit
};

/*!
 * One change to one topic. A plain value type; which fields matter depends on the type:
 *
 * | type        | fields                                                            |
 * |-------------|-------------------------------------------------------------------|
 * | Set         | value, oldValue (filled in when applied)                          |
 * | Insert      | string: position, text, topicVersion, resultTopicVersion;          |
 * |             | list: position, value (the item)                                  |
 * | Delete      | position, text (must match), topicVersion, resultTopicVersion     |
 * | Add         | number: value; dict: key, value                                   |
 * | Append/Remove | value (the item)                                                |
 * | Pop         | list: position; dict: key; oldValue (filled in when applied)      |
 * | ChangeValue | key, value, oldValue (filled in when applied)                     |
 * | Emit        | value (the event's arguments, an object)                          |
 *
 * An empty id marks a change made by the host; the protocol derives a stable id for it.
 */
struct OBJECTSYNC_EXPORT Change
{
    QString topicName;
    QString id;
    TopicType topicType = TopicType::Generic;
    ChangeType type = ChangeType::Set;
    qint64 position = 0;
    QJsonValue value;
    QJsonValue oldValue;
    QString key;
    QString text;
    QString topicVersion;
    QString resultTopicVersion;

    /*! The change that undoes this one. Only meaningful for a change that has been applied
     *  (its old values are filled in). */
    Change inverse() const;

    bool operator==(const Change &other) const = default;
};

} // namespace objectsync

// Its members can be moved in memory as they are, which makes lists of changes cheaper.
Q_DECLARE_TYPEINFO(objectsync::Change, Q_RELOCATABLE_TYPE);

namespace objectsync {

/*! The wire name of a topic type ("int", "dict", ...). */
OBJECTSYNC_EXPORT QString topicTypeName(TopicType type);
/*! Parses a wire name; std::nullopt for an unknown name. */
OBJECTSYNC_EXPORT std::optional<TopicType> topicTypeFromName(QStringView name);
/*! The wire name of a change type ("set", "change_value", ...). */
OBJECTSYNC_EXPORT QString changeTypeName(ChangeType type);
/*! Parses a wire name; std::nullopt for an unknown name. */
OBJECTSYNC_EXPORT std::optional<ChangeType> changeTypeFromName(QStringView name);
/*! The value a new topic of this type starts with when none is given. */
OBJECTSYNC_EXPORT QJsonValue defaultValue(TopicType type);

} // namespace objectsync
