// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/plugin.h>

#include <QObject>

namespace tokenauth {

/*!
 * Provides a TokenPolicy read from the JSON file named by the environment variable
 * OBJECTSYNC_TOKENS_FILE, for example {"s3cret": "editor", "guest": "viewer"}. Without the
 * variable it provides nothing, and everyone may connect as before. A file that cannot be
 * read or is not valid makes the host refuse every client (and says why) rather than let
 * everyone in.
 */
class TokenAuthPlugin : public QObject, public objectsync::ObjectTypePlugin
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID ObjectSyncObjectTypePlugin_iid FILE "objectsync_plugin.json")
    Q_INTERFACES(objectsync::ObjectTypePlugin)
public:
    void initialize(objectsync::PluginContext &context) override;
};

} // namespace tokenauth
