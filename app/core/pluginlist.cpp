// SPDX-License-Identifier: MIT
#include "pluginlist.h"

#include "pluginmanager.h"

namespace objectsync {

QString formatPluginList(const PluginManager &manager)
{
    QString out;
    const PluginInfoList &plugins = manager.plugins();
    if (plugins.isEmpty())
        out += QStringLiteral("No plugins found.\n");
    for (const PluginInfo &p : plugins) {
        out += QStringLiteral("%1 %2 [%3]\n")
                   .arg(p.id.isEmpty() ? QStringLiteral("(unknown)") : p.id,
                        p.version.isEmpty() ? QStringLiteral("-") : p.version,
                        pluginStateName(p.state));
        out += QStringLiteral("  file: %1\n").arg(p.fileName);
        if (!p.description.isEmpty())
            out += QStringLiteral("  %1\n").arg(p.description);
        if (!p.error.isEmpty())
            out += QStringLiteral("  error: %1\n").arg(p.error);
        if (!p.types.isEmpty())
            out += QStringLiteral("  types: %1\n").arg(p.types.join(QStringLiteral(", ")));
        if (!p.services.isEmpty())
            out += QStringLiteral("  services: %1\n").arg(p.services.join(QStringLiteral(", ")));
        if (!p.objectServices.isEmpty())
            out += QStringLiteral("  object services: %1\n")
                       .arg(p.objectServices.join(QStringLiteral(", ")));
        if (!p.scenes.isEmpty())
            out += QStringLiteral("  scenes: %1\n").arg(p.scenes.join(QStringLiteral(", ")));
        if (p.accessPolicy)
            out += QStringLiteral("  access policy: decides who may connect, write and call\n");
    }
    const QStringList scenes = manager.sceneNames();
    if (!scenes.isEmpty()) {
        out += QStringLiteral("Scenes:\n");
        for (const QString &s : scenes)
            out += QStringLiteral("  %1 (%2): %3\n")
                       .arg(s, manager.sceneOwner(s), manager.sceneDescription(s));
    }
    return out;
}

} // namespace objectsync
