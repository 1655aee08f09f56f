// SPDX-License-Identifier: MIT
#include "changejson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QLocale>
#include <charconv>
#include <cmath>

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

/*! Appends \a s as a JSON string: UTF-8, with '"', '\\' and control characters escaped,
 *  written straight into the buffer. */
void appendString(JsonBuffer &out, QStringView s)
{
    static const char hex[] = "0123456789abcdef";
    char *d = out.claim(6 * size_t(s.size()) + 2); // the longest form of a UTF-16 unit: \u00XX
    *d++ = '"';
    const char16_t *p = s.utf16();
    const char16_t *end = p + s.size();
    while (p < end) {
        char32_t u = *p++;
        if (u < 0x80) {
            if (u == '"' || u == '\\') {
                *d++ = '\\';
                *d++ = char(u);
            } else if (u >= 0x20) {
                *d++ = char(u);
            } else if (u == '\n') {
                *d++ = '\\';
                *d++ = 'n';
            } else if (u == '\t') {
                *d++ = '\\';
                *d++ = 't';
            } else if (u == '\r') {
                *d++ = '\\';
                *d++ = 'r';
            } else {
                *d++ = '\\';
                *d++ = 'u';
                *d++ = '0';
                *d++ = '0';
                *d++ = hex[u >> 4];
                *d++ = hex[u & 0xF];
            }
            continue;
        }
        if (u >= 0xD800 && u < 0xE000) {
            if (u < 0xDC00 && p < end && *p >= 0xDC00 && *p < 0xE000)
                u = 0x10000 + ((u - 0xD800) << 10) + (*p++ - 0xDC00);
            else
                u = 0xFFFD; // a lone surrogate
        }
        if (u < 0x800) {
            *d++ = char(0xC0 | (u >> 6));
        } else if (u < 0x10000) {
            *d++ = char(0xE0 | (u >> 12));
            *d++ = char(0x80 | ((u >> 6) & 0x3F));
        } else {
            *d++ = char(0xF0 | (u >> 18));
            *d++ = char(0x80 | ((u >> 12) & 0x3F));
            *d++ = char(0x80 | ((u >> 6) & 0x3F));
        }
        *d++ = char(0x80 | (u & 0x3F));
    }
    *d++ = '"';
    out.commit(d);
}

void appendInteger(JsonBuffer &out, qint64 value)
{
    char *d = out.claim(24);
    out.commit(std::to_chars(d, d + 24, value).ptr);
}

void appendName(JsonBuffer &out, const char *name)
{
    out += '"';
    out += name;
    out += '"';
}

// The wire names of the enums (as topicTypeName() and changeTypeName(), without allocating).
const char *const topicTypeNames[] = {"generic", "string", "int",  "float",
                                      "set",     "list",   "dict", "event"};
const char *const changeTypeNames[] = {"set",    "insert", "delete",       "add",  "append",
                                       "remove", "pop",    "change_value", "emit", "reversed_emit"};

void appendKey(JsonBuffer &out, const char *key, bool &first)
{
    if (!first)
        out += ',';
    first = false;
    out += '"';
    out += key;
    out += "\":";
}

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
} // namespace

void appendJsonValue(JsonBuffer &out, const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        out += "null";
        return;
    case QJsonValue::Bool:
        out += v.toBool() ? "true" : "false";
        return;
    case QJsonValue::Double: {
        qint64 i = 0;
        if (readInteger(v, &i)) {
            appendInteger(out, i);
            return;
        }
        const double d = v.toDouble();
        if (!std::isfinite(d)) {
            out += "null";
            return;
        }
        out += QByteArrayView(QByteArray::number(d, 'g', QLocale::FloatingPointShortest));
        return;
    }
    case QJsonValue::String:
        appendString(out, v.toString());
        return;
    case QJsonValue::Array: {
        out += '[';
        bool first = true;
        for (const QJsonValue &item : v.toArray()) {
            if (!first)
                out += ',';
            first = false;
            appendJsonValue(out, item);
        }
        out += ']';
        return;
    }
    case QJsonValue::Object: {
        out += '{';
        bool first = true;
        const QJsonObject o = v.toObject();
        for (auto it = o.constBegin(); it != o.constEnd(); ++it) {
            if (!first)
                out += ',';
            first = false;
            appendString(out, it.key());
            out += ':';
            appendJsonValue(out, it.value());
        }
        out += '}';
        return;
    }
    }
}

void appendChange(JsonBuffer &out, const Change &c)
{
    bool first = true;
    out += '{';
    appendKey(out, "n", first);
    appendString(out, c.topicName);
    appendKey(out, "t", first);
    appendName(out, topicTypeNames[int(c.topicType)]);
    appendKey(out, "c", first);
    appendName(out, changeTypeNames[int(c.type)]);
    if (!c.id.isEmpty()) {
        appendKey(out, "i", first);
        appendString(out, c.id);
    }
    if (c.position != 0) {
        appendKey(out, "p", first);
        appendInteger(out, c.position);
    }
    if (!c.value.isNull() && !c.value.isUndefined()) {
        appendKey(out, "v", first);
        appendJsonValue(out, c.value);
    }
    if (!c.key.isEmpty()) {
        appendKey(out, "k", first);
        appendString(out, c.key);
    }
    if (!c.text.isEmpty()) {
        appendKey(out, "x", first);
        appendString(out, c.text);
    }
    if (!c.topicVersion.isEmpty()) {
        appendKey(out, "tv", first);
        appendString(out, c.topicVersion);
    }
    if (!c.resultTopicVersion.isEmpty()) {
        appendKey(out, "rv", first);
        appendString(out, c.resultTopicVersion);
    }
    out += '}';
}

void appendTransition(JsonBuffer &out, quint64 sequence, const Transition &t)
{
    bool first = true;
    out += '{';
    appendKey(out, "s", first);
    appendInteger(out, qint64(sequence));
    if (t.origin != 0) {
        appendKey(out, "o", first);
        appendInteger(out, t.origin);
    }
    if (!t.actionId.isEmpty()) {
        appendKey(out, "a", first);
        appendString(out, t.actionId);
    }
    if (t.kind != TransitionKind::Forward) {
        appendKey(out, "k", first);
        appendName(out, kindNames[int(t.kind)]);
    }
    appendKey(out, "c", first);
    out += '[';
    for (qsizetype i = 0; i < t.changes.size(); ++i) {
        if (i > 0)
            out += ',';
        appendChange(out, t.changes.at(i));
    }
    out += "]}";
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

QByteArray encodeChanges(const QList<Change> &changes)
{
    JsonBuffer out;
    out += '[';
    for (qsizetype i = 0; i < changes.size(); ++i) {
        if (i > 0)
            out += ',';
        appendChange(out, changes.at(i));
    }
    out += ']';
    return out.toByteArray();
}

namespace {
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

std::optional<QList<Change>> decodeChanges(const QByteArray &json, QString *error)
{
    const auto array = parseArray(json, error);
    if (!array)
        return std::nullopt;
    return changesFromArray(*array, error);
}

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
