// SPDX-License-Identifier: MIT
#include <objectsync/engine.h>
#include <objectsync/sobject.h>

#include "engine_p.h"

namespace objectsync {

// ---- SObject ---------------------------------------------------------------------------

SObject::SObject() = default;

SObject::~SObject()
{
    if (!m_extra || !m_engine)
        return;
    EnginePrivate *d = EnginePrivate::get(m_engine);
    for (const auto &[topicName, id] : std::as_const(m_extra->links)) {
        Topic *t = d->topics.value(topicName);
        if (!t)
            continue;
        if (t->type() == TopicType::Event)
            static_cast<EventTopic *>(t)->off(id);
        t->removeListener(id);
    }
    for (const QString &s : std::as_const(m_extra->services)) {
        if (!m_extra->parkedServices.contains(s)) // parked ones left the registry already
            d->services.remove(s);
    }
}

bool SObject::isDescendantOf(const SObject *other) const
{
    for (const SObject *p = this; p; p = p->m_parent)
        if (p == other)
            return true;
    return false;
}

void SObject::addTag(const QString &tag)
{
    if (!m_tags->contains(tag))
        m_tags->append(tag);
}

void SObject::removeTag(const QString &tag)
{
    if (m_tags->contains(tag))
        m_tags->remove(tag);
}

bool SObject::hasTag(const QString &tag) const
{
    return m_tags->contains(tag);
}

void SObject::setParent(SObject *newParent)
{
    m_engine->moveObject(this, newParent);
}

Topic *SObject::attribute(const QString &name) const
{
    return m_engine->topic(attributeTopicName(name));
}

QStringList SObject::attributeNames() const
{
    QStringList names;
    names.reserve(m_attributes.size());
    const qsizetype prefix = names::attributePrefix.size() + m_id.size() + 1;
    for (const Topic *t : m_attributes)
        names.append(t->name().mid(prefix));
    return names;
}

QString SObject::attributeTopicName(const QString &name) const
{
    QString topicName;
    topicName.reserve(names::attributePrefix.size() + m_id.size() + 1 + name.size());
    topicName.append(names::attributePrefix).append(m_id).append(QLatin1Char('/')).append(name);
    return topicName;
}

bool SObject::isReadOnly(const QString &name) const
{
    return m_extra && m_extra->readOnly.contains(name);
}

QJsonValue SObject::callService(const QString &name, const QJsonObject &args)
{
    return m_engine->callService(m_id + QLatin1Char('/') + name, args);
}

QStringList SObject::serviceNames() const
{
    QStringList names;
    if (m_extra) {
        for (const QString &full : std::as_const(m_extra->services))
            names.append(full.mid(m_id.size() + 1));
    }
    return names;
}

void SObject::preBuild(const QJsonObject &) {}
void SObject::build(const QJsonObject &) {}
void SObject::init() {}
void SObject::onDestroy() {}

Topic *SObject::declareAttribute(const QString &name, TopicType type, const QJsonValue &initial,
                                 bool reference, ClientAccess access)
{
    if (name.isEmpty())
        throw Error(QStringLiteral("an attribute needs a name"));
    EnginePrivate *d = EnginePrivate::get(m_engine);
    const QString topicName = attributeTopicName(name);
    Topic *t = d->topics.value(topicName);
    if (t) {
        if (t->type() != type)
            throw Error(QStringLiteral("attribute %1 of %2 is a %3, not a %4")
                            .arg(name, m_id, topicTypeName(t->type()), topicTypeName(type)));
    } else {
        if (m_live)
            throw Error(QStringLiteral("attribute %1 of %2 is missing").arg(name, m_id));
        QJsonValue value = initial;
        if (d->restore) {
            const QJsonObject stored = d->restore->attributes.value(m_id);
            if (stored.contains(name)) {
                value = stored.value(name);
                if (reference && !d->restore->idMap.isEmpty()) {
                    const auto map = [&](const QJsonValue &v) -> QJsonValue {
                        const auto it = d->restore->idMap.constFind(v.toString());
                        return v.isString() && it != d->restore->idMap.cend() ? QJsonValue(*it) : v;
                    };
                    if (value.isString()) {
                        value = map(value);
                    } else if (value.isArray()) {
                        QJsonArray a;
                        for (const QJsonValue &v : value.toArray())
                            a.append(map(v));
                        value = a;
                    } else if (value.isObject()) {
                        QJsonObject o = value.toObject();
                        for (auto it = o.begin(); it != o.end(); ++it)
                            it.value() = map(it.value());
                        value = o;
                    }
                }
            }
        }
        t = d->addTopicByChange(topicName, type, value, true, true);
    }
    t->m_reference = reference;
    if (!m_attributes.contains(t))
        m_attributes.append(t);
    setAccess(name, access);
    return t;
}

void SObject::setAccess(const QString &name, ClientAccess access)
{
    if (access == ClientAccess::ReadOnly) {
        if (!m_extra)
            m_extra = std::make_unique<Extra>();
        if (!m_extra->readOnly.contains(name))
            m_extra->readOnly.append(name);
    } else if (m_extra) {
        m_extra->readOnly.removeOne(name); // the latest declaration counts
    }
}

EventTopic *SObject::addEvent(const QString &name, EventHandler handler, EventHandler inverse,
                              ClientAccess access)
{
    auto *t = static_cast<EventTopic *>(
        declareAttribute(name, TopicType::Event, QJsonValue(), false, access));
    if (handler || inverse)
        link(t, t->on(std::move(handler), std::move(inverse)));
    return t;
}

void SObject::addService(const QString &name,
                         std::function<QJsonValue(const QJsonObject &)> handler)
{
    const QString full = m_id + QLatin1Char('/') + name;
    if (!m_extra)
        m_extra = std::make_unique<Extra>();
    if (m_extra->services.contains(full))
        return; // declared again when the object is restored
    m_engine->registerService(full, std::move(handler));
    m_extra->services.append(full);
}

void SObject::link(Topic *topic, ListenerId id)
{
    if (!m_extra)
        m_extra = std::make_unique<Extra>();
    m_extra->links.append({topic->name(), id});
}

void SObject::listen(Topic *topic, ChangeListener fn, ListenerKind kind)
{
    link(topic, topic->addListener(std::move(fn), kind));
}

// ---- references ------------------------------------------------------------------------

SObject *ObjectRef::get() const
{
    return m_topic ? m_topic->engine()->object(m_topic->get()) : nullptr;
}

void ObjectRef::set(const SObject *object)
{
    m_topic->set(object ? object->id() : QString());
}

namespace {
QList<SObject *> resolve(Engine *engine, const QJsonArray &ids)
{
    QList<SObject *> out;
    for (const QJsonValue &v : ids)
        if (SObject *o = engine->object(v.toString()))
            out.append(o);
    return out;
}
} // namespace

QList<SObject *> ObjectListRef::objects() const
{
    return resolve(m_topic->engine(), m_topic->get());
}

void ObjectListRef::append(const SObject *object)
{
    m_topic->append(object->id());
}

void ObjectListRef::insert(qint64 position, const SObject *object)
{
    m_topic->insert(position, object->id());
}

void ObjectListRef::pop(qint64 position)
{
    m_topic->pop(position);
}

QList<SObject *> ObjectSetRef::objects() const
{
    return resolve(m_topic->engine(), m_topic->get());
}

bool ObjectSetRef::contains(const SObject *object) const
{
    return m_topic->contains(object->id());
}

void ObjectSetRef::add(const SObject *object)
{
    m_topic->append(object->id());
}

void ObjectSetRef::remove(const SObject *object)
{
    m_topic->remove(object->id());
}

SObject *ObjectDictRef::get(const QString &key) const
{
    return m_topic->engine()->object(m_topic->value(key).toString());
}

void ObjectDictRef::add(const QString &key, const SObject *object)
{
    m_topic->add(key, object->id());
}

void ObjectDictRef::pop(const QString &key)
{
    m_topic->pop(key);
}

void ObjectDictRef::changeValue(const QString &key, const SObject *object)
{
    m_topic->changeValue(key, object->id());
}

// ---- types -----------------------------------------------------------------------------

void Engine::registerType(const ObjectType &type)
{
    if (type.name.isEmpty() || !type.factory)
        throw Error(QStringLiteral("an object type needs a name and a factory"));
    if (d->types.contains(type.name))
        throw Error(QStringLiteral("object type \"%1\" is already registered").arg(type.name));
    d->types.insert(type.name, type);
    d->typeValues.insert(type.name, {QJsonValue(type.name), QJsonValue(type.frontendType)});
}

bool Engine::hasType(const QString &name) const
{
    return d->types.contains(name);
}

QStringList Engine::typeNames() const
{
    QStringList n = d->types.keys();
    n.sort();
    return n;
}

const ObjectType *Engine::objectType(const QString &name) const
{
    const auto it = d->types.constFind(name);
    return it == d->types.cend() ? nullptr : &it.value();
}

// ---- objects ---------------------------------------------------------------------------

SObject *Engine::root() const
{
    return d->root;
}

SObject *Engine::object(const QString &id) const
{
    SObject *o = d->objects.value(id);
    return o && o->m_live ? o : nullptr;
}

qsizetype Engine::objectCount() const
{
    return d->objects.size();
}

QStringList Engine::objectIds() const
{
    return d->objects.keys();
}

QString Engine::newObjectId()
{
    QString id;
    do {
        id = QStringLiteral("0_") + QString::number(++d->objectCounter);
    } while (d->objects.contains(id) || d->topics.contains(names::parentPrefix + id));
    return id;
}

void EnginePrivate::validateNewId(const QString &id) const
{
    if (id.isEmpty() || id.size() > 128 || id.contains(QLatin1Char('/')))
        throw Error(QStringLiteral("\"%1\" is not a valid object id").arg(id.left(140)));
    if (objects.contains(id) || topics.contains(names::parentPrefix + id))
        throw Error(QStringLiteral("object id \"%1\" is already in use").arg(id));
}

SObject *Engine::createObject(const QString &typeName, SObject *parent, const QString &id,
                              const QJsonObject &buildArgs)
{
    auto t = transaction();
    SObject *o = d->construct(typeName, id.isEmpty() ? newObjectId() : id,
                              parent ? parent : d->root, buildArgs, nullptr);
    t.commit();
    return o;
}

SObject *EnginePrivate::construct(const QString &typeName, const QString &id, SObject *parent,
                                  const QJsonObject &buildArgs, const QJsonArray *tags)
{
    const auto typeIt = types.constFind(typeName);
    if (typeIt == types.cend())
        throw Error(QStringLiteral("unknown object type \"%1\"").arg(typeName));
    if (typeName == names::rootType)
        throw Error(QStringLiteral("there is only one root"));
    if (!parent || !parent->m_live || parent->m_engine != q)
        throw Error(QStringLiteral("the parent does not exist"));
    validateNewId(id);
    auto t = q->transaction();
    SObject *o = typeIt->factory();
    if (!o)
        throw Error(QStringLiteral("the factory of \"%1\" made no object").arg(typeName));
    o->m_engine = q;
    o->m_id = id;
    o->m_typeName = typeIt->name;
    o->m_frontendType = typeIt->frontendType;
    o->m_hostOnly = typeIt->hostOnly;
    o->m_parent = parent; // not among its children before it goes live
    objects.insert(id, o);
    const TypeValues &values = typeValues[typeName];
    try {
        o->m_parentId = static_cast<StringTopic *>(
            addTopicByChange(names::parentPrefix + id, TopicType::String,
                             QJsonValue(QJsonValue::Undefined), true, true, &parent->m_id));
        o->m_tags = static_cast<SetTopic *>(
            addTopicByChange(names::tagsPrefix + id, TopicType::Set,
                             tags ? QJsonValue(*tags) : QJsonArray(), false, true));
        objectTypesTopic->add(id, values.typeName);
        o->preBuild(buildArgs);
        objectsTopic->add(id, values.frontendType); // the object goes live
    } catch (...) {
        if (!o->m_live) {
            objects.remove(id);
            delete o;
        }
        throw;
    }
    tx.pendingInit.append(id); // before the children build() makes: parents first
    if (!restore)
        o->build(buildArgs);
    t.commit();
    return o;
}

void EnginePrivate::objectAdded(const QString &id)
{
    SObject *o = objects.value(id);
    if (o && o->m_live)
        return; // an object whose removal was refused
    if (!o && tx.rollingBack && (o = reviveObject(id)))
        return;
    if (!o) {
        // Restored by undo, redo or a replayed transition: its topics exist already.
        const QString typeName = objectTypesTopic->value(id).toString();
        const auto typeIt = types.constFind(typeName);
        if (typeIt == types.cend())
            throw Error(QStringLiteral("unknown object type \"%1\"").arg(typeName));
        o = typeIt->factory();
        o->m_engine = q;
        o->m_id = id;
        o->m_typeName = typeName;
        o->m_frontendType = typeIt->frontendType;
        o->m_hostOnly = typeIt->hostOnly;
        o->m_parentId = q->topicAs<StringTopic>(names::parentPrefix + id);
        o->m_tags = q->topicAs<SetTopic>(names::tagsPrefix + id);
        if (!o->m_parentId || !o->m_tags) {
            delete o;
            throw Error(QStringLiteral("object %1 has no parent_id or tags topic").arg(id));
        }
        objects.insert(id, o);
        try {
            o->preBuild({});
        } catch (...) {
            objects.remove(id);
            delete o;
            throw;
        }
        tx.pendingInit.append(id);
    }
    SObject *parent = objects.value(o->m_parentId->get());
    if (!parent || !parent->m_live)
        throw Error(QStringLiteral("the parent of %1 does not exist").arg(id));
    o->m_parent = parent;
    parent->m_children.append(o);
    o->m_live = true;
    emit q->objectCreated(o);
}

void EnginePrivate::objectRemoved(const QString &id)
{
    SObject *o = objects.value(id);
    if (!o)
        return;
    if (o == root)
        throw Error(QStringLiteral("the root cannot be removed"));
    if (!o->m_children.isEmpty())
        throw Error(QStringLiteral("object %1 cannot be removed before its children").arg(id));
    emit q->objectAboutToBeDestroyed(o);
    qsizetype index = -1;
    if (o->m_parent) {
        index = o->m_parent->m_children.indexOf(o);
        if (index >= 0)
            o->m_parent->m_children.removeAt(index);
    }
    o->m_live = false;
    objects.remove(id);
    if (o->m_extra) {
        // Free the service names now: a new object with this id may need them.
        for (const QString &name : std::as_const(o->m_extra->services)) {
            if (auto it = services.find(name); it != services.end()) {
                o->m_extra->parkedServices.insert(name, it.value());
                services.erase(it);
            }
        }
    }
    deadObjects.append({o, index});
}

SObject *EnginePrivate::reviveObject(const QString &id)
{
    for (qsizetype i = objectReviveLimit - 1; i >= 0; --i) {
        const DeadObject dead = deadObjects.at(i);
        SObject *o = dead.object;
        if (o->m_id != id)
            continue;
        SObject *parent = objects.value(o->m_parentId->get());
        if (!parent || !parent->m_live)
            return nullptr;
        deadObjects.removeAt(i);
        --objectReviveLimit;
        objects.insert(id, o);
        o->m_parent = parent;
        const qsizetype index = dead.index < 0 ? parent->m_children.size()
                                               : qMin(dead.index, parent->m_children.size());
        parent->m_children.insert(index, o);
        o->m_live = true;
        if (o->m_extra) {
            for (auto it = o->m_extra->parkedServices.cbegin();
                 it != o->m_extra->parkedServices.cend(); ++it) {
                if (!services.contains(it.key()))
                    services.insert(it.key(), it.value());
            }
            o->m_extra->parkedServices.clear();
        }
        emit q->objectCreated(o);
        return o;
    }
    return nullptr;
}

void EnginePrivate::validateMove(Topic *t, const Change &c) const
{
    const QString id = ownerOf(t->name());
    SObject *o = objects.value(id);
    if (!o || !o->m_live)
        throw Error(QStringLiteral("object %1 does not exist").arg(id));
    if (o == root)
        throw Error(QStringLiteral("the root cannot be moved"));
    SObject *target = objects.value(c.value.toString());
    if (!c.value.isString() || !target || !target->m_live)
        throw Error(QStringLiteral("the new parent of %1 does not exist").arg(id));
    if (target->isDescendantOf(o))
        throw Error(QStringLiteral("%1 cannot move into its own subtree").arg(id));
}

void EnginePrivate::parentChanged(Topic *t, const Change &c)
{
    SObject *o = objects.value(ownerOf(t->name()));
    if (!o || !o->m_live)
        return;
    SObject *oldParent = o->m_parent;
    SObject *newParent = objects.value(c.value.toString());
    if (!newParent || oldParent == newParent)
        return;
    qsizetype oldIndex = -1;
    if (oldParent) {
        oldIndex = oldParent->m_children.indexOf(o);
        if (oldIndex >= 0)
            oldParent->m_children.removeAt(oldIndex);
    }
    qsizetype newIndex = newParent->m_children.size();
    if (tx.rollingBack) {
        // Reverting a move: back to the place it had.
        if (!tx.moves.isEmpty() && tx.moves.last().first == o) {
            if (tx.moves.last().second >= 0)
                newIndex = qMin(tx.moves.last().second, newIndex);
            tx.moves.removeLast();
        }
    } else {
        tx.moves.append({o, oldIndex});
    }
    newParent->m_children.insert(newIndex, o);
    o->m_parent = newParent;
    emit q->objectMoved(o, oldParent);
}

void Engine::moveObject(SObject *object, SObject *newParent)
{
    if (!object || !newParent || object->m_engine != this || newParent->m_engine != this)
        throw Error(QStringLiteral("moving needs an object and a new parent of this engine"));
    object->m_parentId->set(newParent->id());
}

void Engine::destroyObject(SObject *object)
{
    if (!object || !object->m_live || object->m_engine != this)
        throw Error(QStringLiteral("the object does not exist"));
    if (object == d->root)
        throw Error(QStringLiteral("the root cannot be destroyed"));
    auto t = transaction();
    d->destroyRecursive(object);
    t.commit();
}

void EnginePrivate::destroyRecursive(SObject *o)
{
    const QList<SObject *> children = o->m_children;
    for (qsizetype i = children.size() - 1; i >= 0; --i)
        destroyRecursive(children.at(i));
    o->onDestroy();
    const QString id = o->m_id;
    const QList<Topic *> attributes = o->m_attributes;
    objectsTopic->pop(id); // the object is no longer live
    for (qsizetype i = attributes.size() - 1; i >= 0; --i)
        removeTopicByChange(attributes.at(i)->name());
    removeTopicByChange(names::tagsPrefix + id);
    removeTopicByChange(names::parentPrefix + id);
    objectTypesTopic->pop(id);
}

namespace {
/*! The event argument \a key: undefined when missing or null; refused when present with
 *  another JSON type than \a expected (a client's mistake must not be guessed around). */
QJsonValue eventArgument(const QJsonObject &args, QLatin1String key, QJsonValue::Type expected)
{
    const QJsonValue v = args.value(key);
    if (v.isUndefined() || v.isNull())
        return QJsonValue(QJsonValue::Undefined);
    if (v.type() != expected)
        throw Error(QStringLiteral("\"%1\" has the wrong type").arg(key));
    return v;
}
} // namespace

void EnginePrivate::onCreateObjectEvent(const QJsonObject &args)
{
    const QJsonValue parentValue =
        eventArgument(args, QLatin1String("parent_id"), QJsonValue::String);
    const QJsonValue idValue = eventArgument(args, QLatin1String("id"), QJsonValue::String);
    const QJsonValue serialized =
        eventArgument(args, QLatin1String("serialized"), QJsonValue::Object);
    const QJsonValue buildArgs =
        eventArgument(args, QLatin1String("build_kwargs"), QJsonValue::Object);
    const QString parentId = parentValue.toString(names::rootId);
    SObject *parent = objects.value(parentId.isEmpty() ? names::rootId : parentId);
    if (!parent || !parent->m_live)
        throw Error(QStringLiteral("the parent does not exist"));
    if (serialized.isObject()) {
        QJsonObject data = serialized.toObject();
        if (idValue.isString())
            data.insert(QLatin1String("id"), idValue);
        q->deserialize(data, parent, IdMode::Keep);
        return;
    }
    const QJsonValue type = eventArgument(args, QLatin1String("type"), QJsonValue::String);
    const QString id = idValue.isString() ? idValue.toString() : q->newObjectId();
    construct(type.toString(), id, parent, buildArgs.toObject(), nullptr);
}

void EnginePrivate::onDestroyObjectEvent(const QJsonObject &args)
{
    SObject *o = q->object(args.value(QLatin1String("id")).toString());
    if (!o)
        throw Error(QStringLiteral("the object does not exist"));
    q->destroyObject(o);
}

} // namespace objectsync
