// SPDX-License-Identifier: MIT
// A counter: clients see its `count` and call `<id>/increment` with {"by": n}.
#include <objectsync/plugin.h>

using namespace objectsync;

class Counter : public SObject
{
    OBJECTSYNC_OBJECT(Counter, "counter")
public:
    IntTopic *count = nullptr;

protected:
    void preBuild(const QJsonObject &) override
    {
        count = addAttribute<IntTopic>("count", 0);
        // One change is one transition; a service opens a transaction only for several.
        addService("increment", [this](const ServiceArgs &args) {
            count->add(args.optional<int>("by", 1));
            return count->get();
        });
    }
};

OBJECTSYNC_PLUGIN(context)
{
    context.registerType<Counter>();
}
