// SPDX-License-Identifier: MIT
#include "replacestate.h"

#include "enginebridge.h"
#include "restoreplan.h"
#include "snapshotdata.h"

#include <objectsync/engine.h>

#include <QJsonArray>

namespace objectsync::storage {

Result<QJsonObject> buildState(const Engine &typesFrom, const RestorePlan &plan)
{
    Engine scratch;
    const QStringList types = typesFrom.typeNames();
    for (const QString &name : types) {
        const ObjectType *type = typesFrom.objectType(name);
        if (type && !scratch.hasType(name))
            scratch.registerType(*type);
    }
    if (Result<void> applied = applyRestorePlan(scratch, plan, [] { return Result<void>(); });
        !applied)
        return applied.error();
    return captureSnapshot(scratch);
}

namespace {

/*! Gives the existing plain topic \a topic the value \a entry (of a snapshot) holds. */
void assignTopic(Engine &engine, Topic *topic, const QJsonObject &entry)
{
    const QString name = entry.value(QLatin1String("name")).toString();
    const TopicType type = *topicTypeFromName(entry.value(QLatin1String("type")).toString());
    if (!isPlainTopic(topic))
        throw Error(QStringLiteral("\"%1\" names a topic of an object or of the engine here, "
                                   "not a plain topic")
                        .arg(name));
    if (topic->type() != type)
        throw Error(QStringLiteral("topic \"%1\" is a %2 topic here and a %3 topic in the "
                                   "workspace")
                        .arg(name, topicTypeName(topic->type()), topicTypeName(type)));
    if (type == TopicType::Event)
        return;
    const QJsonValue value = entry.contains(QLatin1String("value"))
                                 ? entry.value(QLatin1String("value"))
                                 : defaultValue(type);
    if (topic->value() == value)
        return;
    Change c;
    c.topicName = name;
    c.topicType = type;
    c.type = ChangeType::Set;
    c.value = value;
    engine.applyChange(std::move(c));
}

} // namespace

Result<void> replaceState(Engine &engine, const QJsonObject &state,
                          const std::function<Result<void>()> &beforeCommit)
{
    if (Result<void> valid = validateSnapshot(state); !valid)
        return valid;
    const auto apply = [&](ReplayScope &) {
        const QList<SObject *> children = engine.root()->children();
        for (qsizetype i = children.size() - 1; i >= 0; --i)
            engine.destroyObject(children.at(i));
        const QJsonArray rootTags = state.value(QLatin1String("root_tags")).toArray();
        if (engine.root()->tagsTopic()->get() != rootTags)
            engine.root()->tagsTopic()->set(rootTags);
        for (const QJsonValue &v : state.value(QLatin1String("topics")).toArray()) {
            const QJsonObject entry = v.toObject();
            if (Topic *topic = engine.topic(entry.value(QLatin1String("name")).toString()))
                assignTopic(engine, topic, entry);
            else
                addPlainTopic(engine, entry);
        }
        for (const QJsonValue &v : state.value(QLatin1String("objects")).toArray())
            engine.deserialize(v.toObject(), engine.root(), IdMode::Keep);
    };
    if (Result<void> replayed = replay(&engine, apply, beforeCommit); !replayed)
        return replayed;
    engine.raiseObjectIdCounter(snapshotObjectCounter(state));
    return {};
}

} // namespace objectsync::storage
