// SPDX-License-Identifier: MIT
#include "pluginregistration.h"

#include <objectsync/engine.h>
#include <objectsync/error.h>
#include <objectsync/names.h>

namespace objectsync {

bool isReservedTopicName(const QString &name)
{
    return name.isEmpty() || names::isReserved(name) || name == names::createObject ||
           name == names::destroyObject;
}

PluginRegistration::PluginRegistration(Engine *engine, const QString &pluginId,
                                       RoomDirectory *rooms)
    : m_engine(engine), m_pluginId(pluginId), m_rooms(rooms)
{}

PluginRegistration::~PluginRegistration() = default;

void PluginRegistration::checkUnique(const QString &kind, const QString &name,
                                     const QStringList &taken) const
{
    if (taken.contains(name))
        throw Error(QStringLiteral("%1 \"%2\" is declared twice").arg(kind, name));
}

void PluginRegistration::registerType(const ObjectType &type)
{
    if (type.name.isEmpty() || type.frontendType.isEmpty() || !type.factory)
        throw Error(QStringLiteral("an object type needs a name, a frontend type and a factory"));
    QStringList taken;
    for (const ObjectType &t : std::as_const(m_types))
        taken.append(t.name);
    checkUnique(QStringLiteral("object type"), type.name, taken);
    m_types.append(type);
}

void PluginRegistration::registerService(const QString &name, ServiceHandler handler)
{
    if (name.isEmpty() || !handler)
        throw Error(QStringLiteral("a service needs a name and a handler"));
    QStringList taken;
    for (const Service &s : std::as_const(m_services))
        taken.append(s.name);
    checkUnique(QStringLiteral("service"), name, taken);
    m_services.append({name, std::move(handler)});
}

void PluginRegistration::addTopic(const QString &name, TopicType type, const QJsonValue &initial,
                                  bool stateful)
{
    if (isReservedTopicName(name))
        throw Error(QStringLiteral("the topic name \"%1\" is reserved").arg(name));
    if (type == TopicType::Event)
        throw Error(QStringLiteral("declare event topics with onEvent() (\"%1\")").arg(name));
    QStringList taken;
    for (const PlainTopic &t : std::as_const(m_topics))
        taken.append(t.name);
    for (const EventHandlers &e : std::as_const(m_events))
        taken.append(e.name);
    checkUnique(QStringLiteral("topic"), name, taken);
    m_topics.append({name, type, initial, stateful});
}

void PluginRegistration::onEvent(const QString &name, EventHandler handler, EventHandler inverse)
{
    if (isReservedTopicName(name))
        throw Error(QStringLiteral("the topic name \"%1\" is reserved").arg(name));
    if (!handler && !inverse)
        throw Error(QStringLiteral("event \"%1\" needs a handler").arg(name));
    for (const PlainTopic &t : std::as_const(m_topics))
        if (t.name == name)
            throw Error(QStringLiteral("topic \"%1\" is declared twice").arg(name));
    m_events.append({name, std::move(handler), std::move(inverse)});
}

void PluginRegistration::addScene(const QString &name, const QString &description,
                                  SceneBuilder builder)
{
    if (name.isEmpty() || !builder)
        throw Error(QStringLiteral("a scene needs a name and a builder"));
    QStringList taken;
    for (const Scene &s : std::as_const(m_scenes))
        taken.append(s.name);
    checkUnique(QStringLiteral("scene"), name, taken);
    m_scenes.append({name, description, std::move(builder)});
}

void PluginRegistration::setAccessPolicy(std::shared_ptr<AccessPolicy> policy)
{
    if (!policy)
        throw Error(QStringLiteral("an access policy cannot be null"));
    if (m_accessPolicy)
        throw Error(QStringLiteral("an access policy is declared twice"));
    m_accessPolicy = std::move(policy);
}

QStringList objectServicesOf(const ObjectType &type)
{
    Engine scratch;
    QStringList names;
    // Restoring an object runs its preBuild() but not build(); throwing before the transition
    // commits keeps init() from running too, and reverts everything.
    // Always refused (the object is only made to be read), so the result says nothing.
    static_cast<void>(scratch.tryTransition([&] {
        scratch.registerType(type);
        const SObject *object = scratch.deserialize(
            QJsonObject{{QStringLiteral("type"), type.name}}, nullptr, IdMode::Remap);
        names = object ? object->serviceNames() : QStringList();
        throw Error(QStringLiteral("an object made to read its services is never kept"));
    }));
    return names;
}

} // namespace objectsync
