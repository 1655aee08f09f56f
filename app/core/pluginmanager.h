// SPDX-License-Identifier: MIT
#pragma once

#include "plugininfo.h"

#include <objectsync/change.h>
#include <objectsync/result.h>

#include <QHash>
#include <QObject>
#include <functional>
#include <memory>

QT_BEGIN_NAMESPACE
class QPluginLoader;
QT_END_NAMESPACE

namespace objectsync {

class AccessPolicy;
class Engine;
class ObjectTypePlugin;
class PluginRegistration;
class RoomDirectory;

/*!
 * Finds, checks and loads object-type plugins for one engine, keeps the list of every plugin
 * file with its state, offers the scenes the plugins declared and tells the plugins about
 * clients.
 *
 * A plugin that does not fit is refused with a reason naming its file; the others load as
 * usual. Loaded libraries stay loaded for the life of the process, since the engine may hold
 * objects whose code lives in them: destroy the engine before the manager's plugins go.
 */
class PluginManager : public QObject
{
    Q_OBJECT
public:
    explicit PluginManager(Engine *engine, QObject *parent = nullptr);
    ~PluginManager() override;

    /*! Where the host looks when not told: <exe dir>/../plugins,
     *  <exe dir>/../<libdir>/objectsync/plugins and the installed plugin directory. Only the
     *  directories that exist, each once. */
    static QStringList defaultSearchPaths();

    /*! Loads every plugin library in \a directories, in order, files sorted by name.
     *  Returns how many new plugins loaded. A missing directory is reported and skipped. */
    int loadDirectories(const QStringList &directories);
    /*! Checks and loads one library. Returns its entry in plugins(). */
    PluginInfo loadFile(const QString &fileName);

    /*! Every plugin file seen so far, in the order it was seen. */
    const PluginInfoList &plugins() const { return m_infos; }
    /*! The loaded plugin with \a id, or null. */
    ObjectTypePlugin *plugin(const QString &id) const;

    /*! The access policy a loaded plugin provides (at most one may), or null. */
    std::shared_ptr<AccessPolicy> accessPolicy() const { return m_accessPolicy; }
    /*! The id of the plugin providing accessPolicy(); empty when none does. */
    QString accessPolicyOwner() const { return m_accessPolicyOwner; }

    /*! Names of the scenes the loaded plugins offer, sorted. */
    QStringList sceneNames() const;
    /*! The description of \a scene and the plugin offering it. */
    QString sceneDescription(const QString &scene) const;
    QString sceneOwner(const QString &scene) const;
    /*! Builds \a scene as one transition in \a engine (the manager's own when null).
     *  Returns success, otherwise why it was not built (unknown scene, workspace not empty,
     *  the scene failed). */
    Result<void> buildScene(const QString &scene, Engine *engine = nullptr);

    /*!
     * When \a defer is true, the plain and event topics plugins declare are only created by
     * createTopics(), for example once a workspace has been restored (it restores such
     * topics with their values). Off by default: they are created as each plugin loads.
     */
    void setDeferTopics(bool defer) { m_deferTopics = defer; }
    /*! Creates the deferred topics of \a engine (the manager's own when null) that do not
     *  exist yet and attaches the event handlers. A topic that exists with another type is
     *  reported and left alone. */
    void createTopics(Engine *engine = nullptr);

    /*! What plugins get as PluginContext::rooms(); set before loading. */
    void setRoomDirectory(RoomDirectory *rooms) { m_rooms = rooms; }
    /*!
     * Gives the engine of another room what the loaded plugins declare: runs each plugin's
     * initialize() again with a context for \a engine and applies its types, services,
     * topics and event handlers (scenes and the access policy stay the host's). With
     * \a deferTopics, topics wait for createTopics(engine). All or nothing: on an error
     * \a engine must be thrown away.
     */
    Result<void> installInto(Engine *engine, bool deferTopics);
    /*! Forgets what installInto() kept for \a engine; call before it is destroyed. */
    void forget(Engine *engine);

    /*! Tells every loaded plugin that \a engine (the manager's own when null) is ready
     *  (ObjectTypePlugin::started()). */
    void notifyStarted(Engine *engine = nullptr);
    /*! The same for a client of \a engine's room. */
    void clientConnectedTo(Engine *engine, int clientId, const QString &address);
    void clientDisconnectedFrom(Engine *engine, int clientId);

public slots:
    /*! Tells every loaded plugin that client \a clientId connected from \a address. */
    void clientConnected(int clientId, const QString &address);
    /*! Tells every loaded plugin that client \a clientId went away. */
    void clientDisconnected(int clientId);

signals:
    /*! plugins() changed. */
    void pluginsChanged();

private:
    struct Loaded;
    struct PendingTopics;
    Result<void> refuseReason(const PluginRegistration &reg) const;
    void apply(const PluginRegistration &reg, PluginInfo &info);
    QStringList materialize(const PendingTopics &pending, bool strict);
    void applyToRoom(const PluginRegistration &reg, Engine *engine, bool deferTopics);
    void record(const PluginInfo &info);
    /*! Runs \a call for every loaded plugin in a transition of \a origin; reports failures. */
    void forEachPlugin(Engine *engine, int origin, const QString &what,
                       const std::function<void(ObjectTypePlugin *)> &call);

    Engine *m_engine;
    PluginInfoList m_infos;
    std::vector<std::unique_ptr<Loaded>> m_loaded;
    QHash<QString, QString> m_owners;           //!< "type:X", "service:X", "topic:X" -> plugin id
    QHash<QString, TopicType> m_declaredTopics; //!< plain and event topics plugins declared
    std::vector<std::unique_ptr<PendingTopics>> m_pending;
    bool m_deferTopics = false;
    RoomDirectory *m_rooms = nullptr;
    struct SceneEntry;
    QHash<QString, std::shared_ptr<SceneEntry>> m_scenes;
    std::shared_ptr<AccessPolicy> m_accessPolicy;
    QString m_accessPolicyOwner;
};

} // namespace objectsync
