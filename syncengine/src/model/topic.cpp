// SPDX-License-Identifier: MIT
#include <objectsync/engine.h>
#include <objectsync/topic.h>

#include "engine_p.h"
#include "jsonutil.h"
#include "valuechange.h"

#include <cmath>

namespace objectsync {

using detail::kindOf;
using detail::toInt;

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
    detail::applyGenericChange(m_value, c);
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
    detail::applyIntChange(m_value, c);
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
    detail::applyFloatChange(m_value, c);
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
    detail::applySetChange(m_value, c);
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
    detail::applyListChange(m_value, c);
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
    return detail::toObject(m_value);
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
    detail::applyDictChange(m_value, c);
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
    m_value = detail::toEntries(value.toObject());
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
    detail::applyEventChange(c);
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
