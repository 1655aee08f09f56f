// SPDX-License-Identifier: MIT
#pragma once

#include "hostoptions.h"
#include <objectsync/result.h>

#include <QObject>
#include <memory>

namespace objectsync {

class Endpoint;
class Engine;
class Operations;
class PluginManager;
class RoomManager;
class Workspace;

/*!
 * The host: one engine, the plugins that give it object types, and the network endpoint
 * that serves it. main() and the tests drive it the same way:
 * \code
 * Host host;
 * Result<void> started = host.start(options); // plugins, scene, listen
 * \endcode
 */
class Host : public QObject
{
    Q_OBJECT
public:
    explicit Host(QObject *parent = nullptr);
    ~Host() override;

    Engine *engine() const { return m_engine.get(); }
    PluginManager *pluginManager() const { return m_plugins.get(); }
    Endpoint *endpoint() const { return m_endpoint.get(); }
    /*! The rooms besides the default one (whose engine, server and workspace are the
     *  host's own; see docs/host.md). */
    RoomManager *rooms() const { return m_rooms.get(); }
    /*! True when a workspace file is open (false after writing it failed). */
    bool hasWorkspace() const;
    /*! The workspace, or null when the host never had one. */
    Workspace *workspace() const { return m_workspace.get(); }
    /*! The file of the open workspace; empty when nothing is kept on disk. */
    QString workspacePath() const;
    enum class WorkspaceState { None, Open, Failed };
    /*! Whether changes are kept on disk: no workspace, one that writes, or one that failed
     *  (the host then carries on in memory until a workspace is opened again). */
    WorkspaceState workspaceState() const;

    /*! The plugin directories \a options lead to: --plugin-dir ones first, then the default
     *  ones unless --no-default-plugins. */
    static QStringList pluginDirectories(const HostOptions &options);
    /*! The workspace file the command line asks for: --workspace, nothing with
     *  --no-workspace, otherwise Workspace::defaultPath(). (prepare() itself opens only
     *  HostOptions::workspace, so that hosts made in code keep nothing unless told.) */
    static QString workspaceFor(const HostOptions &options);
    /*! The folder of the rooms' files the command line asks for: --workspace-dir, nothing
     *  with --no-workspace, otherwise the folder "rooms" next to the default room's file
     *  (workspaceFor()). */
    static QString roomDirectoryFor(const HostOptions &options);
    /*! The workspace value that keeps the next client id across restarts. */
    static QString nextClientIdKey();

    /*! Loads the plugins, opens the workspace (HostOptions::workspace, when set), builds
     *  the scene when the workspace is new and tells the plugins the host has started. The
     *  room options are taken as they are (rooms live in memory unless
     *  HostOptions::workspaceDir is set).
     *  Returns success or what went wrong; a refused plugin is not an error (see
     *  PluginManager::plugins()). With a workspace, messages to clients wait until what
     *  they report is durable (Server::setHoldUntilDurable()). */
    Result<void> prepare(const HostOptions &options);
    /*! Starts serving: the protocol, the web pages and the operations routes (/healthz,
     *  /metrics) on one port, with TLS when the options name a certificate and key. Returns
     *  success or why it could not (a TLS file that cannot be used is named). */
    Result<void> listen(const HostOptions &options);
    /*! prepare() then listen(). */
    Result<void> start(const HostOptions &options);

    /*! Writes the current state to a new workspace file at \a path and continues there
     *  (also when the host had no workspace). Returns success or why not; on
     *  failure the host goes on as before. */
    Result<void> saveWorkspaceAs(const QString &path);
    /*! Continues in the existing workspace at \a path: its content replaces the engine's as
     *  one transition that clients receive as updates (Workspace::switchTo()). The plugins
     *  hear started() again and clientConnected() for every connected client. Returns
     *  success or why not; a bad file changes nothing. */
    Result<void> openWorkspaceFile(const QString &path);

signals:
    /*! The workspace file changed (opened, saved as, switched, or failed: then empty). */
    void workspaceChanged(const QString &path);

private:
    Result<bool> openWorkspace(const QString &path); // whether the file is new
    Workspace *ensureWorkspace();
    /*! Holds messages until durable and restores the next client id: after a workspace
     *  file was opened, saved as or switched to. */
    void useWorkspace();
    void onWorkspaceFailed(const QString &message);
    void storeNextClientId();

    std::unique_ptr<Engine> m_engine;
    std::unique_ptr<PluginManager> m_plugins;
    std::unique_ptr<Endpoint> m_endpoint;
    std::unique_ptr<Workspace> m_workspace; //!< made when a workspace file is first used
    std::unique_ptr<RoomManager> m_rooms;
    std::unique_ptr<Operations> m_operations;
    bool m_workspaceFailed = false;
};

} // namespace objectsync
