// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

/*! Topic names the wire protocol defines (see docs/protocol); the inspector reads them to
 *  tell which object a change belongs to. */
namespace objectsync::topicnames {

inline const QString topicList = QStringLiteral("_topicsync/topic_list");
inline const QString objects = QStringLiteral("_objects");
inline const QString objectTypes = QStringLiteral("_object_types");
inline const QString attributePrefix = QStringLiteral("a/");
inline const QString parentIdPrefix = QStringLiteral("parent_id/");
inline const QString tagsPrefix = QStringLiteral("tags/");

/*! The object id in an attribute topic name "a/<id>/<name>"; empty for other topics. */
inline QString attributeOwner(const QString &topicName)
{
    if (!topicName.startsWith(attributePrefix))
        return {};
    const qsizetype slash = topicName.indexOf(QLatin1Char('/'), attributePrefix.size());
    if (slash < 0)
        return {};
    return topicName.mid(attributePrefix.size(), slash - attributePrefix.size());
}

/*! "a/<id>/": the prefix of every attribute topic of object \a id. */
inline QString attributePrefixOf(const QString &id)
{
    return attributePrefix + id + QLatin1Char('/');
}

} // namespace objectsync::topicnames
