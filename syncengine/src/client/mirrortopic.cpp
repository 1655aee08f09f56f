// SPDX-License-Identifier: MIT
#include "mirrortopic.h"

#include "model/jsonutil.h"
#include "model/valuechange.h"

#include <objectsync/error.h>

#include <QJsonObject>
#include <cmath>

namespace objectsync::client {

using detail::kindOf;
using detail::toInt;

namespace {
using detail::refuseChange;
} // namespace

MirrorTopic::MirrorTopic(TopicType type) : m_type(type)
{
    m_scalar = defaultValue(type);
}

void MirrorTopic::assign(const QJsonValue &value, const QString &version)
{
    const bool empty = value.isUndefined() || value.isNull();
    const auto wrong = [&](const char *what) {
        throw Error(QStringLiteral("the %1 topic takes %2, not %3")
                        .arg(topicTypeName(m_type), QLatin1String(what), kindOf(value)));
    };
    switch (m_type) {
    case TopicType::Generic:
        m_scalar = value.isUndefined() ? QJsonValue() : value;
        break;
    case TopicType::Int: {
        const auto v = toInt(value);
        if (!empty && !v)
            wrong("an integer");
        m_scalar = empty ? 0 : *v;
        break;
    }
    case TopicType::Float:
        if (!empty && (!value.isDouble() || !std::isfinite(value.toDouble())))
            wrong("a number");
        m_scalar = empty ? 0.0 : value.toDouble();
        break;
    case TopicType::String:
        if (!empty && !value.isString())
            wrong("a string");
        m_text = value.toString();
        m_version = version;
        break;
    case TopicType::Set:
        if (!empty && (!value.isArray() || !detail::hasNoDuplicates(value.toArray())))
            wrong("an array without duplicates");
        m_array = value.toArray();
        break;
    case TopicType::List:
        if (!empty && !value.isArray())
            wrong("an array");
        m_array = value.toArray();
        break;
    case TopicType::Dict:
        if (!empty && !value.isObject())
            wrong("an object");
        m_dict = detail::toEntries(value.toObject());
        break;
    case TopicType::Event:
        break;
    }
}

QJsonValue MirrorTopic::value() const
{
    switch (m_type) {
    case TopicType::String:
        return m_text;
    case TopicType::Set:
    case TopicType::List:
        return m_array;
    case TopicType::Dict:
        return detail::toObject(m_dict);
    case TopicType::Event:
        return QJsonValue();
    default:
        return m_scalar;
    }
}

void MirrorTopic::apply(Change &c)
{
    if (c.topicType != m_type)
        refuseChange(c, QStringLiteral("the topic is a %1 topic, not %2")
                            .arg(topicTypeName(m_type), topicTypeName(c.topicType)));
    switch (m_type) {
    case TopicType::Generic:
        detail::applyGenericChange(m_scalar, c);
        return;
    case TopicType::Int: {
        qint64 v = m_scalar.toInteger();
        detail::applyIntChange(v, c);
        m_scalar = v;
        return;
    }
    case TopicType::Float: {
        double v = m_scalar.toDouble();
        detail::applyFloatChange(v, c);
        m_scalar = v;
        return;
    }
    case TopicType::String:
        applyString(c);
        return;
    case TopicType::Set:
        detail::applySetChange(m_array, c);
        return;
    case TopicType::List:
        detail::applyListChange(m_array, c);
        return;
    case TopicType::Dict:
        detail::applyDictChange(m_dict, c);
        return;
    case TopicType::Event:
        detail::applyEventChange(c);
        return;
    }
}

void MirrorTopic::applyString(Change &c)
{
    switch (c.type) {
    case ChangeType::Set:
        if (!c.value.isString())
            refuseChange(
                c, QStringLiteral("a string topic takes a string, not %1").arg(kindOf(c.value)));
        c.oldValue = m_text;
        m_text = c.value.toString();
        break;
    case ChangeType::Insert:
        if (c.position < 0 || c.position > m_text.size())
            refuseChange(c, QStringLiteral("position %1 is out of range").arg(c.position));
        m_text.insert(c.position, c.text);
        break;
    case ChangeType::Delete:
        if (c.position < 0 || c.position > m_text.size())
            refuseChange(c, QStringLiteral("position %1 is out of range").arg(c.position));
        if (QStringView(m_text).mid(c.position, c.text.size()) != c.text)
            refuseChange(c, QStringLiteral("the text to delete does not match"));
        m_text.remove(c.position, c.text.size());
        break;
    default:
        detail::refuseUnsupported(c);
    }
    if (!c.resultTopicVersion.isEmpty())
        m_version = c.resultTopicVersion;
    else if (c.type == ChangeType::Set && !c.id.isEmpty())
        m_version = c.id; // version-0 hosts take a set's id as the new version
}

} // namespace objectsync::client
