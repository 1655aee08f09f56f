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

Error corrupt(const QString &why)
{
    return Error(ErrorCode::Corrupt, why);
}

/*! The string \a key holds; empty when there is none. */
Result<QString> readString(const QJsonObject &o, QLatin1String key)
{
    const QJsonValue v = o.value(key);
    if (v.isUndefined())
        return QString();
    if (!v.isString())
        return corrupt(QStringLiteral("field \"%1\" is not a string").arg(key));
    return v.toString();
}

bool readInteger(const QJsonValue &v, qint64 *out)
{
    const qint64 a = v.toInteger(0);
    if (!v.isDouble() || a != v.toInteger(1))
        return false;
    *out = a;
    return true;
}

Result<Change> changeFromJson(const QJsonValue &json)
{
    if (!json.isObject())
        return corrupt(QStringLiteral("a change is not an object"));
    const QJsonObject o = json.toObject();
    Change c;
    const QJsonValue name = o.value(kName);
    if (!name.isString() || name.toString().isEmpty())
        return corrupt(QStringLiteral("a change has no topic name"));
    c.topicName = name.toString();
    const auto topicType = topicTypeFromName(o.value(kTopicType).toString());
    const auto type = changeTypeFromName(o.value(kType).toString());
    if (!topicType || !type)
        return corrupt(QStringLiteral("a change of %1 has an unknown type").arg(c.topicName));
    c.topicType = *topicType;
    c.type = *type;
    const QJsonValue position = o.value(kPosition);
    if (!position.isUndefined() && !readInteger(position, &c.position))
        return corrupt(QStringLiteral("a change of %1 has a bad position").arg(c.topicName));
    if (o.contains(kValue))
        c.value = o.value(kValue);
    const std::pair<QLatin1String, QString Change::*> strings[] = {
        {kId, &Change::id},
        {kKey, &Change::key},
        {kText, &Change::text},
        {kTopicVersion, &Change::topicVersion},
        {kResultVersion, &Change::resultTopicVersion},
    };
    for (const auto &[key, field] : strings) {
        Result<QString> s = readString(o, key);
        if (!s)
            return s.error();
        c.*field = std::move(*s);
    }
    return c;
}

Result<QJsonArray> parseArray(const QByteArray &json)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return corrupt(QStringLiteral("not valid JSON (%1)").arg(parseError.errorString()));
    if (!doc.isArray())
        return corrupt(QStringLiteral("not a JSON array"));
    return doc.array();
}

Result<QList<Change>> changesFromArray(const QJsonArray &array)
{
    QList<Change> out;
    out.reserve(array.size());
    for (const QJsonValue &v : array) {
        Result<Change> c = changeFromJson(v);
        if (!c)
            return c.error();
        out.append(std::move(*c));
    }
    return out;
}
} // namespace

Result<QList<JournalTransition>> decodeTransitions(const QByteArray &json)
{
    const Result<QJsonArray> array = parseArray(json);
    if (!array)
        return array.error();
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
            !o.value(QLatin1String("c")).isArray())
            return corrupt(QStringLiteral("a malformed transition"));
        jt.sequence = quint64(sequence);
        jt.transition.origin = int(origin);
        Result<QString> actionId = readString(o, QLatin1String("a"));
        if (!actionId)
            return actionId.error();
        jt.transition.actionId = std::move(*actionId);
        const QJsonValue kind = o.value(QLatin1String("k"));
        if (!kind.isUndefined()) {
            const QString k = kind.toString();
            int found = -1;
            for (int i = 0; i < 3; ++i)
                if (k == QLatin1String(kindNames[i]))
                    found = i;
            if (found < 0)
                return corrupt(QStringLiteral("a transition of an unknown kind"));
            jt.transition.kind = TransitionKind(found);
        }
        Result<QList<Change>> changes = changesFromArray(o.value(QLatin1String("c")).toArray());
        if (!changes)
            return changes.error();
        jt.transition.changes = std::move(*changes);
        out.append(std::move(jt));
    }
    return out;
}

} // namespace objectsync::storage
