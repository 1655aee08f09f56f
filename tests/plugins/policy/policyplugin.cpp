// SPDX-License-Identifier: MIT
// Provides an access policy that lets everyone in, and the service "open/ping".
#include <objectsync/plugin.h>

namespace {

class OpenPolicy : public objectsync::AccessPolicy
{
public:
    objectsync::AccessDecision authenticate(const objectsync::ConnectionRequest &) override
    {
        return objectsync::AccessDecision::allow("anyone");
    }
};

} // namespace

OBJECTSYNC_PLUGIN(context)
{
    context.registerService("open/ping", [](const QJsonObject &) { return QJsonValue("pong"); });
    context.setAccessPolicy(std::make_shared<OpenPolicy>());
}
