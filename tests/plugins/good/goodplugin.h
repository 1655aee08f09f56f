// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/plugin.h>
#include <objectsync/sobject.h>

#include <QObject>

/*! An object type with one attribute. */
class GoodWidget : public objectsync::SObject
{
    OBJECTSYNC_OBJECT(GoodWidget, "widget")
public:
    objectsync::IntTopic *size = nullptr;

protected:
    void preBuild(const QJsonObject &) override;
};

/*!
 * Registers GoodWidget, the services "good/echo", "good/pings" and "good/origin", the event
 * "good/ping" (forward and inverse handlers counting pings), the plain topic "good/clients"
 * (a record of the client callbacks) and the scene "good".
 */
class GoodPlugin : public QObject, public objectsync::ObjectTypePlugin
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID ObjectSyncObjectTypePlugin_iid FILE "objectsync_plugin.json")
    Q_INTERFACES(objectsync::ObjectTypePlugin)
public:
    void initialize(objectsync::PluginContext &context) override;
    void clientConnected(objectsync::Engine &engine, int clientId, const QString &address) override;
    void clientDisconnected(objectsync::Engine &engine, int clientId) override;

private:
    int m_pings = 0;
};
