// SPDX-License-Identifier: MIT
#include <objectsync/engine.h>

#include "engine_p.h"

namespace objectsync {

namespace {
const QLatin1String kId("id");
const QLatin1String kType("type");
const QLatin1String kAttributes("attributes");
const QLatin1String kTags("tags");
const QLatin1String kChildren("children");
} // namespace

QJsonObject Engine::serialize(const SObject *object) const
{
    if (!object)
        return {};
    QJsonObject attributes;
    const QStringList names = object->attributeNames();
    for (qsizetype i = 0; i < names.size(); ++i) {
        const Topic *t = object->m_attributes.at(i);
        if (t->type() != TopicType::Event)
            attributes.insert(names.at(i), t->value());
    }
    QJsonArray children;
    for (const SObject *c : object->children())
        children.append(serialize(c));
    QJsonObject o;
    o.insert(kId, object->id());
    o.insert(kType, object->typeName());
    o.insert(kAttributes, attributes);
    o.insert(kTags, object->m_tags->get());
    o.insert(kChildren, children);
    return o;
}

namespace {
void collectIds(const QJsonObject &node, QStringList &ids, int depth)
{
    if (depth > 256)
        throw Error(QStringLiteral("serialized tree is nested too deeply"));
    ids.append(node.value(kId).toString());
    for (const QJsonValue &c : node.value(kChildren).toArray())
        collectIds(c.toObject(), ids, depth + 1);
}
} // namespace

SObject *Engine::deserialize(const QJsonObject &data, SObject *parent, IdMode mode)
{
    RestoreContext ctx;
    QStringList ids;
    collectIds(data, ids, 0);
    if (mode == IdMode::Remap) {
        for (const QString &old : std::as_const(ids))
            if (!old.isEmpty())
                ctx.idMap.insert(old, newObjectId());
    }
    RestoreContext *previous = d->restore;
    d->restore = &ctx;
    SObject *result = nullptr;
    try {
        auto t = transaction();
        result = d->restoreNode(data, parent ? parent : d->root);
        d->restore = previous;
        t.commit();
    } catch (...) {
        d->restore = previous;
        throw;
    }
    return result;
}

SObject *EnginePrivate::restoreNode(const QJsonObject &node, SObject *parent)
{
    const QJsonValue type = node.value(kType);
    if (!type.isString())
        throw Error(QStringLiteral("serialized object: \"type\" must be a string"));
    const QJsonValue attributes = node.value(kAttributes);
    if (!attributes.isUndefined() && !attributes.isObject())
        throw Error(QStringLiteral("serialized object: \"attributes\" must be an object"));
    const QJsonValue children = node.value(kChildren);
    if (!children.isUndefined() && !children.isArray())
        throw Error(QStringLiteral("serialized object: \"children\" must be an array"));
    const QJsonValue tags = node.value(kTags);
    if (!tags.isUndefined() && !tags.isArray())
        throw Error(QStringLiteral("serialized object: \"tags\" must be an array"));

    const QString oldId = node.value(kId).toString();
    QString id = restore->idMap.isEmpty() ? oldId : restore->idMap.value(oldId);
    if (id.isEmpty())
        id = q->newObjectId();
    restore->attributes.insert(id, attributes.toObject());
    const QJsonArray tagArray = tags.toArray();
    SObject *o = construct(type.toString(), id, parent, {}, &tagArray);
    restore->attributes.remove(id);
    for (const QJsonValue &c : children.toArray()) {
        if (!c.isObject())
            throw Error(QStringLiteral("serialized object: a child must be an object"));
        restoreNode(c.toObject(), o);
    }
    return o;
}

} // namespace objectsync
