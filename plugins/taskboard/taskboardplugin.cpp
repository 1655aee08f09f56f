// SPDX-License-Identifier: MIT
// The task board plugin: registers TaskBoard (host-only), TaskColumn and TaskCard, the service
// "taskboard/create_board" (how clients get a board), the presence topic "taskboard/online"
// (client id -> address, not undoable) and the scene "taskboard". The types and their rules
// are in board.cpp, column.cpp, card.cpp and rules.cpp.
#include "boardobjects.h"

#include <objectsync/plugin.h>

namespace taskboard {

using namespace objectsync;

namespace {

const char onlineTopic[] = "taskboard/online";

/*! The scene "taskboard": a team board with three columns and a few cards. */
void buildScene(Engine &engine)
{
    const QJsonObject args{
        {"title", "Team board"},
        {"members", QJsonArray{"alice", "bob", "carol"}},
        {"columns", QJsonArray{"To do", QJsonObject{{"title", "Doing"}, {"wip_limit", 2}},
                               QJsonObject{{"title", "Done"}, {"done", true}}}}};
    auto *board = dynamic_cast<TaskBoard *>(
        engine.createObject(TaskBoard::staticTypeName(), nullptr, QString(), args));
    const QList<TaskColumn *> columns = board->columns();
    TaskColumn *todo = columns.at(0);
    TaskColumn *doing = columns.at(1);
    TaskColumn *done = columns.at(2);

    TaskCard *guide = todo->addCard("Write the plugin guide",
                                    {{"assignee", "alice"}, {"labels", QJsonArray{"docs"}}});
    TaskCard *login =
        doing->addCard("Fix the login bug", {{"assignee", "bob"}, {"labels", QJsonArray{"bug"}}});
    done->addCard("Set up the build", {{"assignee", "carol"}});
    TaskCard *release =
        todo->addCard("Release 1.0", {{"description", "Once the guide and the fix are in."}});
    release->blockedBy.add(guide);
    release->blockedBy.add(login);
}

} // namespace

/*! A class rather than OBJECTSYNC_PLUGIN() alone: presence follows clients coming and going. */
class TaskBoardPlugin : public ObjectTypePlugin
{
public:
    void initialize(PluginContext &context) override
    {
        // objectTypeOf() carries the host-only mark of OBJECTSYNC_HOST_ONLY.
        context.registerType(objectTypeOf<TaskBoard>());
        context.registerType<TaskColumn>();
        context.registerType<TaskCard>();
        context.addTopic(onlineTopic, TopicType::Dict, QJsonObject(), /*stateful=*/false);

        // {"title": "...", "members": [...], "columns": [...]} -> {"id": "<new board>"}
        Engine *engine = context.engine();
        context.registerService("taskboard/create_board", [engine](const ServiceArgs &args) {
            args.required<QString>("title"); // a board needs one: refuse the call early
            SObject *board =
                engine->createObject(TaskBoard::staticTypeName(), nullptr, QString(), args.json());
            return QJsonObject{{"id", board->id()}};
        });

        context.addScene("taskboard", "a team board with three columns and a few cards",
                         &buildScene);
    }

    /*! Presence does not survive a restart: clears what a restored workspace brought back. */
    void started(Engine &engine) override
    {
        auto *online = engine.topicAs<DictTopic>(onlineTopic);
        if (online && online->size() > 0)
            online->set(QJsonObject());
    }

    void clientConnected(Engine &engine, int clientId, const QString &address) override
    {
        if (auto *online = engine.topicAs<DictTopic>(onlineTopic))
            online->add(QString::number(clientId), QJsonObject{{"address", address}});
    }

    void clientDisconnected(Engine &engine, int clientId) override
    {
        auto *online = engine.topicAs<DictTopic>(onlineTopic);
        if (online && online->contains(QString::number(clientId)))
            online->pop(QString::number(clientId));
    }
};

} // namespace taskboard

OBJECTSYNC_PLUGIN_CLASS(taskboard::TaskBoardPlugin)
