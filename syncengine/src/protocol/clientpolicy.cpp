// SPDX-License-Identifier: MIT
#include "clientpolicy.h"

#include "wire.h"

#include <objectsync/engine.h>

namespace objectsync::protocol {

namespace {

constexpr int maxTreeDepth = 256;

/*! Why \a id may not be chosen by the client, or an empty string. */
QString refuseId(const QJsonValue &id, const QString &prefix, int clientId)
{
    if (id.isUndefined() || id.isNull())
        return {};
    if (!id.isString())
        return QStringLiteral("an object id must be a string");
    const QString s = id.toString();
    if (s.isEmpty())
        return {}; // the engine refuses it with its own reason
    if (!s.startsWith(prefix) || s.size() == prefix.size())
        return QStringLiteral("object ids chosen by client %1 must start with \"%2\"")
            .arg(clientId)
            .arg(prefix);
    return {};
}

QString refuseTree(const QJsonObject &node, bool checkOwnId, const QString &prefix, int clientId,
                   int depth)
{
    if (depth > maxTreeDepth)
        return QStringLiteral("the serialized tree is nested too deeply");
    if (checkOwnId) {
        const QString why = refuseId(node.value(wire::id), prefix, clientId);
        if (!why.isEmpty())
            return why;
    }
    const QJsonValue children = node.value(wire::children);
    if (!children.isArray())
        return {}; // the engine refuses malformed trees itself
    for (const QJsonValue &child : children.toArray()) {
        if (!child.isObject())
            continue;
        const QString why = refuseTree(child.toObject(), true, prefix, clientId, depth + 1);
        if (!why.isEmpty())
            return why;
    }
    return {};
}

QString refuseCreate(const Change &change, int clientId)
{
    const QJsonObject args = change.value.toObject();
    const QString prefix = clientIdPrefix(clientId);
    const QString why = refuseId(args.value(wire::id), prefix, clientId);
    if (!why.isEmpty())
        return why;
    const QJsonValue serialized = args.value(wire::serialized);
    if (serialized.isObject()) {
        // The root of the tree takes the event's id when one is given.
        return refuseTree(serialized.toObject(), !args.contains(wire::id), prefix, clientId, 0);
    }
    return {};
}

} // namespace

QString clientIdPrefix(int clientId)
{
    return QString::number(clientId) + QLatin1Char('_');
}

QString refuseClientChange(const Engine &engine, const Change &change, int clientId)
{
    const Topic *topic = engine.topic(change.topicName);
    if (!topic || !topic->isSystem())
        return {};
    if (change.type == ChangeType::Emit) {
        if (change.topicName == wire::createObjectTopic)
            return refuseCreate(change, clientId);
        if (change.topicName == wire::destroyObjectTopic)
            return {};
    }
    return QStringLiteral("topic %1 belongs to the engine and cannot be changed by clients; "
                          "objects are created and destroyed with the create_object and "
                          "destroy_object events")
        .arg(change.topicName);
}

} // namespace objectsync::protocol
