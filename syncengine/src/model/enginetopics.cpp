// SPDX-License-Identifier: MIT
// The engine's topic catalogue (creating, removing and reviving topics, and their entries in
// the topic list) and its services.
#include <objectsync/engine.h>

#include "engine_p.h"

namespace objectsync {

// ---- topics ----------------------------------------------------------------------------

QString EnginePrivate::nextVersion()
{
    return QStringLiteral("h") + QString::number(++versionCounter, 36);
}

Topic *EnginePrivate::createTopic(const QString &name, TopicType type, const QJsonValue &initial,
                                  bool stateful, bool orderStrict)
{
    Topic *t = nullptr;
    switch (type) {
    case TopicType::Generic:
        t = new GenericTopic(q, name);
        break;
    case TopicType::String:
        t = new StringTopic(q, name);
        break;
    case TopicType::Int:
        t = new IntTopic(q, name);
        break;
    case TopicType::Float:
        t = new FloatTopic(q, name);
        break;
    case TopicType::Set:
        t = new SetTopic(q, name);
        break;
    case TopicType::List:
        t = new ListTopic(q, name);
        break;
    case TopicType::Dict:
        t = new DictTopic(q, name);
        break;
    case TopicType::Event:
        t = new EventTopic(q, name);
        break;
    }
    try {
        t->assign(initial);
    } catch (...) {
        delete t;
        throw;
    }
    t->m_stateful = stateful;
    t->m_orderStrict = orderStrict;
    TopicRole r = TopicRole::Plain;
    if (name.startsWith(names::attributePrefix))
        r = TopicRole::Attribute;
    else if (name.startsWith(names::parentPrefix))
        r = TopicRole::ParentId;
    else if (name.startsWith(names::tagsPrefix))
        r = TopicRole::Tags;
    setRole(t, r);
    topics.insert(name, t);
    return t;
}

QJsonObject EnginePrivate::descriptor(const Topic *t, const QJsonValue &boundary) const
{
    return descriptor(t->type(), boundary, t->isStateful(), t->isOrderStrict());
}

QJsonObject EnginePrivate::descriptor(TopicType type, const QJsonValue &boundary, bool stateful,
                                      bool orderStrict, const QString *text) const
{
    // Building a JSON object is slow and each one costs memory: descriptors with the
    // default value are made once, others start from a copy of them, and the last one is
    // kept (objects made one after the other often have the same parent).
    QJsonObject &base = descriptorTemplates[int(type)][stateful][orderStrict];
    if (base.isEmpty()) {
        base.insert(names::descriptor::boundaryValue, defaultValue(type));
        base.insert(names::descriptor::stateful, stateful);
        base.insert(names::descriptor::orderStrict, orderStrict);
        base.insert(QLatin1String("type"), topicTypeName(type));
    }
    const int key = int(type) * 4 + int(stateful) * 2 + int(orderStrict);
    if (text) {
        if (text->isEmpty() && type == TopicType::String)
            return base;
        if (lastDescriptor.key == key && !lastDescriptor.boundary.isUndefined() &&
            lastDescriptor.text == *text)
            return lastDescriptor.descriptor;
        QJsonObject desc = base;
        const QJsonValue value(*text);
        desc.insert(names::descriptor::boundaryValue, value);
        lastDescriptor = {desc, value, *text, key};
        return desc;
    }
    if (boundary.isUndefined() || boundary == defaultValue(type))
        return base;
    if (lastDescriptor.key == key && lastDescriptor.text.isNull() &&
        lastDescriptor.boundary == boundary)
        return lastDescriptor.descriptor;
    QJsonObject desc = base;
    desc.insert(names::descriptor::boundaryValue, boundary);
    lastDescriptor = {desc, boundary, QString(), key};
    return desc;
}

Topic *EnginePrivate::addTopicByChange(const QString &name, TopicType type,
                                       const QJsonValue &initial, bool stateful, bool orderStrict,
                                       const QString *text)
{
    Change c;
    c.topicName = names::topicList;
    c.topicType = TopicType::Dict;
    c.type = ChangeType::Add;
    c.key = name;
    // No initial value (undefined or null) means the type's default, also in the descriptor.
    const QJsonValue boundary = text || initial.isUndefined() || initial.isNull()
                                    ? QJsonValue(QJsonValue::Undefined)
                                    : initial;
    c.value = descriptor(type, boundary, stateful, orderStrict, text);
    PendingTopic pending{&name, type, &boundary, text, stateful, orderStrict};
    const PendingTopic *previous = pendingTopic;
    pendingTopic = &pending;
    try {
        q->applyChange(std::move(c));
    } catch (...) {
        pendingTopic = previous;
        throw;
    }
    pendingTopic = previous;
    return pending.created ? pending.created : topics.value(name);
}

void EnginePrivate::removeTopicByChange(const QString &name)
{
    Change c;
    c.topicName = names::topicList;
    c.topicType = TopicType::Dict;
    c.type = ChangeType::Pop;
    c.key = name;
    q->applyChange(std::move(c));
}

void EnginePrivate::dropTopic(const QString &name)
{
    Topic *t = topics.take(name);
    if (t)
        deadTopics.append(t);
}

Topic *EnginePrivate::reviveTopic(const QString &name, TopicType type)
{
    for (qsizetype i = topicReviveLimit - 1; i >= 0; --i) {
        Topic *t = deadTopics.at(i);
        if (t->name() == name) {
            if (t->type() != type)
                return nullptr;
            deadTopics.removeAt(i);
            --topicReviveLimit;
            topics.insert(name, t);
            return t;
        }
    }
    return nullptr;
}

TopicListTopic::TopicListTopic(Engine *engine, EnginePrivate *d)
    : Topic(engine, names::topicList, TopicType::Dict), d(d)
{}

QJsonValue TopicListTopic::value() const
{
    QStringList keys = d->topics.keys();
    std::sort(keys.begin(), keys.end());
    QJsonObject o;
    for (const QString &k : std::as_const(keys)) {
        const Topic *t = d->topics.value(k);
        o.insert(k, d->descriptor(t, defaultValue(t->type())));
    }
    return o;
}

void TopicListTopic::apply(Change &c)
{
    const auto refuse = [&](const QString &why) {
        throw Error(
            QStringLiteral("%1 on the topic list refused: %2").arg(changeTypeName(c.type), why));
    };
    if (c.type == ChangeType::Add) {
        if (c.key.isEmpty())
            refuse(QStringLiteral("a topic needs a name"));
        if (d->topics.contains(c.key))
            refuse(QStringLiteral("topic %1 already exists").arg(c.key));
        if (auto *p = const_cast<PendingTopic *>(d->pendingTopic);
            p && !d->tx.rollingBack && *p->name == c.key) {
            // Made by the engine itself: the parts are known, no need to read the JSON.
            try {
                p->created =
                    d->createTopic(c.key, p->type, *p->initial, p->stateful, p->orderStrict);
            } catch (const Error &e) {
                refuse(e.message());
            }
            if (p->text && p->type == TopicType::String)
                EnginePrivate::setInitialText(static_cast<StringTopic *>(p->created), *p->text);
            return;
        }
        if (!c.value.isObject())
            refuse(QStringLiteral("a topic is described by an object"));
        const QJsonObject desc = c.value.toObject();
        const auto type = topicTypeFromName(desc.value(QLatin1String("type")).toString());
        if (!type)
            refuse(QStringLiteral("unknown topic type"));
        const QJsonValue stateful = desc.value(names::descriptor::stateful);
        const QJsonValue strict = desc.value(names::descriptor::orderStrict);
        if (d->tx.rollingBack) {
            if (d->reviveTopic(c.key, *type))
                return;
        }
        try {
            d->createTopic(c.key, *type, desc.value(names::descriptor::boundaryValue),
                           stateful.isBool() ? stateful.toBool() : true,
                           strict.isBool() ? strict.toBool() : true);
        } catch (const Error &e) {
            refuse(e.message());
        }
    } else if (c.type == ChangeType::Pop) {
        Topic *t = d->topics.value(c.key);
        if (!t)
            refuse(QStringLiteral("topic %1 does not exist").arg(c.key));
        if (t->isSystem())
            refuse(QStringLiteral("topic %1 belongs to the engine").arg(c.key));
        if (t->name() == names::parentPrefix + names::rootId ||
            t->name() == names::tagsPrefix + names::rootId)
            refuse(QStringLiteral("topic %1 belongs to the root").arg(c.key));
        // The old value carries the topic's last value, so undo brings it back whole.
        c.oldValue = d->descriptor(t, t->value());
        d->dropTopic(c.key);
    } else {
        refuse(QStringLiteral("only add and pop are allowed"));
    }
}

void TopicListTopic::assign(const QJsonValue &) {}

Topic *Engine::topic(const QString &name) const
{
    return d->topics.value(name);
}

Topic *Engine::addTopic(const QString &name, TopicType type, const QJsonValue &initial,
                        bool stateful, bool orderStrict)
{
    if (name.isEmpty() || name.startsWith(QLatin1Char('_')) ||
        name.startsWith(names::attributePrefix) || name.startsWith(names::parentPrefix) ||
        name.startsWith(names::tagsPrefix) || name == names::createObject ||
        name == names::destroyObject)
        throw Error(QStringLiteral("the topic name \"%1\" is reserved").arg(name));
    return d->addTopicByChange(name, type, initial, stateful, orderStrict);
}

void Engine::removeTopic(const QString &name)
{
    Topic *t = d->topics.value(name);
    if (!t)
        throw Error(QStringLiteral("unknown topic %1").arg(name));
    if (EnginePrivate::role(t) != TopicRole::Plain)
        throw Error(QStringLiteral("topic %1 belongs to the engine or an object").arg(name));
    d->removeTopicByChange(name);
}

QStringList Engine::topicNames() const
{
    return d->topics.keys();
}

qsizetype Engine::topicCount() const
{
    return d->topics.size();
}

QJsonObject Engine::topicDescriptor(const QString &name) const
{
    const Topic *t = d->topics.value(name);
    return t ? d->descriptor(t, defaultValue(t->type())) : QJsonObject();
}

// ---- services --------------------------------------------------------------------------

void Engine::registerService(const QString &name, ServiceHandler handler)
{
    if (name.isEmpty() || d->services.contains(name))
        throw Error(QStringLiteral("service \"%1\" is already registered").arg(name));
    d->services.insert(name, std::move(handler));
}

void Engine::unregisterService(const QString &name)
{
    d->services.remove(name);
}

bool Engine::hasService(const QString &name) const
{
    return d->services.contains(name);
}

QJsonValue Engine::callService(const QString &name, const QJsonObject &args, int origin)
{
    const auto it = d->services.constFind(name);
    if (it == d->services.cend())
        throw Error(QStringLiteral("unknown service \"%1\"").arg(name));
    const ServiceHandler handler = it.value(); // the service may unregister itself
    // Transitions the service opens are attributed to the caller.
    const int previous = d->ambientOrigin;
    d->ambientOrigin = origin;
    try {
        QJsonValue result = handler(args);
        d->ambientOrigin = previous;
        return result;
    } catch (...) {
        d->ambientOrigin = previous;
        throw;
    }
}

} // namespace objectsync
