// SPDX-License-Identifier: MIT
#include "changecodec.h"

#include "jsonwriter.h"
#include "model/jsonutil.h"
#include "wire.h"

#include <objectsync/error.h>

#include <array>

namespace objectsync::protocol::codec {

namespace {

using detail::kindOf;

// Names written as raw, already quoted JSON (no allocation on the hot path).
constexpr std::array<QLatin1String, 8> quotedTopicTypes = {
    QLatin1String("\"generic\""), QLatin1String("\"string\""), QLatin1String("\"int\""),
    QLatin1String("\"float\""),   QLatin1String("\"set\""),    QLatin1String("\"list\""),
    QLatin1String("\"dict\""),    QLatin1String("\"event\"")};
constexpr std::array<QLatin1String, 10> quotedChangeTypes = {
    QLatin1String("\"set\""),    QLatin1String("\"insert\""),
    QLatin1String("\"delete\""), QLatin1String("\"add\""),
    QLatin1String("\"append\""), QLatin1String("\"remove\""),
    QLatin1String("\"pop\""),    QLatin1String("\"change_value\""),
    QLatin1String("\"emit\""),   QLatin1String("\"reversed_emit\"")};

QByteArrayView quoted(QLatin1String s)
{
    return QByteArrayView(s.data(), s.size());
}

[[noreturn]] void fail(const QString &why)
{
    throw Error(why);
}

/*! A short, safe rendering of a client-supplied name for an error message. */
QString shown(const QString &s)
{
    return s.size() > 60 ? s.left(60) + QStringLiteral("...") : s;
}

QJsonValue requireValue(const QJsonObject &d, QLatin1String field)
{
    const QJsonValue v = d.value(field);
    if (v.isUndefined())
        fail(QStringLiteral("field \"%1\" is missing").arg(field));
    return v;
}

QString requireString(const QJsonObject &d, QLatin1String field, bool allowEmpty = true)
{
    const QJsonValue v = requireValue(d, field);
    if (!v.isString())
        fail(QStringLiteral("field \"%1\" must be a string, not %2").arg(field, kindOf(v)));
    QString s = v.toString();
    if (!allowEmpty && s.isEmpty())
        fail(QStringLiteral("field \"%1\" must not be empty").arg(field));
    return s;
}

QString optionalString(const QJsonObject &d, QLatin1String field)
{
    const QJsonValue v = d.value(field);
    if (v.isUndefined() || v.isNull())
        return {};
    if (!v.isString())
        fail(QStringLiteral("field \"%1\" must be a string, not %2").arg(field, kindOf(v)));
    return v.toString();
}

qint64 requireInteger(const QJsonObject &d, QLatin1String field)
{
    const QJsonValue v = requireValue(d, field);
    const auto i = detail::toInt(v);
    if (!i)
        fail(QStringLiteral("field \"%1\" must be an integer, not %2").arg(field, kindOf(v)));
    return *i;
}

/*! Writes old_value where it is optional: only when known (a default Change holds null). */
void writeOldValue(JsonWriter &w, const Change &c)
{
    if (!c.oldValue.isUndefined() && !c.oldValue.isNull()) {
        w.key(wire::oldValue);
        w.value(c.oldValue);
    }
}

} // namespace

bool isValidPair(TopicType topicType, ChangeType type)
{
    switch (topicType) {
    case TopicType::Generic:
        return type == ChangeType::Set;
    case TopicType::String:
        return type == ChangeType::Set || type == ChangeType::Insert || type == ChangeType::Delete;
    case TopicType::Int:
    case TopicType::Float:
        return type == ChangeType::Set || type == ChangeType::Add;
    case TopicType::Set:
        return type == ChangeType::Set || type == ChangeType::Append || type == ChangeType::Remove;
    case TopicType::List:
        return type == ChangeType::Set || type == ChangeType::Insert || type == ChangeType::Pop;
    case TopicType::Dict:
        return type == ChangeType::Set || type == ChangeType::Add || type == ChangeType::Pop ||
               type == ChangeType::ChangeValue;
    case TopicType::Event:
        return type == ChangeType::Emit || type == ChangeType::ReversedEmit;
    }
    return false;
}

Change decode(const QJsonObject &d, ChangeSource source)
{
    const bool fromHost = source == ChangeSource::Host;
    Change c;
    c.topicName = requireString(d, wire::topicName, false);
    const QString topicTypeText = requireString(d, wire::topicType);
    const auto topicType = topicTypeFromName(topicTypeText);
    if (!topicType)
        fail(QStringLiteral("unknown topic_type \"%1\"").arg(shown(topicTypeText)));
    const QString typeText = requireString(d, wire::type);
    const auto type = changeTypeFromName(typeText);
    if (!type || !isValidPair(*topicType, *type) ||
        (*type == ChangeType::ReversedEmit && !fromHost))
        fail(QStringLiteral("a %1 topic has no change type \"%2\"")
                 .arg(topicTypeName(*topicType), shown(typeText)));
    c.topicType = *topicType;
    c.type = *type;
    c.id = requireString(d, wire::id, false);

    const auto hostOldValue = [&] {
        if (fromHost && d.contains(wire::oldValue))
            c.oldValue = d.value(wire::oldValue);
    };

    switch (c.type) {
    case ChangeType::Set:
        c.value = requireValue(d, wire::value);
        hostOldValue();
        if (c.topicType == TopicType::String) {
            c.topicVersion = optionalString(d, wire::topicVersion);
            c.resultTopicVersion = optionalString(d, wire::resultTopicVersion);
            if (c.resultTopicVersion.isEmpty())
                c.resultTopicVersion = c.id;
        }
        break;
    case ChangeType::Insert:
        c.position = requireInteger(d, wire::position);
        if (c.topicType == TopicType::String) {
            c.topicVersion = requireString(d, wire::topicVersion);
            c.text = requireString(d, wire::insertion);
            c.resultTopicVersion = optionalString(d, wire::resultTopicVersion);
        } else {
            c.value = requireValue(d, wire::item);
        }
        break;
    case ChangeType::Delete:
        c.position = requireInteger(d, wire::position);
        c.topicVersion = requireString(d, wire::topicVersion);
        c.text = requireString(d, wire::deletion);
        c.resultTopicVersion = optionalString(d, wire::resultTopicVersion);
        break;
    case ChangeType::Add:
        if (c.topicType == TopicType::Dict)
            c.key = requireString(d, wire::key);
        c.value = requireValue(d, wire::value);
        hostOldValue();
        break;
    case ChangeType::Append:
    case ChangeType::Remove:
        c.value = requireValue(d, wire::item);
        break;
    case ChangeType::Pop:
        if (c.topicType == TopicType::Dict)
            c.key = requireString(d, wire::key);
        else
            c.position = requireInteger(d, wire::position);
        hostOldValue();
        break;
    case ChangeType::ChangeValue:
        c.key = requireString(d, wire::key);
        c.value = requireValue(d, wire::value);
        hostOldValue();
        break;
    case ChangeType::Emit:
    case ChangeType::ReversedEmit: {
        const QJsonValue a = d.value(wire::args);
        if (a.isUndefined() || a.isNull())
            c.value = QJsonObject();
        else if (a.isObject())
            c.value = a;
        else
            fail(QStringLiteral("field \"args\" must be an object, not %1").arg(kindOf(a)));
        break;
    }
    }
    return c;
}

void write(JsonWriter &w, const Change &c, QStringView id)
{
    w.beginObject();
    w.key(wire::topicName);
    w.string(c.topicName);
    w.key(wire::topicType);
    w.raw(quoted(quotedTopicTypes[size_t(c.topicType)]));
    w.key(wire::type);
    w.raw(quoted(quotedChangeTypes[size_t(c.type)]));
    w.key(wire::id);
    w.string(id);
    const bool text = c.topicType == TopicType::String;
    switch (c.type) {
    case ChangeType::Set:
        w.key(wire::value);
        w.value(c.value);
        w.key(wire::oldValue);
        w.value(c.oldValue);
        if (text) {
            w.key(wire::topicVersion);
            w.string(c.topicVersion);
            w.key(wire::resultTopicVersion);
            w.string(c.resultTopicVersion);
        }
        break;
    case ChangeType::Insert:
    case ChangeType::Delete:
        if (text) {
            w.key(wire::topicVersion);
            w.string(c.topicVersion);
            w.key(wire::position);
            w.integer(c.position);
            w.key(c.type == ChangeType::Insert ? wire::insertion : wire::deletion);
            w.string(c.text);
            w.key(wire::resultTopicVersion);
            w.string(c.resultTopicVersion);
        } else {
            w.key(wire::item);
            w.value(c.value);
            w.key(wire::position);
            w.integer(c.position);
        }
        break;
    case ChangeType::Add:
        if (c.topicType == TopicType::Dict) {
            w.key(wire::key);
            w.string(c.key);
        }
        w.key(wire::value);
        w.value(c.value);
        writeOldValue(w, c);
        break;
    case ChangeType::Append:
    case ChangeType::Remove:
        w.key(wire::item);
        w.value(c.value);
        break;
    case ChangeType::Pop:
        if (c.topicType == TopicType::Dict) {
            w.key(wire::key);
            w.string(c.key);
        } else {
            w.key(wire::position);
            w.integer(c.position);
        }
        writeOldValue(w, c);
        break;
    case ChangeType::ChangeValue:
        w.key(wire::key);
        w.string(c.key);
        w.key(wire::value);
        w.value(c.value);
        w.key(wire::oldValue);
        w.value(c.oldValue);
        break;
    case ChangeType::Emit:
    case ChangeType::ReversedEmit:
        w.key(wire::args);
        if (c.value.isObject())
            w.value(c.value);
        else
            w.raw("{}");
        break;
    }
    w.endObject();
}

QByteArray encode(const Change &change, QStringView id)
{
    QByteArray out;
    out.reserve(128);
    JsonWriter w(&out);
    write(w, change, id);
    return out;
}

QJsonObject toJson(const Change &c, const QString &id)
{
    QJsonObject o;
    o.insert(wire::topicName, c.topicName);
    o.insert(wire::topicType, topicTypeName(c.topicType));
    o.insert(wire::type, changeTypeName(c.type));
    o.insert(wire::id, id);
    const auto nullIfUndefined = [](const QJsonValue &v) {
        return v.isUndefined() ? QJsonValue() : v;
    };
    const auto oldValue = [&] {
        if (!c.oldValue.isUndefined() && !c.oldValue.isNull())
            o.insert(wire::oldValue, c.oldValue);
    };
    const bool text = c.topicType == TopicType::String;
    switch (c.type) {
    case ChangeType::Set:
        o.insert(wire::value, nullIfUndefined(c.value));
        o.insert(wire::oldValue, nullIfUndefined(c.oldValue));
        if (text) {
            o.insert(wire::topicVersion, c.topicVersion);
            o.insert(wire::resultTopicVersion, c.resultTopicVersion);
        }
        break;
    case ChangeType::Insert:
    case ChangeType::Delete:
        o.insert(wire::position, c.position);
        if (text) {
            o.insert(wire::topicVersion, c.topicVersion);
            o.insert(c.type == ChangeType::Insert ? wire::insertion : wire::deletion, c.text);
            o.insert(wire::resultTopicVersion, c.resultTopicVersion);
        } else {
            o.insert(wire::item, nullIfUndefined(c.value));
        }
        break;
    case ChangeType::Add:
        if (c.topicType == TopicType::Dict)
            o.insert(wire::key, c.key);
        o.insert(wire::value, nullIfUndefined(c.value));
        oldValue();
        break;
    case ChangeType::Append:
    case ChangeType::Remove:
        o.insert(wire::item, nullIfUndefined(c.value));
        break;
    case ChangeType::Pop:
        if (c.topicType == TopicType::Dict)
            o.insert(wire::key, c.key);
        else
            o.insert(wire::position, c.position);
        oldValue();
        break;
    case ChangeType::ChangeValue:
        o.insert(wire::key, c.key);
        o.insert(wire::value, nullIfUndefined(c.value));
        o.insert(wire::oldValue, nullIfUndefined(c.oldValue));
        break;
    case ChangeType::Emit:
    case ChangeType::ReversedEmit:
        o.insert(wire::args, c.value.isObject() ? c.value : QJsonObject());
        break;
    }
    return o;
}

QString wireId(const Change &c, quint64 sequence, qsizetype index)
{
    if (!c.id.isEmpty())
        return c.id;
    if (c.topicType == TopicType::String && c.type == ChangeType::Set &&
        !c.resultTopicVersion.isEmpty())
        return c.resultTopicVersion;
    return QLatin1Char('h') + QString::number(sequence) + QLatin1Char('_') + QString::number(index);
}

} // namespace objectsync::protocol::codec
