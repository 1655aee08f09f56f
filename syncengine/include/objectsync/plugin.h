// SPDX-License-Identifier: MIT
#pragma once

/*!
 * \file plugin.h
 * The interface of an object-type plugin: a shared library the host loads at start-up that
 * adds object types, services, events, topics and scenes to the engine, and hears about
 * clients coming and going.
 *
 * A plugin is usually one source file that ends with OBJECTSYNC_PLUGIN():
 * \code
 * #include <objectsync/plugin.h>
 *
 * class Counter : public objectsync::SObject { ... };
 *
 * OBJECTSYNC_PLUGIN(context)
 * {
 *     context.registerType<Counter>();
 *     context.addScene("counters", "two counters", [](objectsync::Engine &engine) { ... });
 * }
 * \endcode
 * and a CMake call, `objectsync_add_plugin(counter VERSION 1.0.0 SOURCES counter.cpp)`, that
 * generates the rest: the Qt plugin class (QObject, Q_PLUGIN_METADATA, Q_INTERFACES) and its
 * metadata (id, version, description, and the engine API version the plugin is built for).
 * The host reads the metadata before loading the library and refuses a plugin that does not
 * fit.
 *
 * A plugin that needs started(), clientConnected() or clientDisconnected() implements
 * ObjectTypePlugin in a plain class and names it with OBJECTSYNC_PLUGIN_CLASS() instead.
 */

#include <objectsync/access.h>
#include <objectsync/engine.h>
#include <objectsync/room.h>
#include <objectsync/serviceargs.h>

#include <QString>
#include <QtPlugin>
#include <functional>
#include <memory>

namespace objectsync {

/*! Builds a scene: the initial objects of a new, empty workspace. Runs as one transition;
 *  throwing refuses the whole scene. */
using SceneBuilder = std::function<void(Engine &engine)>;

/*!
 * What a plugin uses to declare its contributions during ObjectTypePlugin::initialize().
 *
 * Declarations are collected first and applied to the engine only once initialize() has
 * returned and nothing clashes with what is already there (a type, service, topic or scene
 * name another plugin took). If initialize() throws or a name clashes, none of them is
 * applied: a plugin is never loaded half-way. The context is owned by the host and only
 * valid during initialize().
 *
 * A host with rooms (room.h) calls initialize() once per room, each time with a new context
 * whose engine() is that room's: first for the default room at start-up, then for each room
 * as it opens. Types, services, topics and event handlers are declared into each room's
 * engine; scenes and the access policy belong to the host, and only those declared for the
 * default room count. A service or handler that keeps engine() acts on its own room.
 */
class OBJECTSYNC_EXPORT PluginContext
{
public:
    /*! The engine the plugin will serve (its room's, see above). Keep the pointer for later;
     *  do not change topics or create objects through it during initialize() (use addScene()
     *  for initial objects). */
    virtual Engine *engine() const = 0;
    /*! The plugin's id from its metadata. */
    virtual QString pluginId() const = 0;

    /*! Declares an object type (see Engine::registerType()). */
    virtual void registerType(const ObjectType &type) = 0;
    /*! Declares the SObject subclass \a T (it uses OBJECTSYNC_OBJECT) as a type. */
    template<class T> void registerType() { registerType(objectTypeOf<T>()); }
    /*!
     * Declares a service clients can call with a `request` (see Engine::registerService()).
     * The host opens no transition around a call: each change the service makes outside a
     * transaction is a transition of its own. Open one (Engine::transaction()) to make several
     * changes one all-or-nothing step. While the service runs, Engine::currentOrigin() is the
     * calling client, and every transition it causes carries that origin. ServiceArgs reads
     * the arguments.
     */
    virtual void registerService(const QString &name, ServiceHandler handler) = 0;
    /*! Declares a plain topic (not attached to an object), for example shared settings or
     *  presence. Names starting with "_", "a/", "parent_id/" or "tags/" are reserved. */
    virtual void addTopic(const QString &name, TopicType type, const QJsonValue &initial = {},
                          bool stateful = true) = 0;
    /*! Declares a handler of the event topic \a name, creating the topic if no plugin did.
     *  With \a handler alone it is a behaviour (its changes are recorded and undone); with an
     *  \a inverse as well it is a reversible side effect (see EventTopic). */
    virtual void onEvent(const QString &name, EventHandler handler, EventHandler inverse = {}) = 0;
    /*! Declares a scene the host can build with `--scene NAME` on a new, empty workspace. */
    virtual void addScene(const QString &name, const QString &description,
                          SceneBuilder builder) = 0;
    /*!
     * Declares the host's access policy: who may connect, and what each client may write and
     * call (see AccessPolicy). At most one plugin may provide one; a second is refused like a
     * name clash. The policy is used from the time the host starts serving until it stops.
     */
    virtual void setAccessPolicy(std::shared_ptr<AccessPolicy> policy) = 0;
    /*! The host's rooms (see room.h): to find another room's engine or the name of this
     *  one's (RoomDirectory::nameOf(engine())). Null in a program that has no rooms. */
    virtual RoomDirectory *rooms() const = 0;

protected:
    virtual ~PluginContext() = default;
};

/*!
 * The interface of a plugin. OBJECTSYNC_PLUGIN() implements it with the function it declares;
 * OBJECTSYNC_PLUGIN_CLASS() names a class of yours that implements it. (A plugin may also
 * write its Qt plugin class itself: QObject and ObjectTypePlugin, with
 * `Q_PLUGIN_METADATA(IID ObjectSyncObjectTypePlugin_iid FILE "objectsync_plugin.json")` and
 * `Q_INTERFACES(objectsync::ObjectTypePlugin)`, built with objectsync_add_plugin(... METADATA
 * file.json).) One instance lives from start-up until the host exits; the library is never
 * unloaded while the engine may still hold objects made by it. In a host with rooms that one
 * instance serves every room: initialize() runs once per room, and started(),
 * clientConnected() and clientDisconnected() name the room's engine.
 *
 * Every call happens on the engine's thread. Exceptions thrown by the callbacks are caught
 * by the host and reported; they never stop it.
 */
class OBJECTSYNC_EXPORT ObjectTypePlugin
{
public:
    virtual ~ObjectTypePlugin() = default;

    /*! Declares what the plugin provides. Throw objectsync::Error (or any std::exception)
     *  to refuse to load, for example when a resource is missing; the host then reports the
     *  message and carries on without the plugin. */
    virtual void initialize(PluginContext &context) = 0;

    /*! The host is ready: the workspace has been restored (or is new), the scene built and
     *  every plugin's topics exist; clients are served from now on. Runs inside a transition
     *  of the host (origin 0), for example to reset state that must not outlive a restart
     *  such as presence; throwing reverts its changes. */
    virtual void started(Engine &engine) { Q_UNUSED(engine) }

    /*! A client has connected. Runs inside a transition whose origin is \a clientId, so
     *  changes made here reach every client as one update; throwing reverts them. */
    virtual void clientConnected(Engine &engine, int clientId, const QString &address)
    {
        Q_UNUSED(engine)
        Q_UNUSED(clientId)
        Q_UNUSED(address)
    }
    /*! A client has gone. Runs inside a transition whose origin is \a clientId. */
    virtual void clientDisconnected(Engine &engine, int clientId)
    {
        Q_UNUSED(engine)
        Q_UNUSED(clientId)
    }
};

} // namespace objectsync

/*! The interface id. Its version changes whenever ObjectTypePlugin or PluginContext change
 *  in a way that breaks compiled plugins. */
#define ObjectSyncObjectTypePlugin_iid "org.objectsync.ObjectTypePlugin/1.2"

Q_DECLARE_INTERFACE(objectsync::ObjectTypePlugin, ObjectSyncObjectTypePlugin_iid)

namespace objectsync::detail {

/*!
 * Not for direct use. Defined by OBJECTSYNC_PLUGIN() or OBJECTSYNC_PLUGIN_CLASS() in the
 * plugin's sources; the Qt plugin class that objectsync_add_plugin() generates calls it once
 * and owns what it returns. Declared hidden so that a plugin built without either macro fails
 * to link, naming this function, instead of failing to load in the host.
 */
Q_DECL_HIDDEN ObjectTypePlugin *createPluginDeclaredWithOBJECTSYNC_PLUGIN();

/*! Not for direct use: the plugin OBJECTSYNC_PLUGIN() makes, an initialize() function. */
class OBJECTSYNC_EXPORT FunctionPlugin final : public ObjectTypePlugin
{
public:
    using Initialize = void (*)(PluginContext &context);
    explicit FunctionPlugin(Initialize initialize) : m_initialize(initialize) {}
    void initialize(PluginContext &context) override { m_initialize(context); }

private:
    Initialize m_initialize;
};

} // namespace objectsync::detail

/*!
 * Declares the plugin of this library by the body of its initialize() function, which
 * follows the macro; \a context names its objectsync::PluginContext parameter:
 * \code
 * OBJECTSYNC_PLUGIN(context)
 * {
 *     context.registerType<Counter>();
 * }
 * \endcode
 * Use it once per plugin, at file scope (outside any namespace), in a plugin built with
 * objectsync_add_plugin() without METADATA.
 */
#define OBJECTSYNC_PLUGIN(context)                                                                 \
    static void objectsyncInitializePlugin(::objectsync::PluginContext &context);                  \
    ::objectsync::ObjectTypePlugin *                                                               \
    objectsync::detail::createPluginDeclaredWithOBJECTSYNC_PLUGIN()                                \
    {                                                                                              \
        return new ::objectsync::detail::FunctionPlugin(&objectsyncInitializePlugin);              \
    }                                                                                              \
    static void objectsyncInitializePlugin(::objectsync::PluginContext &context)

/*!
 * Declares the plugin of this library as an instance of \a Class, a plain class (no QObject,
 * no Q_PLUGIN_METADATA) implementing objectsync::ObjectTypePlugin, for plugins that react to
 * started(), clientConnected() or clientDisconnected():
 * \code
 * class BoardPlugin : public objectsync::ObjectTypePlugin
 * {
 * public:
 *     void initialize(objectsync::PluginContext &context) override { ... }
 *     void clientConnected(objectsync::Engine &engine, int clientId,
 *                          const QString &address) override { ... }
 * };
 * OBJECTSYNC_PLUGIN_CLASS(BoardPlugin)
 * \endcode
 * Use it once per plugin, at file scope, where \a Class is complete; \a Class may be in a
 * namespace (name it qualified).
 */
#define OBJECTSYNC_PLUGIN_CLASS(Class)                                                             \
    ::objectsync::ObjectTypePlugin *                                                               \
    objectsync::detail::createPluginDeclaredWithOBJECTSYNC_PLUGIN()                                \
    {                                                                                              \
        return new Class;                                                                          \
    }
