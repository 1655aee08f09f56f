// SPDX-License-Identifier: MIT
#include "notesplugin.h"

#include "stickynote.h"

using namespace objectsync;

void NotesPlugin::initialize(PluginContext &context)
{
    context.registerType<StickyNote>();

    Engine *engine = context.engine();
    // {"text": "...", "color": "pink"} -> {"id": "<new note>"}
    context.registerService(
        QStringLiteral("notes/add"), [engine](const QJsonObject &args) -> QJsonValue {
            SObject *note =
                engine->createObject(StickyNote::staticTypeName(), nullptr, QString(), args);
            return QJsonObject{{QStringLiteral("id"), note->id()}};
        });

    context.addScene(QStringLiteral("notes"), QStringLiteral("three sticky notes"), [](Engine &e) {
        const QStringList colors{QStringLiteral("yellow"), QStringLiteral("pink"),
                                 QStringLiteral("lightblue")};
        for (const QString &c : colors)
            e.createObject(StickyNote::staticTypeName(), nullptr, QString(),
                           {{QStringLiteral("text"), QStringLiteral("A %1 note").arg(c)},
                            {QStringLiteral("color"), c}});
    });
}
