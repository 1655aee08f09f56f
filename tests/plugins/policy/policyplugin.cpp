// SPDX-License-Identifier: MIT
#include "policyplugin.h"

namespace {

class OpenPolicy : public objectsync::AccessPolicy
{
public:
    objectsync::AccessDecision authenticate(const objectsync::ConnectionRequest &) override
    {
        return objectsync::AccessDecision::allow(QStringLiteral("anyone"));
    }
};

} // namespace

void PolicyPlugin::initialize(objectsync::PluginContext &context)
{
    context.registerService(QStringLiteral("open/ping"),
                            [](const QJsonObject &) { return QJsonValue(QStringLiteral("pong")); });
    context.setAccessPolicy(std::make_shared<OpenPolicy>());
}
