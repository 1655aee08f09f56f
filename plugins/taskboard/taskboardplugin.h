// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/plugin.h>

#include <QObject>

namespace taskboard {

/*!
 * The task board plugin: registers TaskBoard (host-only), TaskColumn and TaskCard, the
 * service "taskboard/create_board" (how clients get a board), the presence topic
 * "taskboard/online" (client id -> address, not undoable) and the scene "taskboard".
 */
class TaskBoardPlugin : public QObject, public objectsync::ObjectTypePlugin
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID ObjectSyncObjectTypePlugin_iid FILE "objectsync_plugin.json")
    Q_INTERFACES(objectsync::ObjectTypePlugin)
public:
    void initialize(objectsync::PluginContext &context) override;
    /*! Presence does not survive a restart: clears what a restored workspace brought back. */
    void started(objectsync::Engine &engine) override;
    void clientConnected(objectsync::Engine &engine, int clientId, const QString &address) override;
    void clientDisconnected(objectsync::Engine &engine, int clientId) override;

    /*! The scene "taskboard": a team board with three columns and a few cards. */
    static void buildScene(objectsync::Engine &engine);
};

} // namespace taskboard
