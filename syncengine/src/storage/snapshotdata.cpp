// SPDX-License-Identifier: MIT
#include "snapshotdata.h"

#include "enginebridge.h"
#include "storage_p.h"

#include <objectsync/engine.h>
#include <objectsync/names.h>

#include <QJsonArray>

namespace objectsync::storage {

namespace {
const QLatin1String kVersion("version");
const QLatin1String kCounter("object_counter");
const QLatin1String kRootTags("root_tags");
const QLatin1String kTopics("topics");
const QLatin1String kObjects("objects");
const QLatin1String kName("name");
const QLatin1String kType("type");
const QLatin1String kStateful("stateful");
const QLatin1String kOrderStrict("order_strict"); // the snapshot format's key
const QLatin1String kValue("value");
const QString &topicListName = names::topicList;
} // namespace

bool isPlainTopic(const Topic *t)
{
    const QString &n = t->name();
    return !t->isSystem() && !n.startsWith(names::attributePrefix) &&
           !n.startsWith(names::parentPrefix) && !n.startsWith(names::tagsPrefix);
}

bool isPristine(const Engine &engine)
{
    if (!engine.root()->children().isEmpty() || engine.root()->tagsTopic()->size() != 0)
        return false;
    const QStringList names = engine.topicNames();
    for (const QString &name : names)
        if (isPlainTopic(engine.topic(name)))
            return false;
    return true;
}

QJsonObject captureSnapshot(const Engine &engine)
{
    QStringList names = engine.topicNames();
    names.sort();
    QJsonArray topics;
    for (const QString &name : std::as_const(names)) {
        const Topic *t = engine.topic(name);
        if (!isPlainTopic(t))
            continue;
        QJsonObject o;
        o.insert(kName, name);
        o.insert(kType, topicTypeName(t->type()));
        o.insert(kStateful, t->isStateful());
        o.insert(kOrderStrict, t->isOrderStrict());
        if (t->type() != TopicType::Event)
            o.insert(kValue, t->value());
        topics.append(o);
    }
    QJsonArray objects;
    for (const SObject *child : engine.root()->children())
        objects.append(engine.serialize(child));
    QJsonObject s;
    s.insert(kVersion, snapshotVersion);
    s.insert(kCounter, qint64(engine.objectIdCounter()));
    s.insert(kRootTags, engine.root()->tagsTopic()->get());
    s.insert(kTopics, topics);
    s.insert(kObjects, objects);
    return s;
}

Result<void> validateSnapshot(const QJsonObject &s)
{
    const auto fail = [](const QString &why) { return Error(ErrorCode::Corrupt, why); };
    const QJsonValue version = s.value(kVersion);
    if (!version.isDouble())
        return fail(QStringLiteral("the snapshot has no version"));
    if (version.toInt() > snapshotVersion)
        return fail(QStringLiteral("the snapshot has version %1; this build reads up to %2")
                        .arg(version.toInt())
                        .arg(snapshotVersion));
    if (!s.value(kCounter).isDouble() || s.value(kCounter).toInteger(-1) < 0)
        return fail(QStringLiteral("the snapshot's object counter is missing"));
    if (!s.value(kRootTags).isArray() || !s.value(kTopics).isArray() ||
        !s.value(kObjects).isArray())
        return fail(QStringLiteral("the snapshot lacks root_tags, topics or objects"));
    for (const QJsonValue &v : s.value(kTopics).toArray()) {
        const QJsonObject t = v.toObject();
        if (!v.isObject() || !t.value(kName).isString() ||
            !topicTypeFromName(t.value(kType).toString()))
            return fail(QStringLiteral("the snapshot holds a malformed topic"));
    }
    for (const QJsonValue &v : s.value(kObjects).toArray())
        if (!v.isObject())
            return fail(QStringLiteral("the snapshot holds a malformed object"));
    return {};
}

void addPlainTopic(Engine &engine, const QJsonObject &t)
{
    const TopicType type = *topicTypeFromName(t.value(kType).toString());
    const QString name = t.value(kName).toString();
    const QJsonValue stateful = t.value(kStateful);
    const QJsonValue orderStrict = t.value(kOrderStrict);
    // The same change the engine makes when a topic is added.
    QJsonObject descriptor;
    descriptor.insert(names::descriptor::type, topicTypeName(type));
    descriptor.insert(names::descriptor::stateful, stateful.isBool() ? stateful.toBool() : true);
    descriptor.insert(names::descriptor::orderStrict,
                      orderStrict.isBool() ? orderStrict.toBool() : true);
    descriptor.insert(names::descriptor::boundaryValue,
                      t.contains(kValue) ? t.value(kValue) : defaultValue(type));
    Change c;
    c.topicName = topicListName;
    c.topicType = TopicType::Dict;
    c.type = ChangeType::Add;
    c.key = name;
    c.value = descriptor;
    engine.applyChange(std::move(c));
}

void restoreSnapshot(Engine &engine, const QJsonObject &s)
{
    if (Result<void> valid = validateSnapshot(s); !valid)
        throw valid.error();
    for (const QJsonValue &v : s.value(kTopics).toArray())
        addPlainTopic(engine, v.toObject());
    const QJsonArray rootTags = s.value(kRootTags).toArray();
    if (!rootTags.isEmpty())
        engine.root()->tagsTopic()->set(rootTags);
    for (const QJsonValue &v : s.value(kObjects).toArray())
        engine.deserialize(v.toObject(), engine.root(), IdMode::Keep);
}

quint64 snapshotObjectCounter(const QJsonObject &snapshot)
{
    return quint64(qMax<qint64>(0, snapshot.value(kCounter).toInteger()));
}

} // namespace objectsync::storage
