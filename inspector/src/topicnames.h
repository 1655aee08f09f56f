// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/names.h>

/*! The topic names the inspector reads to tell which object a change belongs to: those of
 *  objectsync/names.h, under the names the inspector's code uses. */
namespace objectsync::topicnames {

using names::attributeOwner;
using names::attributePrefix;
using names::objects;
using names::objectTypes;
using names::tagsPrefix;
using names::topicList;
inline const QString &parentIdPrefix = names::parentPrefix;

/*! "a/<id>/": the prefix of every attribute topic of object \a id. */
inline QString attributePrefixOf(const QString &id)
{
    return attributePrefix + id + QLatin1Char('/');
}

} // namespace objectsync::topicnames
