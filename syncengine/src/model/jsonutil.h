// SPDX-License-Identifier: MIT
#pragma once

#include <QJsonArray>
#include <QJsonValue>
#include <QString>
#include <cmath>
#include <optional>

namespace objectsync::detail {

/*! The value as a 64-bit integer: a whole JSON number in range; never a boolean. */
inline std::optional<qint64> toInt(const QJsonValue &v)
{
    if (!v.isDouble() || std::isnan(v.toDouble()))
        return std::nullopt;
    const qint64 a = v.toInteger(0);
    const qint64 b = v.toInteger(1);
    if (a != b)
        return std::nullopt;
    return a;
}

/*! A short description of a JSON value's kind, for error messages (never its content). */
inline QString kindOf(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return QStringLiteral("a boolean");
    case QJsonValue::Double:
        return toInt(v) ? QStringLiteral("an integer") : QStringLiteral("a number");
    case QJsonValue::String:
        return QStringLiteral("a string");
    case QJsonValue::Array:
        return QStringLiteral("an array");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    case QJsonValue::Undefined:
        return QStringLiteral("nothing");
    }
    return QStringLiteral("an unknown value");
}

/*! True when \a array holds no two equal items. */
bool hasNoDuplicates(const QJsonArray &array);

} // namespace objectsync::detail
