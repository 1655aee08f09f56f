// SPDX-License-Identifier: MIT
#pragma once

#include "hostoptions.h"

#include <QObject>
#include <memory>

namespace objectsync {

class Endpoint;
class Engine;
class PluginManager;
class Workspace;

/*!
 * The host: one engine, the plugins that give it object types, and the network endpoint
 * that serves it. main() and the tests drive it the same way:
 * \code
 * Host host;
 * QString error = host.start(options); // plugins, scene, listen
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
    /*! True when a workspace file is open. */
    bool hasWorkspace() const { return m_workspace != nullptr; }

    /*! The plugin directories \a options lead to: --plugin-dir ones first, then the default
     *  ones unless --no-default-plugins. */
    static QStringList pluginDirectories(const HostOptions &options);

    /*! Loads the plugins, opens the workspace (--workspace), builds the scene when the
     *  workspace is new and tells the plugins the host has started. Returns an empty string
     *  or what went wrong; a refused plugin is not an error (see PluginManager::plugins()). */
    QString prepare(const HostOptions &options);
    /*! Starts serving. Returns an empty string or why it could not. */
    QString listen(const HostOptions &options);
    /*! prepare() then listen(). */
    QString start(const HostOptions &options);

private:
    QString openWorkspace(const QString &path, bool *isNew);

    std::unique_ptr<Engine> m_engine;
    std::unique_ptr<PluginManager> m_plugins;
    std::unique_ptr<Endpoint> m_endpoint;
    std::unique_ptr<Workspace> m_workspace; //!< when a workspace file is open
};

} // namespace objectsync
