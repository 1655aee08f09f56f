// SPDX-License-Identifier: MIT
// Built when the inspector library is part of the build.
#include "window.h"

#include "core/epolldispatcher.h"

#include "core/endpoint.h"
#include "core/host.h"
#include "core/pluginmanager.h"
#include "core/roommanager.h"

#include <objectsync/inspectorwindow.h>
#include <objectsync/room.h>

#include <QApplication>
#include <QFileInfo>

namespace objectsync {

namespace {

QList<InspectorPluginInfo> inspectorPlugins(const PluginInfoList &plugins)
{
    QList<InspectorPluginInfo> out;
    out.reserve(plugins.size());
    for (const PluginInfo &p : plugins)
        out.append({p.fileName, p.id, p.version, pluginStateName(p.state), p.error});
    return out;
}

} // namespace

std::unique_ptr<QCoreApplication> createApplication(int &argc, char **argv, bool window)
{
    // Without a display (a service, a terminal over ssh) there is no window to open: the host
    // runs headless instead of failing to start.
    const bool hasDisplay = qEnvironmentVariableIsSet("QT_QPA_PLATFORM") ||
                            !qEnvironmentVariableIsEmpty("DISPLAY") ||
                            !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY");
    if (window && hasDisplay)
        return std::make_unique<QApplication>(argc, argv);
    installEpollDispatcher(); // a server's loop: see core/epolldispatcher.h
    return std::make_unique<QCoreApplication>(argc, argv);
}

std::unique_ptr<QObject> openInspector(Host &host)
{
    if (!qobject_cast<QApplication *>(QCoreApplication::instance()))
        return nullptr;
    auto window = std::make_unique<InspectorWindow>(host.engine());
    InspectorWindow *w = window.get();

    // Rooms: the window lists them, shows one at a time and follows the clients of the room
    // shown through its server (the default room's is the endpoint's).
    RoomManager *rooms = host.rooms();
    w->setRooms({rooms, [rooms](const QString &name) { return rooms->serverOf(name); }});
    QObject::connect(rooms, &RoomManager::roomOpened, w, &InspectorWindow::refreshRooms);
    QObject::connect(rooms, &RoomManager::roomClientsChanged, w, &InspectorWindow::refreshRooms);
    QObject::connect(rooms, &RoomManager::roomClosed, w, &InspectorWindow::roomClosed);
    // The default room's clients are counted by the endpoint.
    QObject::connect(host.endpoint(), &Endpoint::clientConnected, w,
                     &InspectorWindow::refreshRooms);
    QObject::connect(host.endpoint(), &Endpoint::clientDisconnected, w,
                     &InspectorWindow::refreshRooms);

    PluginManager *plugins = host.pluginManager();
    w->setPlugins(inspectorPlugins(plugins->plugins()));
    QObject::connect(plugins, &PluginManager::pluginsChanged, w,
                     [w, plugins] { w->setPlugins(inspectorPlugins(plugins->plugins())); });

    // Save As and Open act on the host's workspace; the title names the file in use.
    Host *h = &host;
    w->setWorkspaceActions({[h](const QString &path) { return h->saveWorkspaceAs(path); },
                            [h](const QString &path) { return h->openWorkspaceFile(path); }});
    const auto showTitle = [w, h] {
        const QString path = w->workspacePath();
        const QString url = h->endpoint()->url().toString();
        QString title =
            path.isEmpty()
                ? QStringLiteral("ObjectSync host — %1 (in memory)").arg(url)
                : QStringLiteral("%1 — ObjectSync host — %2").arg(QFileInfo(path).fileName(), url);
        if (const QString room = w->currentRoom(); !room.isEmpty() && room != defaultRoomName)
            title += QStringLiteral(" — room %1").arg(room);
        w->setWindowTitle(title);
    };
    const auto showWorkspace = [w, showTitle](const QString &path) {
        w->setWorkspacePath(path);
        showTitle();
    };
    QObject::connect(h, &Host::workspaceChanged, w, showWorkspace);
    QObject::connect(w, &InspectorWindow::currentRoomChanged, w, showTitle);
    showWorkspace(host.workspacePath());
    w->show();
    return window;
}

} // namespace objectsync
