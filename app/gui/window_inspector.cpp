// SPDX-License-Identifier: MIT
// Built when the inspector library is part of the build.
#include "window.h"

#include "core/endpoint.h"
#include "core/host.h"
#include "core/pluginmanager.h"

#include <objectsync/inspectorwindow.h>

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
    return std::make_unique<QCoreApplication>(argc, argv);
}

std::unique_ptr<QObject> openInspector(Host &host)
{
    if (!qobject_cast<QApplication *>(QCoreApplication::instance()))
        return nullptr;
    auto window = std::make_unique<InspectorWindow>(host.engine());
    InspectorWindow *w = window.get();
    QObject::connect(host.endpoint(), &Endpoint::clientConnected, w,
                     &InspectorWindow::clientConnected);
    QObject::connect(host.endpoint(), &Endpoint::clientDisconnected, w,
                     &InspectorWindow::clientDisconnected);
    QObject::connect(host.endpoint(), &Endpoint::clientStatsChanged, w,
                     &InspectorWindow::clientStatsChanged);
    PluginManager *plugins = host.pluginManager();
    w->setPlugins(inspectorPlugins(plugins->plugins()));
    QObject::connect(plugins, &PluginManager::pluginsChanged, w,
                     [w, plugins] { w->setPlugins(inspectorPlugins(plugins->plugins())); });

    // Save As and Open act on the host's workspace; the title names the file in use.
    Host *h = &host;
    w->setWorkspaceActions({[h](const QString &path) { return h->saveWorkspaceAs(path); },
                            [h](const QString &path) { return h->openWorkspaceFile(path); }});
    const auto showWorkspace = [w, h](const QString &path) {
        w->setWorkspacePath(path);
        const QString url = h->endpoint()->url().toString();
        w->setWindowTitle(
            path.isEmpty()
                ? QStringLiteral("ObjectSync host — %1 (in memory)").arg(url)
                : QStringLiteral("%1 — ObjectSync host — %2").arg(QFileInfo(path).fileName(), url));
    };
    QObject::connect(h, &Host::workspaceChanged, w, showWorkspace);
    showWorkspace(host.workspacePath());
    w->show();
    return window;
}

} // namespace objectsync
