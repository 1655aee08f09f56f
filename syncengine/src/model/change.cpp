// SPDX-License-Identifier: MIT
#include <objectsync/change.h>

#include "jsonutil.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSet>
#include <array>
#include <limits>

namespace objectsync {

namespace {
constexpr std::array<const char *, 8> topicTypeNames = {"generic", "string", "int",  "float",
                                                        "set",     "list",   "dict", "event"};
constexpr std::array<const char *, 10> changeTypeNames = {
    "set",    "insert", "delete",       "add",  "append",
    "remove", "pop",    "change_value", "emit", "reversed_emit"};
} // namespace

QString topicTypeName(TopicType type)
{
    return QString::fromLatin1(topicTypeNames[static_cast<size_t>(type)]);
}

std::optional<TopicType> topicTypeFromName(QStringView name)
{
    for (size_t i = 0; i < topicTypeNames.size(); ++i) {
        if (name == QLatin1String(topicTypeNames[i]))
            return static_cast<TopicType>(i);
    }
    return std::nullopt;
}

QString changeTypeName(ChangeType type)
{
    return QString::fromLatin1(changeTypeNames[static_cast<size_t>(type)]);
}

std::optional<ChangeType> changeTypeFromName(QStringView name)
{
    for (size_t i = 0; i < changeTypeNames.size(); ++i) {
        if (name == QLatin1String(changeTypeNames[i]))
            return static_cast<ChangeType>(i);
    }
    return std::nullopt;
}

QJsonValue defaultValue(TopicType type)
{
    // Made once: building a JSON string, array or object allocates, copies only share.
    static const std::array<QJsonValue, 8> values = {QJsonValue(),
                                                     QJsonValue(QString()),
                                                     QJsonValue(qint64(0)),
                                                     QJsonValue(0.0),
                                                     QJsonValue(QJsonArray()),
                                                     QJsonValue(QJsonArray()),
                                                     QJsonValue(QJsonObject()),
                                                     QJsonValue()};
    return values[static_cast<size_t>(type)];
}

Change Change::inverse() const
{
    Change inv;
    inv.topicName = topicName;
    inv.topicType = topicType;
    switch (type) {
    case ChangeType::Set:
        inv.type = ChangeType::Set;
        inv.value = oldValue;
        inv.oldValue = value;
        break;
    case ChangeType::Insert:
        if (topicType == TopicType::String) {
            inv.type = ChangeType::Delete;
            inv.position = position;
            inv.text = text;
            inv.topicVersion = resultTopicVersion;
        } else {
            inv.type = ChangeType::Pop;
            inv.position = position;
            inv.oldValue = value;
        }
        break;
    case ChangeType::Delete:
        inv.type = ChangeType::Insert;
        inv.position = position;
        inv.text = text;
        inv.topicVersion = resultTopicVersion;
        break;
    case ChangeType::Add:
        if (topicType == TopicType::Dict) {
            inv.type = ChangeType::Pop;
            inv.key = key;
            inv.oldValue = value;
        } else if (topicType == TopicType::Int &&
                   value.toInteger() != std::numeric_limits<qint64>::min()) {
            inv.type = ChangeType::Add;
            inv.value = -value.toInteger();
        } else if (topicType == TopicType::Int) {
            // The amount cannot be negated: restore the old value.
            inv.type = ChangeType::Set;
            inv.value = oldValue;
            inv.oldValue = value.toInteger() + oldValue.toInteger();
        } else {
            // Floating-point addition is not exactly reversible: restore the old value.
            inv.type = ChangeType::Set;
            inv.value = oldValue;
            inv.oldValue = QJsonValue(oldValue.toDouble() + value.toDouble());
        }
        break;
    case ChangeType::Append:
        inv.type = ChangeType::Remove;
        inv.value = value;
        break;
    case ChangeType::Remove:
        inv.type = ChangeType::Append;
        inv.value = value;
        break;
    case ChangeType::Pop:
        if (topicType == TopicType::Dict) {
            inv.type = ChangeType::Add;
            inv.key = key;
            inv.value = oldValue;
        } else {
            inv.type = ChangeType::Insert;
            inv.position = position;
            inv.value = oldValue;
        }
        break;
    case ChangeType::ChangeValue:
        inv.type = ChangeType::ChangeValue;
        inv.key = key;
        inv.value = oldValue;
        inv.oldValue = value;
        break;
    case ChangeType::Emit:
        inv.type = ChangeType::ReversedEmit;
        inv.value = value;
        break;
    case ChangeType::ReversedEmit:
        inv.type = ChangeType::Emit;
        inv.value = value;
        break;
    }
    return inv;
}

namespace detail {
bool hasNoDuplicates(const QJsonArray &array)
{
    const qsizetype n = array.size();
    if (n < 32) {
        for (qsizetype i = 0; i < n; ++i)
            for (qsizetype j = i + 1; j < n; ++j)
                if (array.at(i) == array.at(j))
                    return false;
        return true;
    }
    QSet<QJsonValue> seen;
    seen.reserve(n);
    for (const QJsonValue &v : array) {
        if (seen.contains(v))
            return false;
        seen.insert(v);
    }
    return true;
}
} // namespace detail

} // namespace objectsync
