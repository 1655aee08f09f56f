// SPDX-License-Identifier: MIT
#pragma once

/*! \file names.h The names the engine and the wire protocol reserve: system topics, the
 *  prefixes of object topics, and the fields of a topic descriptor. Spelled here once. */

#include <QString>

namespace objectsync::names {

// ---- system topics ------------------------------------------------------------------------
/*! Every topic's descriptor, by topic name (a dict topic clients subscribe to first). */
inline const QString topicList = QStringLiteral("_topicsync/topic_list");
/*! Every object's frontend type, by object id. */
inline const QString objects = QStringLiteral("_objects");
/*! Every object's C++ type name, by object id. */
inline const QString objectTypes = QStringLiteral("_object_types");
/*! The event topics clients emit to create and destroy objects. */
inline const QString createObject = QStringLiteral("create_object");
inline const QString destroyObject = QStringLiteral("destroy_object");
/*! The root object every tree hangs from, and its type. */
inline const QString rootId = QStringLiteral("root");
inline const QString rootType = QStringLiteral("Root");
/*! Names starting with this are the engine's own (read-only to clients and plugins). */
inline const QString systemPrefix = QStringLiteral("_");

// ---- object topics ------------------------------------------------------------------------
/*! "a/<object id>/<attribute>": an object's attribute. */
inline const QString attributePrefix = QStringLiteral("a/");
/*! "parent_id/<object id>": an object's parent. */
inline const QString parentPrefix = QStringLiteral("parent_id/");
/*! "tags/<object id>": an object's tags. */
inline const QString tagsPrefix = QStringLiteral("tags/");

inline QString attributeTopic(const QString &objectId, const QString &attribute)
{
    return attributePrefix + objectId + QLatin1Char('/') + attribute;
}
inline QString parentTopic(const QString &objectId)
{
    return parentPrefix + objectId;
}
inline QString tagsTopic(const QString &objectId)
{
    return tagsPrefix + objectId;
}
/*! The object id in an attribute topic name; empty for other topics. */
inline QString attributeOwner(const QString &topicName)
{
    if (!topicName.startsWith(attributePrefix))
        return {};
    const qsizetype slash = topicName.indexOf(QLatin1Char('/'), attributePrefix.size());
    return slash < 0 ? QString()
                     : topicName.mid(attributePrefix.size(), slash - attributePrefix.size());
}
/*! True for names plugins and clients may not give a topic of their own. */
inline bool isReserved(const QString &topicName)
{
    return topicName.startsWith(systemPrefix) || topicName.startsWith(attributePrefix) ||
           topicName.startsWith(parentPrefix) || topicName.startsWith(tagsPrefix);
}

// ---- a topic's descriptor in the topic list ----------------------------------------------
namespace descriptor {
inline const QString type = QStringLiteral("type");
inline const QString stateful = QStringLiteral("is_stateful");
inline const QString orderStrict = QStringLiteral("order_strict");
inline const QString boundaryValue = QStringLiteral("boundary_value");
} // namespace descriptor

} // namespace objectsync::names
