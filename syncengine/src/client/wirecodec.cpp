// SPDX-License-Identifier: MIT
#include "wirecodec.h"

#include <objectsync/error.h>

#include <QJsonDocument>

namespace objectsync::client {

namespace {
const QLatin1String kTopicName("topic_name");
const QLatin1String kTopicType("topic_type");
const QLatin1String kType("type");
const QLatin1String kId("id");
const QLatin1String kValue("value");
const QLatin1String kOldValue("old_value");
const QLatin1String kPosition("position");
const QLatin1String kInsertion("insertion");
const QLatin1String kDeletion("deletion");
const QLatin1String kItem("item");
const QLatin1String kKey("key");
const QLatin1String kArgs("args");
const QLatin1String kTopicVersion("topic_version");
const QLatin1String kResultTopicVersion("result_topic_version");

[[noreturn]] void malformed(const QString &why)
{
    throw Error(QStringLiteral("malformed change: %1").arg(why));
}

QString requiredString(const QJsonObject &o, QLatin1String key)
{
    const QJsonValue v = o.value(key);
    if (!v.isString())
        malformed(QStringLiteral("%1 must be a string").arg(key));
    return v.toString();
}

qint64 requiredPosition(const QJsonObject &o)
{
    const QJsonValue v = o.value(kPosition);
    const double d = v.toDouble(0.5);
    if (!v.isDouble() || d != double(qint64(d)))
        malformed(QStringLiteral("position must be an integer"));
    return qint64(d);
}

void putIfDefined(QJsonObject &o, QLatin1String key, const QJsonValue &v)
{
    if (!v.isUndefined())
        o.insert(key, v);
}
} // namespace

QByteArray encodeMessage(QLatin1String type, const QJsonObject &args)
{
    QJsonObject m;
    m.insert(kType, type);
    m.insert(kArgs, args);
    return QJsonDocument(m).toJson(QJsonDocument::Compact);
}

QString versionText(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    if (value.isDouble())
        return QString::number(value.toDouble(), 'g', 17);
    return {};
}

QJsonObject encodeChange(const Change &c)
{
    QJsonObject o;
    o.insert(kTopicName, c.topicName);
    o.insert(kTopicType, topicTypeName(c.topicType));
    o.insert(kType, changeTypeName(c.type));
    o.insert(kId, c.id);
    const bool text = c.topicType == TopicType::String;
    switch (c.type) {
    case ChangeType::Set:
        putIfDefined(o, kValue, c.value);
        putIfDefined(o, kOldValue, c.oldValue);
        break;
    case ChangeType::Insert:
        o.insert(kPosition, c.position);
        if (text)
            o.insert(kInsertion, c.text);
        else
            putIfDefined(o, kItem, c.value);
        break;
    case ChangeType::Delete:
        o.insert(kPosition, c.position);
        o.insert(kDeletion, c.text);
        break;
    case ChangeType::Add:
        if (c.topicType == TopicType::Dict)
            o.insert(kKey, c.key);
        putIfDefined(o, kValue, c.value);
        break;
    case ChangeType::Append:
    case ChangeType::Remove:
        putIfDefined(o, kItem, c.value);
        break;
    case ChangeType::Pop:
        if (c.topicType == TopicType::Dict)
            o.insert(kKey, c.key);
        else
            o.insert(kPosition, c.position);
        putIfDefined(o, kOldValue, c.oldValue);
        break;
    case ChangeType::ChangeValue:
        o.insert(kKey, c.key);
        putIfDefined(o, kValue, c.value);
        putIfDefined(o, kOldValue, c.oldValue);
        break;
    case ChangeType::Emit:
    case ChangeType::ReversedEmit:
        o.insert(kArgs, c.value.isObject() ? c.value : QJsonValue(QJsonObject()));
        break;
    }
    if (text) {
        o.insert(kTopicVersion, c.topicVersion);
        o.insert(kResultTopicVersion, c.resultTopicVersion);
    }
    return o;
}

Change decodeChange(const QJsonObject &o)
{
    Change c;
    c.topicName = requiredString(o, kTopicName);
    const auto topicType = topicTypeFromName(requiredString(o, kTopicType));
    if (!topicType)
        malformed(QStringLiteral("unknown topic type"));
    c.topicType = *topicType;
    const auto type = changeTypeFromName(requiredString(o, kType));
    if (!type)
        malformed(QStringLiteral("unknown change type"));
    c.type = *type;
    const QJsonValue id = o.value(kId);
    c.id = id.isString() ? id.toString() : versionText(id);
    const bool text = c.topicType == TopicType::String;
    switch (c.type) {
    case ChangeType::Set:
        c.value = o.value(kValue);
        c.oldValue = o.value(kOldValue);
        break;
    case ChangeType::Insert:
        c.position = requiredPosition(o);
        if (text)
            c.text = requiredString(o, kInsertion);
        else
            c.value = o.value(kItem);
        break;
    case ChangeType::Delete:
        c.position = requiredPosition(o);
        c.text = requiredString(o, kDeletion);
        break;
    case ChangeType::Add:
        if (c.topicType == TopicType::Dict)
            c.key = requiredString(o, kKey);
        c.value = o.value(kValue);
        break;
    case ChangeType::Append:
    case ChangeType::Remove:
        c.value = o.value(kItem);
        break;
    case ChangeType::Pop:
        if (c.topicType == TopicType::Dict)
            c.key = requiredString(o, kKey);
        else
            c.position = requiredPosition(o);
        c.oldValue = o.value(kOldValue);
        break;
    case ChangeType::ChangeValue:
        c.key = requiredString(o, kKey);
        c.value = o.value(kValue);
        c.oldValue = o.value(kOldValue);
        break;
    case ChangeType::Emit:
    case ChangeType::ReversedEmit: {
        const QJsonValue args = o.value(kArgs);
        c.value = args.isUndefined() || args.isNull() ? QJsonValue(QJsonObject()) : args;
        break;
    }
    }
    if (text) {
        c.topicVersion = versionText(o.value(kTopicVersion));
        c.resultTopicVersion = versionText(o.value(kResultTopicVersion));
    }
    return c;
}

} // namespace objectsync::client
