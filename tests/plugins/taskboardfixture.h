// SPDX-License-Identifier: MIT
#pragma once

// Helpers for the task board tests: changes as a client would send them.

#include <objectsync/change.h>

#include <QJsonArray>
#include <QJsonObject>

namespace testing {

inline objectsync::Change change(const QString &topic, objectsync::TopicType topicType,
                                 objectsync::ChangeType type, const QJsonValue &value = {})
{
    objectsync::Change c;
    c.topicName = topic;
    c.topicType = topicType;
    c.type = type;
    c.value = value;
    return c;
}

inline objectsync::Change setString(const QString &topic, const QString &value)
{
    return change(topic, objectsync::TopicType::String, objectsync::ChangeType::Set, value);
}

inline objectsync::Change setInt(const QString &topic, qint64 value)
{
    return change(topic, objectsync::TopicType::Int, objectsync::ChangeType::Set, value);
}

inline objectsync::Change appendItem(const QString &topic, const QJsonValue &item)
{
    return change(topic, objectsync::TopicType::Set, objectsync::ChangeType::Append, item);
}

inline objectsync::Change removeItem(const QString &topic, const QJsonValue &item)
{
    return change(topic, objectsync::TopicType::Set, objectsync::ChangeType::Remove, item);
}

inline objectsync::Change emitEvent(const QString &topic, const QJsonObject &args = {})
{
    return change(topic, objectsync::TopicType::Event, objectsync::ChangeType::Emit, args);
}

} // namespace testing
