// SPDX-License-Identifier: MIT
#include <objectsync/engine.h>
#include <objectsync/topic.h>

#include "engine_p.h"
#include "jsonutil.h"

#include <cmath>

namespace objectsync {

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

qsizetype normalizePosition(const Change &c, qint64 position, qsizetype size, bool insert)
{
    // insert: -1 appends, so positions are 0..size and -1..-(size+1)
    // pop: positions are 0..size-1 and -1..-size
    const qint64 limit = insert ? qint64(size) + 1 : qint64(size);
    qint64 p = position < 0 ? position + limit : position;
    if (p < 0 || p >= limit)
        refuse(c, QStringLiteral("position %1 is out of range").arg(position));
    return qsizetype(p);
}
} // namespace

// ---- Topic -----------------------------------------------------------------------------

Topic::Topic(Engine *engine, const QString &name, TopicType type)
    : m_engine(engine), m_name(name), m_type(type)
{}

Topic::~Topic() = default;

ListenerId Topic::addListener(ChangeListener listener, ListenerKind kind)
{
    if (!m_listeners)
        m_listeners = std::make_unique<std::vector<Listener>>();
    const ListenerId id = ++EnginePrivate::get(m_engine)->listenerCounter;
    m_listeners->push_back({id, kind, std::move(listener)});
    return id;
}

void Topic::removeListener(ListenerId id)
{
    if (!m_listeners)
        return;
    auto &v = *m_listeners;
    for (auto it = v.begin(); it != v.end(); ++it) {
        if (it->id == id) {
            v.erase(it);
            return;
        }
    }
}

void Topic::submit(Change &&change)
{
    m_engine->applyChange(std::move(change));
}

Change Topic::makeChange(ChangeType type) const
{
    Change c;
    c.topicName = m_name;
    c.topicType = m_type;
    c.type = type;
    return c;
}

// ---- GenericTopic ----------------------------------------------------------------------

GenericTopic::GenericTopic(Engine *engine, const QString &name)
    : Topic(engine, name, TopicType::Generic)
{}

void GenericTopic::set(const QJsonValue &value)
{
    Change c = makeChange(ChangeType::Set);
    c.value = value;
    submit(std::move(c));
}

void GenericTopic::apply(Change &c)
{
    if (c.type != ChangeType::Set)
        unsupported(c);
    if (c.value.isUndefined())
        refuse(c, QStringLiteral("the value is missing"));
    c.oldValue = m_value;
    m_value = c.value;
}

void GenericTopic::assign(const QJsonValue &value)
{
    m_value = value.isUndefined() ? QJsonValue() : value;
}

// ---- IntTopic --------------------------------------------------------------------------

IntTopic::IntTopic(Engine *engine, const QString &name) : Topic(engine, name, TopicType::Int) {}

void IntTopic::set(qint64 value)
{
    Change c = makeChange(ChangeType::Set);
    c.value = value;
    submit(std::move(c));
}

void IntTopic::add(qint64 amount)
{
    Change c = makeChange(ChangeType::Add);
    c.value = amount;
    submit(std::move(c));
}

void IntTopic::apply(Change &c)
{
    const auto v = toInt(c.value);
    if (!v)
        refuse(c, QStringLiteral("an int topic takes an integer, not %1").arg(kindOf(c.value)));
    if (c.type == ChangeType::Set) {
        c.oldValue = m_value;
        c.value = *v;
        m_value = *v;
    } else if (c.type == ChangeType::Add) {
        qint64 result;
        if (__builtin_add_overflow(m_value, *v, &result))
            refuse(c, QStringLiteral("the result is out of range"));
        c.value = *v;
        c.oldValue = m_value;
        m_value = result;
    } else {
        unsupported(c);
    }
}

void IntTopic::assign(const QJsonValue &value)
{
    if (value.isUndefined() || value.isNull()) {
        m_value = 0;
        return;
    }
    const auto v = toInt(value);
    if (!v)
        throw Error(QStringLiteral("topic %1: an int topic takes an integer, not %2")
                        .arg(name(), kindOf(value)));
    m_value = *v;
}

// ---- FloatTopic ------------------------------------------------------------------------

FloatTopic::FloatTopic(Engine *engine, const QString &name) : Topic(engine, name, TopicType::Float)
{}

void FloatTopic::set(double value)
{
    Change c = makeChange(ChangeType::Set);
    c.value = value;
    submit(std::move(c));
}

void FloatTopic::add(double amount)
{
    Change c = makeChange(ChangeType::Add);
    c.value = amount;
    submit(std::move(c));
}

void FloatTopic::apply(Change &c)
{
    if (!c.value.isDouble())
        refuse(c, QStringLiteral("a float topic takes a number, not %1").arg(kindOf(c.value)));
    const double v = c.value.toDouble();
    if (c.type == ChangeType::Set) {
        if (!std::isfinite(v))
            refuse(c, QStringLiteral("the number is not finite"));
        c.oldValue = m_value;
        m_value = v;
    } else if (c.type == ChangeType::Add) {
        const double result = m_value + v;
        if (!std::isfinite(result))
            refuse(c, QStringLiteral("the result is not finite"));
        c.oldValue = m_value;
        m_value = result;
    } else {
        unsupported(c);
    }
}

void FloatTopic::assign(const QJsonValue &value)
{
    if (value.isUndefined() || value.isNull()) {
        m_value = 0;
        return;
    }
    if (!value.isDouble() || !std::isfinite(value.toDouble()))
        throw Error(QStringLiteral("topic %1: a float topic takes a number, not %2")
                        .arg(name(), kindOf(value)));
    m_value = value.toDouble();
}

// ---- SetTopic --------------------------------------------------------------------------

SetTopic::SetTopic(Engine *engine, const QString &name) : Topic(engine, name, TopicType::Set) {}

void SetTopic::set(const QJsonArray &value)
{
    Change c = makeChange(ChangeType::Set);
    c.value = value;
    submit(std::move(c));
}

void SetTopic::append(const QJsonValue &item)
{
    Change c = makeChange(ChangeType::Append);
    c.value = item;
    submit(std::move(c));
}

void SetTopic::remove(const QJsonValue &item)
{
    Change c = makeChange(ChangeType::Remove);
    c.value = item;
    submit(std::move(c));
}

void SetTopic::apply(Change &c)
{
    switch (c.type) {
    case ChangeType::Set:
        if (!c.value.isArray())
            refuse(c, QStringLiteral("a set topic takes an array, not %1").arg(kindOf(c.value)));
        if (!detail::hasNoDuplicates(c.value.toArray()))
            refuse(c, QStringLiteral("the array has duplicate items"));
        c.oldValue = m_value;
        m_value = c.value.toArray();
        break;
    case ChangeType::Append:
        if (c.value.isUndefined())
            refuse(c, QStringLiteral("the item is missing"));
        if (m_value.contains(c.value))
            refuse(c, QStringLiteral("the item is already in the set"));
        m_value.append(c.value);
        break;
    case ChangeType::Remove: {
        qsizetype i = 0;
        for (; i < m_value.size(); ++i)
            if (m_value.at(i) == c.value)
                break;
        if (i == m_value.size())
            refuse(c, QStringLiteral("the item is not in the set"));
        m_value.removeAt(i);
        c.position = i; // where it was, so that a reverted transition puts it back there
        break;
    }
    default:
        unsupported(c);
    }
}

void SetTopic::assign(const QJsonValue &value)
{
    if (value.isUndefined() || value.isNull()) {
        m_value = QJsonArray();
        return;
    }
    if (!value.isArray() || !detail::hasNoDuplicates(value.toArray()))
        throw Error(
            QStringLiteral("topic %1: a set topic takes an array without duplicates").arg(name()));
    m_value = value.toArray();
}

// ---- ListTopic -------------------------------------------------------------------------

ListTopic::ListTopic(Engine *engine, const QString &name) : Topic(engine, name, TopicType::List) {}

void ListTopic::set(const QJsonArray &value)
{
    Change c = makeChange(ChangeType::Set);
    c.value = value;
    submit(std::move(c));
}

void ListTopic::insert(qint64 position, const QJsonValue &item)
{
    Change c = makeChange(ChangeType::Insert);
    c.position = position;
    c.value = item;
    submit(std::move(c));
}

void ListTopic::pop(qint64 position)
{
    Change c = makeChange(ChangeType::Pop);
    c.position = position;
    submit(std::move(c));
}

void ListTopic::apply(Change &c)
{
    switch (c.type) {
    case ChangeType::Set:
        if (!c.value.isArray())
            refuse(c, QStringLiteral("a list topic takes an array, not %1").arg(kindOf(c.value)));
        c.oldValue = m_value;
        m_value = c.value.toArray();
        break;
    case ChangeType::Insert: {
        if (c.value.isUndefined())
            refuse(c, QStringLiteral("the item is missing"));
        const qsizetype p = normalizePosition(c, c.position, m_value.size(), true);
        c.position = p;
        m_value.insert(p, c.value);
        break;
    }
    case ChangeType::Pop: {
        const qsizetype p = normalizePosition(c, c.position, m_value.size(), false);
        c.position = p;
        c.oldValue = m_value.at(p);
        m_value.removeAt(p);
        break;
    }
    default:
        unsupported(c);
    }
}

void ListTopic::assign(const QJsonValue &value)
{
    if (value.isUndefined() || value.isNull()) {
        m_value = QJsonArray();
        return;
    }
    if (!value.isArray())
        throw Error(QStringLiteral("topic %1: a list topic takes an array, not %2")
                        .arg(name(), kindOf(value)));
    m_value = value.toArray();
}

// ---- DictTopic -------------------------------------------------------------------------

DictTopic::DictTopic(Engine *engine, const QString &name) : Topic(engine, name, TopicType::Dict) {}

QJsonObject DictTopic::get() const
{
    QJsonObject o;
    // QMap iterates in key order, so every insert appends.
    for (auto it = m_value.cbegin(); it != m_value.cend(); ++it)
        o.insert(it.key(), it.value());
    return o;
}

void DictTopic::set(const QJsonObject &value)
{
    Change c = makeChange(ChangeType::Set);
    c.value = value;
    submit(std::move(c));
}

void DictTopic::add(const QString &key, const QJsonValue &value)
{
    Change c = makeChange(ChangeType::Add);
    c.key = key;
    c.value = value;
    submit(std::move(c));
}

void DictTopic::pop(const QString &key)
{
    Change c = makeChange(ChangeType::Pop);
    c.key = key;
    submit(std::move(c));
}

void DictTopic::changeValue(const QString &key, const QJsonValue &value)
{
    Change c = makeChange(ChangeType::ChangeValue);
    c.key = key;
    c.value = value;
    submit(std::move(c));
}

void DictTopic::apply(Change &c)
{
    switch (c.type) {
    case ChangeType::Set: {
        if (!c.value.isObject())
            refuse(c, QStringLiteral("a dict topic takes an object, not %1").arg(kindOf(c.value)));
        c.oldValue = get();
        QMap<QString, QJsonValue> m;
        const QJsonObject o = c.value.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            m.insert(it.key(), it.value());
        m_value = std::move(m);
        break;
    }
    case ChangeType::Add:
        if (c.value.isUndefined())
            refuse(c, QStringLiteral("the value is missing"));
        if (m_value.contains(c.key))
            refuse(c, QStringLiteral("the key \"%1\" already exists").arg(c.key));
        m_value.insert(c.key, c.value);
        break;
    case ChangeType::Pop: {
        auto it = m_value.find(c.key);
        if (it == m_value.end())
            refuse(c, QStringLiteral("the key \"%1\" does not exist").arg(c.key));
        c.oldValue = it.value();
        m_value.erase(it);
        break;
    }
    case ChangeType::ChangeValue: {
        if (c.value.isUndefined())
            refuse(c, QStringLiteral("the value is missing"));
        auto it = m_value.find(c.key);
        if (it == m_value.end())
            refuse(c, QStringLiteral("the key \"%1\" does not exist").arg(c.key));
        c.oldValue = it.value();
        it.value() = c.value;
        break;
    }
    default:
        unsupported(c);
    }
}

void DictTopic::assign(const QJsonValue &value)
{
    if (value.isUndefined() || value.isNull()) {
        m_value.clear();
        return;
    }
    if (!value.isObject())
        throw Error(QStringLiteral("topic %1: a dict topic takes an object, not %2")
                        .arg(name(), kindOf(value)));
    QMap<QString, QJsonValue> m;
    const QJsonObject o = value.toObject();
    for (auto it = o.begin(); it != o.end(); ++it)
        m.insert(it.key(), it.value());
    m_value = std::move(m);
}

// ---- EventTopic ------------------------------------------------------------------------

EventTopic::EventTopic(Engine *engine, const QString &name) : Topic(engine, name, TopicType::Event)
{}

EventTopic::~EventTopic() = default;

void EventTopic::emitEvent(const QJsonObject &args)
{
    Change c = makeChange(ChangeType::Emit);
    c.value = args;
    submit(std::move(c));
}

ListenerId EventTopic::on(EventHandler handler, EventHandler inverse)
{
    const ListenerId id = ++EnginePrivate::get(engine())->listenerCounter;
    m_handlers.push_back({id, std::move(handler), std::move(inverse)});
    return id;
}

void EventTopic::off(ListenerId id)
{
    for (auto it = m_handlers.begin(); it != m_handlers.end(); ++it) {
        if (it->id == id) {
            m_handlers.erase(it);
            return;
        }
    }
}

void EventTopic::apply(Change &c)
{
    if (c.type != ChangeType::Emit && c.type != ChangeType::ReversedEmit)
        unsupported(c);
    if (c.value.isUndefined() || c.value.isNull())
        c.value = QJsonObject();
    if (!c.value.isObject())
        refuse(c, QStringLiteral("event arguments must be an object, not %1").arg(kindOf(c.value)));
}

void EventTopic::assign(const QJsonValue &) {}

void EventTopic::dispatch(const Change &c, bool replay)
{
    if (m_handlers.empty())
        return;
    const std::vector<Handler> handlers = m_handlers; // handlers may change the list
    const QJsonObject args = c.value.toObject();
    for (const Handler &h : handlers) {
        if (c.type == ChangeType::ReversedEmit) {
            if (h.inverse)
                h.inverse(args);
        } else if (h.forward && (!replay || h.inverse)) {
            h.forward(args);
        }
    }
}

} // namespace objectsync
