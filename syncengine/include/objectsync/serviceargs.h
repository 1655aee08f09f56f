// SPDX-License-Identifier: MIT
#pragma once

/*! \file serviceargs.h Typed reading of the arguments of a service or of an object's build. */

#include <objectsync/error.h>

#include <QAnyStringView>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>
#include <cmath>
#include <limits>
#include <type_traits>

namespace objectsync {

/*!
 * Reads the arguments of a service call, or the build arguments of an object (`build_kwargs`),
 * by name and type. A wrong argument throws Error with a message naming the argument and the
 * type it needs, such as `argument "by" must be a whole number, not a string`, which is what
 * the calling client reads:
 * \code
 * addService("increment", [this](const objectsync::ServiceArgs &args) {
 *     count->add(args.optional<int>("by", 1));
 *     return count->get();
 * });
 * \endcode
 * A handler may take `const ServiceArgs &` wherever a `const QJsonObject &` is passed.
 *
 * Types: `bool`, `int`, `qint64`, `double`, `QString`, `QStringList` (an array of strings),
 * `QJsonObject`, `QJsonArray` and `QJsonValue` (any value). The whole-number types take only
 * whole numbers within their range. A missing argument and a `null` one are the same:
 * required() refuses it, optional() returns the fallback. Arguments nobody asks for are
 * ignored.
 */
class OBJECTSYNC_EXPORT ServiceArgs
{
public:
    /*! Reads \a args. Implicit, so that handlers can take a ServiceArgs. */
    ServiceArgs(const QJsonObject &args) : m_args(args) {} // NOLINT(google-explicit-constructor)

    /*! The argument \a name as a \a T; throws Error when it is missing, null or not a \a T. */
    template<class T> T required(QAnyStringView name) const
    {
        const QJsonValue value = m_args.value(name.toString());
        if (value.isUndefined() || value.isNull())
            throw Error(QStringLiteral("argument \"%1\" is required (%2)")
                            .arg(name.toString(), typeName<T>()));
        return convert<T>(name, value);
    }

    /*! The argument \a name as a \a T, or \a fallback when it is missing or null; throws Error
     *  when it is there but not a \a T. */
    template<class T> T optional(QAnyStringView name, const T &fallback) const
    {
        const QJsonValue value = m_args.value(name.toString());
        if (value.isUndefined() || value.isNull())
            return fallback;
        return convert<T>(name, value);
    }

    /*! True when the argument \a name is there and not null. */
    bool has(QAnyStringView name) const
    {
        const QJsonValue value = m_args.value(name.toString());
        return !value.isUndefined() && !value.isNull();
    }

    /*! All the arguments, as they came. */
    const QJsonObject &json() const { return m_args; }

private:
    template<class T> static constexpr bool isWholeNumber()
    {
        return std::is_same_v<T, int> || std::is_same_v<T, qint64>;
    }

    template<class T> static QString typeName()
    {
        if constexpr (std::is_same_v<T, bool>)
            return QStringLiteral("true or false");
        else if constexpr (isWholeNumber<T>())
            return QStringLiteral("a whole number");
        else if constexpr (std::is_same_v<T, double>)
            return QStringLiteral("a number");
        else if constexpr (std::is_same_v<T, QString>)
            return QStringLiteral("a string");
        else if constexpr (std::is_same_v<T, QStringList>)
            return QStringLiteral("an array of strings");
        else if constexpr (std::is_same_v<T, QJsonObject>)
            return QStringLiteral("an object");
        else if constexpr (std::is_same_v<T, QJsonArray>)
            return QStringLiteral("an array");
        else if constexpr (std::is_same_v<T, QJsonValue>)
            return QStringLiteral("any value");
        else
            static_assert(sizeof(T) == 0, "ServiceArgs cannot read this type");
    }

    /*! What a JSON value is, in the words of the messages. */
    static QString kindOf(const QJsonValue &value)
    {
        switch (value.type()) {
        case QJsonValue::Bool:
            return QStringLiteral("true or false");
        case QJsonValue::Double:
            return QStringLiteral("a number");
        case QJsonValue::String:
            return QStringLiteral("a string");
        case QJsonValue::Array:
            return QStringLiteral("an array");
        case QJsonValue::Object:
            return QStringLiteral("an object");
        default:
            return QStringLiteral("null");
        }
    }

    template<class T> [[noreturn]] static void wrongType(QAnyStringView name, const QJsonValue &v)
    {
        throw Error(QStringLiteral("argument \"%1\" must be %2, not %3")
                        .arg(name.toString(), typeName<T>(), kindOf(v)));
    }

    template<class T> static T convert(QAnyStringView name, const QJsonValue &value)
    {
        if constexpr (std::is_same_v<T, QJsonValue>) {
            return value;
        } else if constexpr (std::is_same_v<T, bool>) {
            if (!value.isBool())
                wrongType<T>(name, value);
            return value.toBool();
        } else if constexpr (isWholeNumber<T>()) {
            const double d = value.toDouble();
            if (!value.isDouble() || d != std::floor(d))
                wrongType<T>(name, value);
            // The largest values of T are not exact doubles: compare against 2^(bits - 1).
            const double limit = std::ldexp(1.0, int(sizeof(T)) * 8 - 1);
            if (d < -limit || d >= limit)
                throw Error(QStringLiteral("argument \"%1\" is out of range (%2 to %3)")
                                .arg(name.toString())
                                .arg(std::numeric_limits<T>::min())
                                .arg(std::numeric_limits<T>::max()));
            return T(d);
        } else if constexpr (std::is_same_v<T, double>) {
            if (!value.isDouble())
                wrongType<T>(name, value);
            return value.toDouble();
        } else if constexpr (std::is_same_v<T, QString>) {
            if (!value.isString())
                wrongType<T>(name, value);
            return value.toString();
        } else if constexpr (std::is_same_v<T, QStringList>) {
            if (!value.isArray())
                wrongType<T>(name, value);
            QStringList out;
            const QJsonArray items = value.toArray();
            for (qsizetype i = 0; i < items.size(); ++i) {
                if (!items.at(i).isString())
                    throw Error(QStringLiteral("argument \"%1\" must be %2 (item %3 is %4)")
                                    .arg(name.toString(), typeName<T>())
                                    .arg(i)
                                    .arg(kindOf(items.at(i))));
                out.append(items.at(i).toString());
            }
            return out;
        } else if constexpr (std::is_same_v<T, QJsonObject>) {
            if (!value.isObject())
                wrongType<T>(name, value);
            return value.toObject();
        } else if constexpr (std::is_same_v<T, QJsonArray>) {
            if (!value.isArray())
                wrongType<T>(name, value);
            return value.toArray();
        } else {
            static_assert(sizeof(T) == 0, "ServiceArgs cannot read this type");
        }
    }

    QJsonObject m_args;
};

} // namespace objectsync
