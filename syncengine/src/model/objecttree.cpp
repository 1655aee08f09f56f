// SPDX-License-Identifier: MIT
#include <objectsync/engine.h>
#include <objectsync/sobject.h>

#include "engine_p.h"

namespace objectsync {

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
