// SPDX-License-Identifier: MIT
#include "host.h"

#include "endpoint.h"
#include "logging.h"
#include "operations.h"
#include "pluginmanager.h"
#include "roommanager.h"
#include "tlsfiles.h"

#include <objectsync/engine.h>
#include <objectsync/server.h>
#include <objectsync/workspace.h>

#include <QDir>
#include <QFileInfo>
#include <QJsonValue>

namespace objectsync {

Host::Host(QObject *parent)
    : QObject(parent), m_engine(std::make_unique<Engine>()),
      m_plugins(std::make_unique<PluginManager>(m_engine.get())),
      m_endpoint(std::make_unique<Endpoint>(m_engine.get())),
      m_rooms(std::make_unique<RoomManager>(this)), m_operations(std::make_unique<Operations>(this))
{
    m_plugins->setRoomDirectory(m_rooms.get());
    m_operations->install(m_endpoint->server());
    connect(m_endpoint.get(), &Endpoint::clientConnected, m_plugins.get(),
            &PluginManager::clientConnected);
    connect(m_endpoint.get(), &Endpoint::clientDisconnected, m_plugins.get(),
            &PluginManager::clientDisconnected);
    // Written with the next commit, so before anything the client does is acknowledged.
    connect(m_endpoint->server(), &Server::clientConnected, this, &Host::storeNextClientId);
}

Host::~Host()
{
    // The server goes first (it refers to the engine), then the workspace writes what is
    // left, then the engine goes, before the plugins' code.
    // The rooms first: their clients' sockets came through the listening server's door.
    m_rooms.reset(); // each room's server, then its journal, then its engine
    m_endpoint.reset();
    m_operations.reset();
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

QString Host::workspaceFor(const HostOptions &options)
{
    if (!options.workspace.isEmpty())
        return options.workspace;
    return options.noWorkspace ? QString() : Workspace::defaultPath();
}

QString Host::roomDirectoryFor(const HostOptions &options)
{
    if (!options.workspaceDir.isEmpty())
        return options.workspaceDir;
    const QString workspace = workspaceFor(options);
    if (workspace.isEmpty())
        return {};
    return QFileInfo(workspace).absoluteDir().filePath(QStringLiteral("rooms"));
}

QString Host::nextClientIdKey()
{
    return QStringLiteral("next_client_id");
}

bool Host::hasWorkspace() const
{
    return m_workspace && m_workspace->isOpen();
}

QString Host::workspacePath() const
{
    return hasWorkspace() ? m_workspace->path() : QString();
}

Host::WorkspaceState Host::workspaceState() const
{
    if (m_workspaceFailed)
        return WorkspaceState::Failed;
    return hasWorkspace() ? WorkspaceState::Open : WorkspaceState::None;
}

Workspace *Host::ensureWorkspace()
{
    if (!m_workspace) {
        m_workspace = std::make_unique<Workspace>(m_engine.get());
        connect(m_workspace.get(), &Workspace::durable, m_endpoint->server(),
                &Server::setDurableSequence);
        connect(m_workspace.get(), &Workspace::failed, this, &Host::onWorkspaceFailed);
    }
    return m_workspace.get();
}

void Host::useWorkspace()
{
    m_workspaceFailed = false;
    Server *server = m_endpoint->server();
    server->setDurableSequence(m_workspace->durableSequence());
    server->setHoldUntilDurable(true);
    const QJsonValue next = m_workspace->value(nextClientIdKey());
    if (next.isDouble())
        server->setNextClientId(next.toInt());
    storeNextClientId();
    emit workspaceChanged(m_workspace->path());
}

void Host::storeNextClientId()
{
    if (!m_workspace)
        return;
    const int next = m_endpoint->server()->nextClientId();
    if (m_workspace->value(nextClientIdKey()) != QJsonValue(next))
        m_workspace->setValue(nextClientIdKey(), next);
}

void Host::onWorkspaceFailed(const QString &message)
{
    qCCritical(lcHost).noquote()
        << QStringLiteral("the workspace stopped writing: %1. The host carries on in memory; "
                          "changes are no longer kept on disk (Save As starts a new file)")
               .arg(message);
    m_workspaceFailed = true;
    // Nothing becomes durable any more: stop waiting for it.
    m_endpoint->server()->setHoldUntilDurable(false);
    emit workspaceChanged(QString());
}

Result<bool> Host::openWorkspace(const QString &path)
{
    Workspace *workspace = ensureWorkspace();
    if (const Result<void> opened = workspace->open(path); !opened) {
        return Error(
            opened.error().code(),
            QStringLiteral("cannot open workspace '%1': %2").arg(path, opened.errorMessage()));
    }
    for (const QString &warning : workspace->warnings())
        qCWarning(lcHost).noquote() << QStringLiteral("workspace %1: %2").arg(path, warning);
    const bool isNew = workspace->isNew();
    qCInfo(lcHost).noquote() << (isNew ? QStringLiteral("new workspace %1")
                                       : QStringLiteral("restored workspace %1"))
                                    .arg(workspace->path());
    useWorkspace();
    return isNew;
}

Result<void> Host::saveWorkspaceAs(const QString &path)
{
    Workspace *workspace = ensureWorkspace();
    storeNextClientId();
    if (const Result<void> saved = workspace->saveAs(path); !saved) {
        return Error(saved.error().code(), QStringLiteral("cannot save the workspace as '%1': %2")
                                               .arg(path, saved.errorMessage()));
    }
    qCInfo(lcHost).noquote()
        << QStringLiteral("saved the workspace as %1; continuing there").arg(workspace->path());
    useWorkspace();
    return {};
}

Result<void> Host::openWorkspaceFile(const QString &path)
{
    Workspace *workspace = ensureWorkspace();
    if (const Result<void> switched = workspace->switchTo(path); !switched) {
        return Error(
            switched.error().code(),
            QStringLiteral("cannot open workspace '%1': %2").arg(path, switched.errorMessage()));
    }
    for (const QString &warning : workspace->warnings())
        qCWarning(lcHost).noquote() << QStringLiteral("workspace %1: %2").arg(path, warning);
    qCInfo(lcHost).noquote() << QStringLiteral("opened workspace %1 in place of the previous "
                                               "content")
                                    .arg(workspace->path());
    useWorkspace();
    // To the plugins the switch is a new start (presence and the like are reset); the
    // clients still connected are announced again.
    m_plugins->notifyStarted();
    Server *server = m_endpoint->server();
    for (const int id : server->clientIds())
        m_plugins->clientConnected(id, server->peerAddress(id));
    return {};
}

Result<void> Host::prepare(const HostOptions &options)
{
    const QStringList dirs = pluginDirectories(options);
    if (dirs.isEmpty())
        qCWarning(lcHost) << "no plugin directory found: only the root object is available";
    for (const QString &dir : options.pluginDirs) {
        if (!QFileInfo(dir).isDir())
            return Error(ErrorCode::NotFound,
                         QStringLiteral("plugin directory '%1' does not exist").arg(dir));
    }
    m_rooms->configure(options);
    // A workspace restores the plugins' topics with their values: create them afterwards.
    m_plugins->setDeferTopics(!options.workspace.isEmpty());
    m_plugins->loadDirectories(dirs);
    if (!options.scene.isEmpty() && !m_plugins->sceneNames().contains(options.scene))
        return m_plugins->buildScene(options.scene); // says the scene is unknown

    bool isNew = true;
    if (!options.workspace.isEmpty()) {
        const Result<bool> opened = openWorkspace(options.workspace);
        if (!opened)
            return opened.error();
        isNew = *opened;
    }
    m_plugins->createTopics();
    // Creating the plugins' topics is where the workspace starts, not something to undo.
    m_engine->clearHistory();

    if (!options.scene.isEmpty()) {
        if (isNew) {
            if (const Result<void> built = m_plugins->buildScene(options.scene); !built)
                return built;
        } else {
            qCInfo(lcHost).noquote()
                << QStringLiteral("scene %1 not built: the workspace has content already")
                       .arg(options.scene);
        }
    }
    m_plugins->notifyStarted();
    return {};
}

Result<void> Host::listen(const HostOptions &options)
{
    m_endpoint->setServeWebPages(options.serveWeb);
    Server *server = m_endpoint->server();
    ServerOptions serverOptions = server->options();
    const auto setIfGiven = [](auto &target, auto value) {
        if (value >= 0)
            target = value;
    };
    setIfGiven(serverOptions.maxMessagesPerSecond, options.maxMessagesPerSecond);
    setIfGiven(serverOptions.maxMessageBytes, options.maxMessageBytes);
    setIfGiven(serverOptions.maxJsonDepth, options.maxJsonDepth);
    setIfGiven(serverOptions.maxPendingOutgoingBytes, options.maxPendingBytes);
    setIfGiven(serverOptions.handshakeTimeoutMs, options.handshakeTimeoutMs);
    setIfGiven(serverOptions.idleTimeoutMs, options.idleTimeoutMs);
    setIfGiven(serverOptions.pingIntervalMs, options.pingIntervalMs);
    setIfGiven(serverOptions.maxPendingConnections, options.maxPendingConnections);
    if (!options.allowedOrigins.isEmpty())
        serverOptions.allowedOrigins = options.allowedOrigins;
    server->setOptions(serverOptions);
    // A plugin's access policy, if one provides it, decides who may connect.
    server->setAccessPolicy(m_plugins->accessPolicy());
    server->setRoomResolver([rooms = m_rooms.get()](const ConnectionRequest &request) {
        return rooms->resolve(request);
    });
    if (!options.tlsCertificate.isEmpty() || !options.tlsKey.isEmpty()) {
        const Result<QSslConfiguration> tls = loadTlsFiles(options.tlsCertificate, options.tlsKey);
        if (!tls)
            return tls.error();
        m_endpoint->setTls(*tls);
    }
    // The server's message says where it tried to listen.
    return m_endpoint->listen(options.address, options.port);
}

Result<void> Host::start(const HostOptions &options)
{
    if (const Result<void> prepared = prepare(options); !prepared)
        return prepared;
    return listen(options);
}

} // namespace objectsync
