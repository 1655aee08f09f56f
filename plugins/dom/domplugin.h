// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/plugin.h>

#include <QObject>

namespace dom {

/*!
 * Registers DivObject and TextObject and offers the scene "dom": the seed's example, a text
 * element saying "Hello ObjectSync!" in a yellow box.
 */
class DomPlugin : public QObject, public objectsync::ObjectTypePlugin
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID ObjectSyncObjectTypePlugin_iid FILE "objectsync_plugin.json")
    Q_INTERFACES(objectsync::ObjectTypePlugin)
public:
    void initialize(objectsync::PluginContext &context) override;

    /*! The scene "dom". */
    static void buildScene(objectsync::Engine &engine);
};

} // namespace dom
