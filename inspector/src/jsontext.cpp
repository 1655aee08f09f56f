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
Error invalid(const QString &why)
{
    return Error(ErrorCode::InvalidArgument, why);
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

Result<QJsonValue> parse(const QString &text)
{
    const QByteArray utf8 = QByteArrayLiteral("[") + text.toUtf8() + QByteArrayLiteral("\n]");
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(utf8, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        // Offsets count bytes of the wrapped text; report characters of the user's text.
        const int byteOffset = qBound(0, parseError.offset - 1, int(utf8.size() - 3));
        const qsizetype charOffset = QString::fromUtf8(utf8.mid(1, byteOffset)).size();
        return invalid(
            QCoreApplication::translate("objectsync::jsontext", "invalid JSON at character %1: %2")
                .arg(charOffset + 1)
                .arg(parseError.errorString()));
    }
    const QJsonArray array = doc.array();
    if (array.isEmpty())
        return invalid(
            QCoreApplication::translate("objectsync::jsontext", "a JSON value is needed"));
    if (array.size() > 1)
        return invalid(
            QCoreApplication::translate("objectsync::jsontext", "only one JSON value is allowed"));
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

Result<QJsonValue> fromText(TopicType type, const QString &text)
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
        if (!ok)
            return invalid(tr("not a whole number from %1 to %2")
                               .arg(std::numeric_limits<qint64>::min())
                               .arg(std::numeric_limits<qint64>::max()));
        return QJsonValue(qint64(v));
    }
    case TopicType::Float: {
        bool ok = false;
        const double v = text.trimmed().toDouble(&ok);
        if (!ok || !std::isfinite(v))
            return invalid(tr("not a finite number"));
        return QJsonValue(v);
    }
    case TopicType::Event:
        return invalid(tr("an event has no value to edit"));
    case TopicType::Generic:
    case TopicType::Set:
    case TopicType::List:
    case TopicType::Dict:
        break;
    }
    Result<QJsonValue> value = parse(text);
    if (!value)
        return value;
    if (type == TopicType::Dict && !value->isObject())
        return invalid(tr("a dict needs a JSON object, like {\"key\": 1}"));
    if ((type == TopicType::List || type == TopicType::Set) && !value->isArray())
        return invalid(tr("a %1 needs a JSON array, like [1, 2]").arg(topicTypeName(type)));
    if (type == TopicType::Set) {
        const QJsonArray items = value->toArray();
        QHash<QString, QList<qsizetype>> seen;
        for (qsizetype i = 0; i < items.size(); ++i) {
            auto &same = seen[compact(items.at(i))];
            for (qsizetype j : std::as_const(same)) {
                if (items.at(j) == items.at(i))
                    return invalid(
                        tr("a set cannot hold %1 twice").arg(elided(compact(items.at(i)), 40)));
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
