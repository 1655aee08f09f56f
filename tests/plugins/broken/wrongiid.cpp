// SPDX-License-Identifier: MIT
#include "wrongiid.h"

void WrongIidPlugin::initialize(objectsync::PluginContext &context)
{
    context.registerType({QStringLiteral("WrongIidThing"), QStringLiteral("thing"),
                          [] { return new objectsync::SObject; }});
}
