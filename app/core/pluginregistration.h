// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/plugin.h>

#include <QList>

namespace objectsync {

/*!
 * The PluginContext handed to ObjectTypePlugin::initialize(): it only collects what the
 * plugin declares. PluginManager checks the declarations against what is already registered
 * and then applies them all, or none.
 */
class PluginRegistration final : public PluginContext
{
public:
    struct Service
    {
        QString name;
        ServiceHandler handler;
    };
    struct PlainTopic
    {
        QString name;
        TopicType type;
        QJsonValue initial;
        bool stateful;
    };
    struct EventHandlers
    {
        QString name;
        EventHandler handler;
        EventHandler inverse;
    };
    struct Scene
    {
        QString name;
        QString description;
        SceneBuilder builder;
    };

    PluginRegistration(Engine *engine, const QString &pluginId, RoomDirectory *rooms = nullptr);
    ~PluginRegistration() override;

    Engine *engine() const override { return m_engine; }
    QString pluginId() const override { return m_pluginId; }
    RoomDirectory *rooms() const override { return m_rooms; }
    void registerType(const ObjectType &type) override;
    void registerService(const QString &name, ServiceHandler handler) override;
    void addTopic(const QString &name, TopicType type, const QJsonValue &initial,
                  bool stateful) override;
    void onEvent(const QString &name, EventHandler handler, EventHandler inverse) override;
    void addScene(const QString &name, const QString &description, SceneBuilder builder) override;
    void setAccessPolicy(std::shared_ptr<AccessPolicy> policy) override;

    const QList<ObjectType> &types() const { return m_types; }
    const QList<Service> &services() const { return m_services; }
    const QList<PlainTopic> &topics() const { return m_topics; }
    const QList<EventHandlers> &events() const { return m_events; }
    const QList<Scene> &scenes() const { return m_scenes; }
    /*! The access policy the plugin declared, or null. */
    const std::shared_ptr<AccessPolicy> &accessPolicy() const { return m_accessPolicy; }

private:
    void checkUnique(const QString &kind, const QString &name, const QStringList &taken) const;

    Engine *m_engine;
    QString m_pluginId;
    RoomDirectory *m_rooms;
    QList<ObjectType> m_types;
    QList<Service> m_services;
    QList<PlainTopic> m_topics;
    QList<EventHandlers> m_events;
    QList<Scene> m_scenes;
    std::shared_ptr<AccessPolicy> m_accessPolicy;
};

/*! True when plugins may not use \a name for a topic of their own. */
bool isReservedTopicName(const QString &name);

/*!
 * The per-object services that objects of \a type declare (SObject::addService() in
 * preBuild()), without the "<id>/" each object's service names start with. Found by making one
 * object of the type in an engine of its own and throwing it away before build() or init()
 * run. Empty when preBuild() throws.
 */
QStringList objectServicesOf(const ObjectType &type);

} // namespace objectsync
