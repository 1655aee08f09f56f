// SPDX-License-Identifier: MIT
#include "host.h"

#include "endpoint.h"
#include "logging.h"
#include "pluginmanager.h"

#include <objectsync/engine.h>
#include <objectsync/server.h>
#include <objectsync/workspace.h>

#include <QFileInfo>

namespace objectsync {

Host::Host(QObject *parent)
    : QObject(parent), m_engine(std::make_unique<Engine>()),
      m_plugins(std::make_unique<PluginManager>(m_engine.get())),
      m_endpoint(std::make_unique<Endpoint>(m_engine.get()))
{
    connect(m_endpoint.get(), &Endpoint::clientConnected, m_plugins.get(),
            &PluginManager::clientConnected);
    connect(m_endpoint.get(), &Endpoint::clientDisconnected, m_plugins.get(),
            &PluginManager::clientDisconnected);
}

Host::~Host()
{
    // The server goes first (it refers to the engine), then the workspace writes what is
    // left, then the engine goes, before the plugins' code.
    m_endpoint.reset();
    m_workspace.reset();
    m_engine.reset();
    m_plugins.reset();
}

QStringList Host::pluginDirectories(const HostOptions &options)
{
    QStringList dirs = options.pluginDirs;
    if (options.defaultPluginDirs)
        dirs += PluginManager::defaultSearchPaths();
    return dirs;
}

QString Host::openWorkspace(const QString &path, bool *isNew)
{
    auto workspace = std::make_unique<Workspace>(m_engine.get());
    if (!workspace->open(path))
        return QStringLiteral("cannot open workspace '%1': %2").arg(path, workspace->errorString());
    for (const QString &warning : workspace->warnings())
        qCWarning(lcHost).noquote() << QStringLiteral("workspace %1: %2").arg(path, warning);
    *isNew = workspace->isNew();
    qCInfo(lcHost).noquote() << (*isNew ? QStringLiteral("new workspace %1")
                                        : QStringLiteral("restored workspace %1"))
                                    .arg(workspace->path());
    m_workspace = std::move(workspace);
    return {};
}

QString Host::prepare(const HostOptions &options)
{
    const QStringList dirs = pluginDirectories(options);
    if (dirs.isEmpty())
        qCWarning(lcHost) << "no plugin directory found: only the root object is available";
    for (const QString &dir : options.pluginDirs) {
        if (!QFileInfo(dir).isDir())
            return QStringLiteral("plugin directory '%1' does not exist").arg(dir);
    }
    // A workspace restores the plugins' topics with their values: create them afterwards.
    const bool useWorkspace = !options.workspace.isEmpty();
    m_plugins->setDeferTopics(useWorkspace);
    m_plugins->loadDirectories(dirs);
    if (!options.scene.isEmpty() && !m_plugins->sceneNames().contains(options.scene))
        return m_plugins->buildScene(options.scene); // says the scene is unknown

    bool isNew = true;
    if (!options.workspace.isEmpty()) {
        const QString error = openWorkspace(options.workspace, &isNew);
        if (!error.isEmpty())
            return error;
    }
    m_plugins->createTopics();
    // Creating the plugins' topics is where the workspace starts, not something to undo.
    m_engine->clearHistory();

    if (!options.scene.isEmpty()) {
        if (isNew) {
            const QString error = m_plugins->buildScene(options.scene);
            if (!error.isEmpty())
                return error;
        } else {
            qCInfo(lcHost).noquote()
                << QStringLiteral("scene %1 not built: the workspace has content already")
                       .arg(options.scene);
        }
    }
    m_plugins->notifyStarted();
    return {};
}

QString Host::listen(const HostOptions &options)
{
    m_endpoint->setServeWebPages(options.serveWeb);
    if (options.maxMessagesPerSecond >= 0) {
        ServerOptions serverOptions = m_endpoint->server()->options();
        serverOptions.maxMessagesPerSecond = options.maxMessagesPerSecond;
        m_endpoint->server()->setOptions(serverOptions);
    }
    if (!m_endpoint->listen(options.address, options.port)) {
        const QString why = m_endpoint->errorString();
        // The server's own message may already say where it tried.
        if (why.startsWith(QLatin1String("cannot listen")))
            return why;
        return QStringLiteral("cannot listen on %1 port %2: %3")
            .arg(options.address.toString())
            .arg(options.port)
            .arg(why);
    }
    return {};
}

QString Host::start(const HostOptions &options)
{
    QString error = prepare(options);
    if (error.isEmpty())
        error = listen(options);
    return error;
}

} // namespace objectsync
