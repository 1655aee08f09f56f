// SPDX-License-Identifier: MIT
#include "clientpolicy.h"

#include "wire.h"

#include <objectsync/engine.h>
#include <objectsync/names.h>

#include <QSet>

namespace objectsync::protocol {

namespace {

constexpr int maxTreeDepth = 256;

using names::attributePrefix;
using names::parentPrefix;
using names::tagsPrefix;
const QString &objectTypesTopic = names::objectTypes;
// Fields of the create_object event's arguments and of serialized objects.
constexpr QLatin1String typeField("type");

/*! Which part of an object a topic is. */
struct ObjectPart
{
    enum Kind : quint8 { None, Attribute, Parent, Tags };
    Kind kind = None;
    QString objectId;
    QString attribute; //!< for Attribute
};

ObjectPart partOf(const QString &topicName)
{
    ObjectPart part;
    if (topicName.startsWith(attributePrefix)) {
        const qsizetype slash = topicName.indexOf(QLatin1Char('/'), attributePrefix.size());
        if (slash < 0)
            return part;
        part.kind = ObjectPart::Attribute;
        part.objectId = topicName.mid(attributePrefix.size(), slash - attributePrefix.size());
        part.attribute = topicName.mid(slash + 1);
    } else if (topicName.startsWith(parentPrefix)) {
        part.kind = ObjectPart::Parent;
        part.objectId = topicName.mid(parentPrefix.size());
    } else if (topicName.startsWith(tagsPrefix)) {
        part.kind = ObjectPart::Tags;
        part.objectId = topicName.mid(tagsPrefix.size());
    }
    return part;
}

Error hostOwned(const QString &id, const char *what)
{
    return Error(ErrorCode::PermissionDenied,
                 QStringLiteral("object '%1' belongs to the host: clients may not %2")
                     .arg(id, QLatin1String(what)));
}

/*! Why a client may not change the object topic \a topicName, or an empty string. */
Result<void> refuseObjectTopic(const Engine &engine, const QString &topicName)
{
    const ObjectPart part = partOf(topicName);
    if (part.kind == ObjectPart::None)
        return {};
    const SObject *object = engine.object(part.objectId);
    if (!object)
        return {};
    if (object->isHostOnly()) {
        switch (part.kind) {
        case ObjectPart::Parent:
            return hostOwned(part.objectId, "move it");
        case ObjectPart::Tags:
            return hostOwned(part.objectId, "change its tags");
        default:
            return hostOwned(part.objectId, "change its attributes");
        }
    }
    if (part.kind == ObjectPart::Attribute && object->isReadOnly(part.attribute))
        return Error(ErrorCode::PermissionDenied,
                     QStringLiteral("attribute '%1' of object '%2' is read-only")
                         .arg(part.attribute, part.objectId));
    return {};
}

/*! Why a client may not create an object of type \a type, or an empty string. */
Result<void> refuseType(const Engine &engine, const QJsonValue &type)
{
    if (!type.isString())
        return {}; // the engine refuses it with its own reason
    const ObjectType *t = engine.objectType(type.toString());
    if (t && t->hostOnly)
        return Error(
            ErrorCode::PermissionDenied,
            QStringLiteral("objects of type '%1' belong to the host: clients may not create "
                           "them")
                .arg(t->name));
    return {};
}

/*! Why \a id may not be chosen by the client, or an empty string. */
Result<void> refuseId(const QJsonValue &id, const QString &prefix, int clientId)
{
    if (id.isUndefined() || id.isNull())
        return {};
    if (!id.isString())
        return Error(ErrorCode::InvalidArgument, QStringLiteral("an object id must be a string"));
    const QString s = id.toString();
    if (s.isEmpty())
        return {}; // the engine refuses it with its own reason
    if (!s.startsWith(prefix) || s.size() == prefix.size())
        return Error(ErrorCode::PermissionDenied,
                     QStringLiteral("object ids chosen by client %1 must start with \"%2\"")
                         .arg(clientId)
                         .arg(prefix));
    return {};
}

Result<void> refuseTree(const Engine &engine, const QJsonObject &node, bool checkOwnId,
                        const QString &prefix, int clientId, int depth)
{
    if (depth > maxTreeDepth)
        return Error(ErrorCode::LimitExceeded,
                     QStringLiteral("the serialized tree is nested too deeply"));
    if (checkOwnId) {
        const Result<void> why = refuseId(node.value(wire::id), prefix, clientId);
        if (!why)
            return why;
    }
    if (const Result<void> why = refuseType(engine, node.value(typeField)); !why)
        return why;
    const QJsonValue children = node.value(wire::children);
    if (!children.isArray())
        return {}; // the engine refuses malformed trees itself
    for (const QJsonValue &child : children.toArray()) {
        if (!child.isObject())
            continue;
        const Result<void> why =
            refuseTree(engine, child.toObject(), true, prefix, clientId, depth + 1);
        if (!why)
            return why;
    }
    return {};
}

Result<void> refuseCreate(const Engine &engine, const Change &change, int clientId)
{
    const QJsonObject args = change.value.toObject();
    const QString prefix = clientIdPrefix(clientId);
    Result<void> why = refuseId(args.value(wire::id), prefix, clientId);
    if (!why)
        return why;
    why = refuseType(engine, args.value(typeField));
    if (!why)
        return why;
    const QJsonValue serialized = args.value(wire::serialized);
    if (serialized.isObject()) {
        // The root of the tree takes the event's id when one is given.
        return refuseTree(engine, serialized.toObject(), !args.contains(wire::id), prefix, clientId,
                          0);
    }
    return {};
}

/*! True when a strict descendant of \a object is host-only. */
bool holdsHostOnly(const SObject *object)
{
    QList<const SObject *> pending(object->children().cbegin(), object->children().cend());
    while (!pending.isEmpty()) {
        const SObject *o = pending.takeLast();
        if (o->isHostOnly())
            return true;
        for (const SObject *child : o->children())
            pending.append(child);
    }
    return false;
}

Result<void> refuseDestroy(const Engine &engine, const Change &change)
{
    const QJsonValue id = change.value.toObject().value(wire::id);
    const SObject *object = id.isString() ? engine.object(id.toString()) : nullptr;
    if (!object)
        return {}; // the engine refuses it with its own reason
    if (object->isHostOnly())
        return hostOwned(object->id(), "destroy it");
    if (holdsHostOnly(object))
        return Error(
            ErrorCode::PermissionDenied,
            QStringLiteral("object '%1' holds objects that belong to the host: clients may "
                           "not destroy it")
                .arg(object->id()));
    return {};
}

} // namespace

QString clientIdPrefix(int clientId)
{
    return QString::number(clientId) + QLatin1Char('_');
}

Result<void> refuseClientChange(const Engine &engine, const Change &change, int clientId)
{
    const Topic *topic = engine.topic(change.topicName);
    if (!topic)
        return {}; // the engine refuses it with its own reason
    if (!topic->isSystem())
        return refuseObjectTopic(engine, change.topicName);
    if (change.type == ChangeType::Emit) {
        if (change.topicName == names::createObject)
            return refuseCreate(engine, change, clientId);
        if (change.topicName == names::destroyObject)
            return refuseDestroy(engine, change);
    }
    return Error(ErrorCode::PermissionDenied,
                 QStringLiteral("topic %1 belongs to the engine and cannot be changed by clients; "
                                "objects are created and destroyed with the create_object and "
                                "destroy_object events")
                     .arg(change.topicName));
}

Result<void> refuseClientUndo(const Engine &engine, const QList<Change> &changes,
                              int recordedOrigin, int clientId)
{
    if (recordedOrigin == clientId)
        return {}; // what its own action or request caused
    // Objects the undo or redo creates or destroys: their type decides. Their other topics
    // appear and disappear with them.
    QSet<QString> createdOrDestroyed;
    for (const Change &c : changes) {
        if (c.topicName != objectTypesTopic ||
            (c.type != ChangeType::Add && c.type != ChangeType::Pop))
            continue;
        const QJsonValue typeName = c.type == ChangeType::Add ? c.value : c.oldValue;
        const ObjectType *type = engine.objectType(typeName.toString());
        if (type && type->hostOnly)
            return hostOwned(c.key, c.type == ChangeType::Add ? "create it" : "destroy it");
        createdOrDestroyed.insert(c.key);
    }
    for (const Change &c : changes) {
        const ObjectPart part = partOf(c.topicName);
        if (part.kind == ObjectPart::None || createdOrDestroyed.contains(part.objectId))
            continue;
        const Result<void> why = refuseObjectTopic(engine, c.topicName);
        if (!why)
            return why;
    }
    return {};
}

} // namespace objectsync::protocol
