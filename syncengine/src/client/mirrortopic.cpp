// SPDX-License-Identifier: MIT
#include "mirrortopic.h"

#include "model/jsonutil.h"

#include <objectsync/error.h>

#include <QJsonObject>
#include <cmath>

namespace objectsync::client {

using detail::kindOf;
using detail::toInt;

namespace {
[[noreturn]] void refuse(const Change &c, const QString &why)
{
    throw Error(
        QStringLiteral("%1 on topic %2 refused: %3").arg(changeTypeName(c.type), c.topicName, why));
}

[[noreturn]] void unsupported(const Change &c)
{
    refuse(c, QStringLiteral("a %1 topic does not support it").arg(topicTypeName(c.topicType)));
}

qsizetype normalizedPosition(const Change &c, qsizetype size, bool insert)
{
    const qint64 limit = insert ? qint64(size) + 1 : qint64(size);
    const qint64 p = c.position < 0 ? c.position + limit : c.position;
    if (p < 0 || p >= limit)
        refuse(c, QStringLiteral("position %1 is out of range").arg(c.position));
    return qsizetype(p);
}
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
    case TopicType::Dict: {
        if (!empty && !value.isObject())
            wrong("an object");
        QMap<QString, QJsonValue> m;
        const QJsonObject o = value.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            m.insert(it.key(), it.value());
        m_dict = std::move(m);
        break;
    }
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
    case TopicType::Dict: {
        QJsonObject o;
        for (auto it = m_dict.cbegin(); it != m_dict.cend(); ++it)
            o.insert(it.key(), it.value());
        return o;
    }
    case TopicType::Event:
        return QJsonValue();
    default:
        return m_scalar;
    }
}

void MirrorTopic::apply(Change &c)
{
    if (c.topicType != m_type)
        refuse(c, QStringLiteral("the topic is a %1 topic, not %2")
                      .arg(topicTypeName(m_type), topicTypeName(c.topicType)));
    switch (m_type) {
    case TopicType::Generic:
        if (c.type != ChangeType::Set)
            unsupported(c);
        if (c.value.isUndefined())
            refuse(c, QStringLiteral("the value is missing"));
        c.oldValue = m_scalar;
        m_scalar = c.value;
        return;
    case TopicType::Int: {
        const auto v = toInt(c.value);
        if (!v)
            refuse(c, QStringLiteral("an int topic takes an integer, not %1").arg(kindOf(c.value)));
        const qint64 current = m_scalar.toInteger();
        if (c.type == ChangeType::Set) {
            c.oldValue = current;
            m_scalar = *v;
        } else if (c.type == ChangeType::Add) {
            qint64 result;
            if (__builtin_add_overflow(current, *v, &result))
                refuse(c, QStringLiteral("the result is out of range"));
            m_scalar = result;
        } else {
            unsupported(c);
        }
        c.value = *v;
        return;
    }
    case TopicType::Float: {
        if (!c.value.isDouble())
            refuse(c, QStringLiteral("a float topic takes a number, not %1").arg(kindOf(c.value)));
        const double v = c.value.toDouble();
        const double current = m_scalar.toDouble();
        double result = v;
        if (c.type == ChangeType::Add)
            result = current + v;
        else if (c.type != ChangeType::Set)
            unsupported(c);
        if (!std::isfinite(result))
            refuse(c, QStringLiteral("the number is not finite"));
        c.oldValue = current;
        m_scalar = result;
        return;
    }
    case TopicType::String:
        applyString(c);
        return;
    case TopicType::Set:
        applySet(c);
        return;
    case TopicType::List:
        applyList(c);
        return;
    case TopicType::Dict:
        applyDict(c);
        return;
    case TopicType::Event:
        if (c.type != ChangeType::Emit && c.type != ChangeType::ReversedEmit)
            unsupported(c);
        if (c.value.isUndefined() || c.value.isNull())
            c.value = QJsonObject();
        if (!c.value.isObject())
            refuse(
                c,
                QStringLiteral("event arguments must be an object, not %1").arg(kindOf(c.value)));
        return;
    }
}

void MirrorTopic::applyString(Change &c)
{
    switch (c.type) {
    case ChangeType::Set:
        if (!c.value.isString())
            refuse(c, QStringLiteral("a string topic takes a string, not %1").arg(kindOf(c.value)));
        c.oldValue = m_text;
        m_text = c.value.toString();
        break;
    case ChangeType::Insert:
        if (c.position < 0 || c.position > m_text.size())
            refuse(c, QStringLiteral("position %1 is out of range").arg(c.position));
        m_text.insert(c.position, c.text);
        break;
    case ChangeType::Delete:
        if (c.position < 0 || c.position > m_text.size())
            refuse(c, QStringLiteral("position %1 is out of range").arg(c.position));
        if (QStringView(m_text).mid(c.position, c.text.size()) != c.text)
            refuse(c, QStringLiteral("the text to delete does not match"));
        m_text.remove(c.position, c.text.size());
        break;
    default:
        unsupported(c);
    }
    if (!c.resultTopicVersion.isEmpty())
        m_version = c.resultTopicVersion;
    else if (c.type == ChangeType::Set && !c.id.isEmpty())
        m_version = c.id; // version-0 hosts take a set's id as the new version
}

void MirrorTopic::applySet(Change &c)
{
    switch (c.type) {
    case ChangeType::Set:
        if (!c.value.isArray())
            refuse(c, QStringLiteral("a set topic takes an array, not %1").arg(kindOf(c.value)));
        if (!detail::hasNoDuplicates(c.value.toArray()))
            refuse(c, QStringLiteral("the array has duplicate items"));
        c.oldValue = m_array;
        m_array = c.value.toArray();
        break;
    case ChangeType::Append:
        if (c.value.isUndefined())
            refuse(c, QStringLiteral("the item is missing"));
        if (m_array.contains(c.value))
            refuse(c, QStringLiteral("the item is already in the set"));
        m_array.append(c.value);
        break;
    case ChangeType::Remove: {
        qsizetype found = -1;
        for (qsizetype k = 0; k < m_array.size(); ++k) {
            if (m_array.at(k) == c.value) {
                found = k;
                break;
            }
        }
        if (found < 0)
            refuse(c, QStringLiteral("the item is not in the set"));
        m_array.removeAt(found);
        break;
    }
    default:
        unsupported(c);
    }
}

void MirrorTopic::applyList(Change &c)
{
    switch (c.type) {
    case ChangeType::Set:
        if (!c.value.isArray())
            refuse(c, QStringLiteral("a list topic takes an array, not %1").arg(kindOf(c.value)));
        c.oldValue = m_array;
        m_array = c.value.toArray();
        break;
    case ChangeType::Insert: {
        if (c.value.isUndefined())
            refuse(c, QStringLiteral("the item is missing"));
        const qsizetype p = normalizedPosition(c, m_array.size(), true);
        c.position = p;
        m_array.insert(p, c.value);
        break;
    }
    case ChangeType::Pop: {
        const qsizetype p = normalizedPosition(c, m_array.size(), false);
        c.position = p;
        c.oldValue = m_array.at(p);
        m_array.removeAt(p);
        break;
    }
    default:
        unsupported(c);
    }
}

void MirrorTopic::applyDict(Change &c)
{
    switch (c.type) {
    case ChangeType::Set: {
        if (!c.value.isObject())
            refuse(c, QStringLiteral("a dict topic takes an object, not %1").arg(kindOf(c.value)));
        c.oldValue = value();
        QMap<QString, QJsonValue> m;
        const QJsonObject o = c.value.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            m.insert(it.key(), it.value());
        m_dict = std::move(m);
        break;
    }
    case ChangeType::Add:
        if (c.value.isUndefined())
            refuse(c, QStringLiteral("the value is missing"));
        if (m_dict.contains(c.key))
            refuse(c, QStringLiteral("the key \"%1\" already exists").arg(c.key));
        m_dict.insert(c.key, c.value);
        break;
    case ChangeType::Pop: {
        const auto it = m_dict.find(c.key);
        if (it == m_dict.end())
            refuse(c, QStringLiteral("the key \"%1\" does not exist").arg(c.key));
        c.oldValue = it.value();
        m_dict.erase(it);
        break;
    }
    case ChangeType::ChangeValue: {
        if (c.value.isUndefined())
            refuse(c, QStringLiteral("the value is missing"));
        const auto it = m_dict.find(c.key);
        if (it == m_dict.end())
            refuse(c, QStringLiteral("the key \"%1\" does not exist").arg(c.key));
        c.oldValue = it.value();
        it.value() = c.value;
        break;
    }
    default:
        unsupported(c);
    }
}

} // namespace objectsync::client
