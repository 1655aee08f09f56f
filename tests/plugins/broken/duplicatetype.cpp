// SPDX-License-Identifier: MIT
#include "duplicatetype.h"

void DuplicateTypePlugin::initialize(objectsync::PluginContext &context)
{
    context.registerService(
        QStringLiteral("duplicate/hello"),
        [](const QJsonObject &) -> QJsonValue { return QStringLiteral("hello"); });
    context.registerType({QStringLiteral("DuplicateOwnThing"), QStringLiteral("thing"),
                          [] { return new objectsync::SObject; }});
    context.registerType({QStringLiteral("GoodWidget"), QStringLiteral("widget"),
                          [] { return new objectsync::SObject; }});
}
