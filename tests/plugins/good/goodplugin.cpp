// SPDX-License-Identifier: MIT
#include "goodplugin.h"

using namespace objectsync;

void GoodWidget::preBuild(const QJsonObject &)
{
    size = addAttribute<IntTopic>(QStringLiteral("size"), 1);
}

void GoodPlugin::initialize(PluginContext &context)
{
    Engine *engine = context.engine();
    context.registerType<GoodWidget>();
    context.registerService(QStringLiteral("good/echo"),
                            [](const QJsonObject &args) -> QJsonValue { return args; });
    context.registerService(QStringLiteral("good/pings"),
                            [this](const QJsonObject &) -> QJsonValue { return m_pings; });
    // Which client a transition opened by a service belongs to.
    context.registerService(QStringLiteral("good/origin"),
                            [engine](const QJsonObject &) -> QJsonValue {
                                auto transaction = engine->transaction();
                                const int origin = engine->currentOrigin();
                                transaction.commit();
                                return origin;
                            });
    context.addTopic(QStringLiteral("good/clients"), TopicType::List, QJsonArray(), false);
    context.onEvent(
        QStringLiteral("good/ping"), [this](const QJsonObject &) { ++m_pings; },
        [this](const QJsonObject &) { --m_pings; });
    context.addScene(QStringLiteral("good"), QStringLiteral("one widget"),
                     [](Engine &e) { e.createObject<GoodWidget>()->size->set(7); });
}

void GoodPlugin::clientConnected(Engine &engine, int clientId, const QString &address)
{
    engine.topicAs<ListTopic>(QStringLiteral("good/clients"))
        ->append(QJsonObject{{QStringLiteral("event"), QStringLiteral("connected")},
                             {QStringLiteral("client"), clientId},
                             {QStringLiteral("origin"), engine.currentOrigin()},
                             {QStringLiteral("address"), address}});
}

void GoodPlugin::clientDisconnected(Engine &engine, int clientId)
{
    engine.topicAs<ListTopic>(QStringLiteral("good/clients"))
        ->append(QJsonObject{{QStringLiteral("event"), QStringLiteral("disconnected")},
                             {QStringLiteral("client"), clientId},
                             {QStringLiteral("origin"), engine.currentOrigin()}});
}
