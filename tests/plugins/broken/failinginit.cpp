// SPDX-License-Identifier: MIT
#include "failinginit.h"

#include <objectsync/error.h>

void FailingInitPlugin::initialize(objectsync::PluginContext &context)
{
    context.registerType({QStringLiteral("FailingThing"), QStringLiteral("thing"),
                          [] { return new objectsync::SObject; }});
    context.addTopic(QStringLiteral("failing/topic"), objectsync::TopicType::Int, 1);
    throw objectsync::Error(QStringLiteral("the licence file is missing"));
}
