// SPDX-License-Identifier: MIT
#include "jsontext.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QLocale>
#include <QSet>
#include <cmath>
#include <limits>

namespace objectsync::jsontext {

namespace {
QString fail(QString *error, const QString &why)
{
    if (error)
        *error = why;
    return why;
}

QString wrapped(const QJsonValue &value, QJsonDocument::JsonFormat format)
{
    // QJsonDocument only holds arrays and objects: wrap the value in an array and strip it.
    const QByteArray json = QJsonDocument(QJsonArray{value}).toJson(format);
    if (format == QJsonDocument::Compact)
        return QString::fromUtf8(json.mid(1, json.size() - 2));
    return QString::fromUtf8(json);
}
} // namespace

QString compact(const QJsonValue &value)
{
    if (value.isObject())
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    if (value.isUndefined())
        return QStringLiteral("null");
    return wrapped(value, QJsonDocument::Compact);
}

QString indented(const QJsonValue &value)
{
    if (value.isObject())
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Indented))
            .trimmed();
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Indented))
            .trimmed();
    return compact(value);
}

std::optional<QJsonValue> parse(const QString &text, QString *error)
{
    const QByteArray utf8 = QByteArrayLiteral("[") + text.toUtf8() + QByteArrayLiteral("\n]");
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(utf8, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        // Offsets count bytes of the wrapped text; report characters of the user's text.
        const int byteOffset = qBound(0, parseError.offset - 1, int(utf8.size() - 3));
        const qsizetype charOffset = QString::fromUtf8(utf8.mid(1, byteOffset)).size();
        fail(error,
             QCoreApplication::translate("objectsync::jsontext", "invalid JSON at character %1: %2")
                 .arg(charOffset + 1)
                 .arg(parseError.errorString()));
        return std::nullopt;
    }
    const QJsonArray array = doc.array();
    if (array.isEmpty()) {
        fail(error, QCoreApplication::translate("objectsync::jsontext", "a JSON value is needed"));
        return std::nullopt;
    }
    if (array.size() > 1) {
        fail(error,
             QCoreApplication::translate("objectsync::jsontext", "only one JSON value is allowed"));
        return std::nullopt;
    }
    return array.first();
}

QString toText(TopicType type, const QJsonValue &value)
{
    switch (type) {
    case TopicType::String:
        return value.toString();
    case TopicType::Int:
        return QString::number(value.toInteger());
    case TopicType::Float:
        return QString::number(value.toDouble(), 'g', QLocale::FloatingPointShortest);
    case TopicType::Event:
        return {};
    case TopicType::Generic:
    case TopicType::Set:
    case TopicType::List:
    case TopicType::Dict:
        break;
    }
    return compact(value);
}

std::optional<QJsonValue> fromText(TopicType type, const QString &text, QString *error)
{
    const auto tr = [](const char *s) {
        return QCoreApplication::translate("objectsync::jsontext", s);
    };
    switch (type) {
    case TopicType::String:
        return QJsonValue(text);
    case TopicType::Int: {
        bool ok = false;
        const qlonglong v = text.trimmed().toLongLong(&ok, 10);
        if (!ok) {
            fail(error, tr("not a whole number from %1 to %2")
                            .arg(std::numeric_limits<qint64>::min())
                            .arg(std::numeric_limits<qint64>::max()));
            return std::nullopt;
        }
        return QJsonValue(qint64(v));
    }
    case TopicType::Float: {
        bool ok = false;
        const double v = text.trimmed().toDouble(&ok);
        if (!ok || !std::isfinite(v)) {
            fail(error, tr("not a finite number"));
            return std::nullopt;
        }
        return QJsonValue(v);
    }
    case TopicType::Event:
        fail(error, tr("an event has no value to edit"));
        return std::nullopt;
    case TopicType::Generic:
    case TopicType::Set:
    case TopicType::List:
    case TopicType::Dict:
        break;
    }
    std::optional<QJsonValue> value = parse(text, error);
    if (!value)
        return std::nullopt;
    if (type == TopicType::Dict && !value->isObject()) {
        fail(error, tr("a dict needs a JSON object, like {\"key\": 1}"));
        return std::nullopt;
    }
    if ((type == TopicType::List || type == TopicType::Set) && !value->isArray()) {
        fail(error, tr("a %1 needs a JSON array, like [1, 2]").arg(topicTypeName(type)));
        return std::nullopt;
    }
    if (type == TopicType::Set) {
        const QJsonArray items = value->toArray();
        QHash<QString, QList<qsizetype>> seen;
        for (qsizetype i = 0; i < items.size(); ++i) {
            auto &same = seen[compact(items.at(i))];
            for (qsizetype j : std::as_const(same)) {
                if (items.at(j) == items.at(i)) {
                    fail(error,
                         tr("a set cannot hold %1 twice").arg(elided(compact(items.at(i)), 40)));
                    return std::nullopt;
                }
            }
            same.append(i);
        }
    }
    return value;
}

QString elided(const QString &text, qsizetype max)
{
    if (text.size() <= max)
        return text;
    return text.left(qMax<qsizetype>(0, max - 1)) + QChar(0x2026);
}

} // namespace objectsync::jsontext
