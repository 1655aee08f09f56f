// SPDX-License-Identifier: MIT
#include "journaljson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

namespace objectsync::storage {

namespace {
const QLatin1String kName("n");
const QLatin1String kTopicType("t");
const QLatin1String kType("c");
const QLatin1String kId("i");
const QLatin1String kPosition("p");
const QLatin1String kValue("v");
const QLatin1String kKey("k");
const QLatin1String kText("x");
const QLatin1String kTopicVersion("tv");
const QLatin1String kResultVersion("rv");

const char *const kindNames[] = {"forward", "undo", "redo"};

bool readString(const QJsonObject &o, QLatin1String key, QString *out, QString *error)
{
    const QJsonValue v = o.value(key);
    if (v.isUndefined())
        return true;
    if (!v.isString()) {
        *error = QStringLiteral("field \"%1\" is not a string").arg(key);
        return false;
    }
    *out = v.toString();
    return true;
}

bool readInteger(const QJsonValue &v, qint64 *out)
{
    const qint64 a = v.toInteger(0);
    if (!v.isDouble() || a != v.toInteger(1))
        return false;
    *out = a;
    return true;
}

std::optional<Change> changeFromJson(const QJsonValue &json, QString *error)
{
    if (!json.isObject()) {
        *error = QStringLiteral("a change is not an object");
        return std::nullopt;
    }
    const QJsonObject o = json.toObject();
    Change c;
    const QJsonValue name = o.value(kName);
    if (!name.isString() || name.toString().isEmpty()) {
        *error = QStringLiteral("a change has no topic name");
        return std::nullopt;
    }
    c.topicName = name.toString();
    const auto topicType = topicTypeFromName(o.value(kTopicType).toString());
    const auto type = changeTypeFromName(o.value(kType).toString());
    if (!topicType || !type) {
        *error = QStringLiteral("a change of %1 has an unknown type").arg(c.topicName);
        return std::nullopt;
    }
    c.topicType = *topicType;
    c.type = *type;
    const QJsonValue position = o.value(kPosition);
    if (!position.isUndefined() && !readInteger(position, &c.position)) {
        *error = QStringLiteral("a change of %1 has a bad position").arg(c.topicName);
        return std::nullopt;
    }
    if (o.contains(kValue))
        c.value = o.value(kValue);
    if (!readString(o, kId, &c.id, error) || !readString(o, kKey, &c.key, error) ||
        !readString(o, kText, &c.text, error) ||
        !readString(o, kTopicVersion, &c.topicVersion, error) ||
        !readString(o, kResultVersion, &c.resultTopicVersion, error))
        return std::nullopt;
    return c;
}

std::optional<QJsonArray> parseArray(const QByteArray &json, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = QStringLiteral("not valid JSON (%1)").arg(parseError.errorString());
        return std::nullopt;
    }
    if (!doc.isArray()) {
        *error = QStringLiteral("not a JSON array");
        return std::nullopt;
    }
    return doc.array();
}

std::optional<QList<Change>> changesFromArray(const QJsonArray &array, QString *error)
{
    QList<Change> out;
    out.reserve(array.size());
    for (const QJsonValue &v : array) {
        auto c = changeFromJson(v, error);
        if (!c)
            return std::nullopt;
        out.append(std::move(*c));
    }
    return out;
}
} // namespace

std::optional<QList<JournalTransition>> decodeTransitions(const QByteArray &json, QString *error)
{
    const auto array = parseArray(json, error);
    if (!array)
        return std::nullopt;
    QList<JournalTransition> out;
    out.reserve(array->size());
    for (const QJsonValue &v : *array) {
        const QJsonObject o = v.toObject();
        JournalTransition jt;
        qint64 sequence = 0;
        qint64 origin = 0;
        if (!v.isObject() || !readInteger(o.value(QLatin1String("s")), &sequence) || sequence < 1 ||
            (o.contains(QLatin1String("o")) &&
             !readInteger(o.value(QLatin1String("o")), &origin)) ||
            !o.value(QLatin1String("c")).isArray()) {
            *error = QStringLiteral("a malformed transition");
            return std::nullopt;
        }
        jt.sequence = quint64(sequence);
        jt.transition.origin = int(origin);
        if (!readString(o, QLatin1String("a"), &jt.transition.actionId, error))
            return std::nullopt;
        const QJsonValue kind = o.value(QLatin1String("k"));
        if (!kind.isUndefined()) {
            const QString k = kind.toString();
            int found = -1;
            for (int i = 0; i < 3; ++i)
                if (k == QLatin1String(kindNames[i]))
                    found = i;
            if (found < 0) {
                *error = QStringLiteral("a transition of an unknown kind");
                return std::nullopt;
            }
            jt.transition.kind = TransitionKind(found);
        }
        auto changes = changesFromArray(o.value(QLatin1String("c")).toArray(), error);
        if (!changes)
            return std::nullopt;
        jt.transition.changes = std::move(*changes);
        out.append(std::move(jt));
    }
    return out;
}

} // namespace objectsync::storage
