// SPDX-License-Identifier: MIT
#include "taskboardplugin.h"

#include "boardobjects.h"

#include <objectsync/error.h>

namespace taskboard {

using namespace objectsync;

namespace {
const QString onlineTopic = QStringLiteral("taskboard/online");
} // namespace

void TaskBoardPlugin::initialize(PluginContext &context)
{
    // objectTypeOf() carries the host-only mark of OBJECTSYNC_HOST_ONLY.
    context.registerType(objectTypeOf<TaskBoard>());
    context.registerType<TaskColumn>();
    context.registerType<TaskCard>();
    context.addTopic(onlineTopic, TopicType::Dict, QJsonObject(), /*stateful=*/false);

    Engine *engine = context.engine();
    context.registerService(
        QStringLiteral("taskboard/create_board"), [engine](const QJsonObject &args) -> QJsonValue {
            if (!args.value(QLatin1String("title")).isString())
                throw Error(QStringLiteral("create_board needs a title"));
            SObject *board =
                engine->createObject(TaskBoard::staticTypeName(), nullptr, QString(), args);
            return QJsonObject{{QStringLiteral("id"), board->id()}};
        });

    context.addScene(QStringLiteral("taskboard"),
                     QStringLiteral("a team board with three columns and a few cards"),
                     &TaskBoardPlugin::buildScene);
}

void TaskBoardPlugin::started(Engine &engine)
{
    auto *online = engine.topicAs<DictTopic>(onlineTopic);
    if (online && online->size() > 0)
        online->set(QJsonObject());
}

void TaskBoardPlugin::clientConnected(Engine &engine, int clientId, const QString &address)
{
    if (auto *online = engine.topicAs<DictTopic>(onlineTopic))
        online->add(QString::number(clientId), QJsonObject{{QStringLiteral("address"), address}});
}

void TaskBoardPlugin::clientDisconnected(Engine &engine, int clientId)
{
    auto *online = engine.topicAs<DictTopic>(onlineTopic);
    if (online && online->contains(QString::number(clientId)))
        online->pop(QString::number(clientId));
}

void TaskBoardPlugin::buildScene(Engine &engine)
{
    const QJsonObject args{
        {QStringLiteral("title"), QStringLiteral("Team board")},
        {QStringLiteral("members"),
         QJsonArray{QStringLiteral("alice"), QStringLiteral("bob"), QStringLiteral("carol")}},
        {QStringLiteral("columns"),
         QJsonArray{QStringLiteral("To do"),
                    QJsonObject{{QStringLiteral("title"), QStringLiteral("Doing")},
                                {QStringLiteral("wip_limit"), 2}},
                    QJsonObject{{QStringLiteral("title"), QStringLiteral("Done")},
                                {QStringLiteral("done"), true}}}}};
    auto *board = dynamic_cast<TaskBoard *>(
        engine.createObject(TaskBoard::staticTypeName(), nullptr, QString(), args));
    const QList<TaskColumn *> columns = board->columns();
    TaskColumn *todo = columns.at(0);
    TaskColumn *doing = columns.at(1);
    TaskColumn *done = columns.at(2);

    const auto labels = [](const QString &label) { return QJsonArray{label}; };
    TaskCard *guide = todo->addCard(QStringLiteral("Write the plugin guide"),
                                    {{QStringLiteral("assignee"), QStringLiteral("alice")},
                                     {QStringLiteral("labels"), labels(QStringLiteral("docs"))}});
    TaskCard *login = doing->addCard(QStringLiteral("Fix the login bug"),
                                     {{QStringLiteral("assignee"), QStringLiteral("bob")},
                                      {QStringLiteral("labels"), labels(QStringLiteral("bug"))}});
    done->addCard(QStringLiteral("Set up the build"),
                  {{QStringLiteral("assignee"), QStringLiteral("carol")}});
    TaskCard *release = todo->addCard(
        QStringLiteral("Release 1.0"),
        {{QStringLiteral("description"), QStringLiteral("Once the guide and the fix are in.")}});
    release->blockedBy.add(guide);
    release->blockedBy.add(login);
}

} // namespace taskboard
