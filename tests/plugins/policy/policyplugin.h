// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/plugin.h>

#include <QObject>

/*! Provides an access policy that lets everyone in, and the service "open/ping". */
class PolicyPlugin : public QObject, public objectsync::ObjectTypePlugin
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID ObjectSyncObjectTypePlugin_iid FILE "objectsync_plugin.json")
    Q_INTERFACES(objectsync::ObjectTypePlugin)
public:
    void initialize(objectsync::PluginContext &context) override;
};
