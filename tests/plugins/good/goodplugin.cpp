// SPDX-License-Identifier: MIT
// A well-behaved plugin exercising every part of PluginContext, written as a class named with
// OBJECTSYNC_PLUGIN_CLASS() so that the client callbacks go through the generated plugin class.
#include <objectsync/plugin.h>

using namespace objectsync;

/*! An object type with one attribute and the per-object service "<id>/grow". */
class GoodWidget : public SObject
{
    OBJECTSYNC_OBJECT(GoodWidget, "widget")
public:
    IntTopic *size = nullptr;

protected:
    void preBuild(const QJsonObject &) override
    {
        size = addAttribute<IntTopic>("size", 1);
        addService("grow", [this](const ServiceArgs &args) {
            size->add(args.required<int>("by"));
            return size->get();
        });
    }
};

/*!
 * Registers GoodWidget, the services "good/echo", "good/pings" and "good/origin", the event
 * "good/ping" (forward and inverse handlers counting pings), the plain topic "good/clients"
 * (a record of the client callbacks) and the scene "good".
 */
class GoodPlugin : public ObjectTypePlugin
{
public:
    void initialize(PluginContext &context) override
    {
        Engine *engine = context.engine();
        context.registerType<GoodWidget>();
        context.registerService("good/echo", [](const QJsonObject &args) { return args; });
        context.registerService("good/pings", [this](const QJsonObject &) { return m_pings; });
        // Which client a transition opened by a service belongs to.
        context.registerService("good/origin", [engine](const QJsonObject &) {
            auto transaction = engine->transaction();
            const int origin = engine->currentOrigin();
            transaction.commit();
            return origin;
        });
        context.addTopic("good/clients", TopicType::List, QJsonArray(), false);
        context.onEvent(
            "good/ping", [this](const QJsonObject &) { ++m_pings; },
            [this](const QJsonObject &) { --m_pings; });
        context.addScene("good", "one widget",
                         [](Engine &e) { e.createObject<GoodWidget>()->size->set(7); });
    }

    void clientConnected(Engine &engine, int clientId, const QString &address) override
    {
        engine.topicAs<ListTopic>("good/clients")
            ->append(QJsonObject{{"event", "connected"},
                                 {"client", clientId},
                                 {"origin", engine.currentOrigin()},
                                 {"address", address}});
    }

    void clientDisconnected(Engine &engine, int clientId) override
    {
        engine.topicAs<ListTopic>("good/clients")
            ->append(QJsonObject{{"event", "disconnected"},
                                 {"client", clientId},
                                 {"origin", engine.currentOrigin()}});
    }

private:
    int m_pings = 0;
};

OBJECTSYNC_PLUGIN_CLASS(GoodPlugin)
