// SPDX-License-Identifier: MIT
#include "wrongapi.h"

void WrongApiPlugin::initialize(objectsync::PluginContext &context)
{
    context.registerType({QStringLiteral("WrongApiThing"), QStringLiteral("thing"),
                          [] { return new objectsync::SObject; }});
}
