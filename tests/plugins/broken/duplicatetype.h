// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/plugin.h>

#include <QObject>

/*! Registers a service of its own and the type name "GoodWidget", which the good plugin
 *  registered first: refused, and its service must not appear either. */
class DuplicateTypePlugin : public QObject, public objectsync::ObjectTypePlugin
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID ObjectSyncObjectTypePlugin_iid FILE "objectsync_plugin.json")
    Q_INTERFACES(objectsync::ObjectTypePlugin)
public:
    void initialize(objectsync::PluginContext &context) override;
};
