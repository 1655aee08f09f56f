// SPDX-License-Identifier: MIT
// The task board's rules through a real host and a real WebSocket client: refused input is
// rejected and changes nothing, accepted input reaches the client as updates.
#include "core/endpoint.h"
#include "core/host.h"
#include "core/pluginmanager.h"
#include "rawclient.h"

#include <objectsync/engine.h>

#include <QtTest>

using namespace objectsync;
using namespace testing;

class TstTaskBoardClient : public QObject
{
    Q_OBJECT
private slots:
    void rulesThroughTheWire()
    {
        Host host;
        HostOptions options;
        options.port = 0;
        options.defaultPluginDirs = false;
        options.pluginDirs = {QStringLiteral(OBJECTSYNC_EXAMPLE_PLUGIN_DIR)};
        options.scene = QStringLiteral("taskboard");
        QCOMPARE(host.start(options).errorMessage(), QString());
        Engine *engine = host.engine();

        SObject *board = engine->root()->children().first();
        const QString todo = board->children().at(0)->id();
        const QString doing = board->children().at(1)->id();
        const QString done = board->children().at(2)->id();
        const auto cardIn = [&](const QString &column, int i) {
            return engine->object(column)->children().at(i)->id();
        };
        const QString guide = cardIn(todo, 0);
        const QString release = cardIn(todo, 1);
        const QString login = cardIn(doing, 0);
        const auto title = [&](const QString &id) {
            return engine->topic(QStringLiteral("a/%1/title").arg(id))->value().toString();
        };

        RawClient client;
        const int me = client.open(host.endpoint()->url());
        QVERIFY(me > 0);
        QVERIFY(client.subscribe(QStringLiteral("_topicsync/topic_list"))
                    .toObject()
                    .contains(QStringLiteral("_objects")));
        // Presence: the plugin heard about this client.
        QTRY_VERIFY(client.subscribe(QStringLiteral("taskboard/online"))
                        .toObject()
                        .contains(QString::number(me)));
        const QString doingCards = QStringLiteral("a/%1/cards").arg(doing);
        QCOMPARE(client.subscribe(doingCards).toArray(), QJsonArray{login});

        // An empty title is refused; nothing changes.
        QJsonObject answer =
            client.act(QStringLiteral("a1"), {setCommand(QStringLiteral("%1_1").arg(me),
                                                         QStringLiteral("a/%1/title").arg(guide),
                                                         QStringLiteral("string"), QString())});
        QCOMPARE(answer.value(QStringLiteral("type")).toString(), QStringLiteral("reject"));
        QVERIFY2(answer.value(QStringLiteral("reason"))
                     .toString()
                     .contains(QStringLiteral("a card needs a title")),
                 qPrintable(answer.value(QStringLiteral("reason")).toString()));
        QCOMPARE(title(guide), QStringLiteral("Write the plugin guide"));

        // A move within the WIP limit is applied and comes back as one update.
        answer = client.act(QStringLiteral("a2"), {setCommand(QStringLiteral("%1_2").arg(me),
                                                              QStringLiteral("parent_id/") + guide,
                                                              QStringLiteral("string"), doing)});
        QCOMPARE(answer.value(QStringLiteral("type")).toString(), QStringLiteral("update"));
        bool sawList = false;
        for (const QJsonValue &c : answer.value(QStringLiteral("changes")).toArray())
            sawList |= c.toObject().value(QStringLiteral("topic_name")).toString() == doingCards;
        QVERIFY(sawList);
        QCOMPARE(engine->object(guide)->parent()->id(), doing);
        const QJsonArray activity =
            engine->topic(QStringLiteral("a/%1/activity").arg(board->id()))->value().toArray();
        QCOMPARE(activity.last().toObject().value(QStringLiteral("actor")).toString(),
                 QStringLiteral("client %1").arg(me));

        // Over the WIP limit: rejected.
        answer =
            client.act(QStringLiteral("a3"), {setCommand(QStringLiteral("%1_3").arg(me),
                                                         QStringLiteral("parent_id/") + release,
                                                         QStringLiteral("string"), doing)});
        QCOMPARE(answer.value(QStringLiteral("type")).toString(), QStringLiteral("reject"));
        QVERIFY(answer.value(QStringLiteral("reason"))
                    .toString()
                    .contains(QStringLiteral("WIP limit")));
        QCOMPARE(engine->object(release)->parent()->id(), todo);

        // A card without a title cannot be created.
        answer =
            client.act(QStringLiteral("a4"),
                       {emitCommand(QStringLiteral("%1_4").arg(me), QStringLiteral("create_object"),
                                    {{QStringLiteral("type"), QStringLiteral("TaskCard")},
                                     {QStringLiteral("parent_id"), todo},
                                     {QStringLiteral("id"), QStringLiteral("%1_5").arg(me)}})});
        QCOMPARE(answer.value(QStringLiteral("type")).toString(), QStringLiteral("reject"));
        QVERIFY(!engine->object(QStringLiteral("%1_5").arg(me)));

        // Services: a move into the done column, a refused move, undo.
        QJsonObject response =
            client.request(login + QStringLiteral("/move"), {{QStringLiteral("column"), done}});
        QVERIFY2(!response.contains(QStringLiteral("error")),
                 qPrintable(response.value(QStringLiteral("error")).toString()));
        QCOMPARE(engine->object(login)->parent()->id(), done);
        response = client.request(board->id() + QStringLiteral("/stats"), {});
        QCOMPARE(response.value(QStringLiteral("response"))
                     .toObject()
                     .value(QStringLiteral("completed"))
                     .toInt(),
                 1);
        response = client.request(guide + QStringLiteral("/move"),
                                  {{QStringLiteral("column"), board->id()}});
        QVERIFY(response.value(QStringLiteral("error"))
                    .toString()
                    .contains(QStringLiteral("needs the id of a column")));
        response = client.request(QStringLiteral("undo"), {{QStringLiteral("id"), board->id()}});
        QVERIFY2(!response.contains(QStringLiteral("error")),
                 qPrintable(response.value(QStringLiteral("error")).toString()));
        QCOMPARE(engine->object(login)->parent()->id(), doing);
        QCOMPARE(engine->callService(board->id() + QStringLiteral("/stats"), {})
                     .toObject()
                     .value(QStringLiteral("completed"))
                     .toInt(),
                 0);

        // The board belongs to the host, and a card's created_by is written by the host only.
        const auto refused = [&](const QString &actionId, const QJsonObject &command,
                                 const QString &expected) {
            const QJsonObject reply = client.act(actionId, {command});
            const QString reason = reply.value(QStringLiteral("reason")).toString();
            return reply.value(QStringLiteral("type")).toString() == QLatin1String("reject") &&
                   reason.contains(expected);
        };
        const QString createdBy = QStringLiteral("a/%1/created_by").arg(guide);
        QVERIFY(refused(
            QStringLiteral("a5"),
            setCommand(QStringLiteral("%1_6").arg(me), createdBy, QStringLiteral("int"), me),
            QStringLiteral("attribute 'created_by' of object '%1' is read-only").arg(guide)));
        QCOMPARE(engine->topic(createdBy)->value().toInt(), 0);
        const QString hostOwned =
            QStringLiteral("object '%1' belongs to the host").arg(board->id());
        QVERIFY(refused(QStringLiteral("a6"),
                        setCommand(QStringLiteral("%1_7").arg(me),
                                   QStringLiteral("a/%1/title").arg(board->id()),
                                   QStringLiteral("string"), QStringLiteral("Mine")),
                        hostOwned));
        QVERIFY(
            refused(QStringLiteral("a7"),
                    emitCommand(QStringLiteral("%1_8").arg(me), QStringLiteral("destroy_object"),
                                {{QStringLiteral("id"), board->id()}}),
                    hostOwned));
        QVERIFY(refused(QStringLiteral("a8"),
                        emitCommand(QStringLiteral("%1_9").arg(me), QStringLiteral("create_object"),
                                    {{QStringLiteral("type"), QStringLiteral("TaskBoard")},
                                     {QStringLiteral("id"), QStringLiteral("%1_10").arg(me)}}),
                        QStringLiteral("objects of type 'TaskBoard' belong to the host")));
        QCOMPARE(title(board->id()), QStringLiteral("Team board"));
        QCOMPARE(engine->root()->children().size(), 1);
        // The plugin's service decides for itself: it makes a board for the client.
        response = client.request(QStringLiteral("taskboard/create_board"),
                                  {{QStringLiteral("title"), QStringLiteral("Mine")}});
        QVERIFY2(!response.contains(QStringLiteral("error")),
                 qPrintable(response.value(QStringLiteral("error")).toString()));
        QCOMPARE(engine->root()->children().size(), 2);
        QVERIFY(engine->root()->children().last()->isHostOnly());

        // Leaving: the plugin hears it too.
        client.socket.close();
        QTRY_VERIFY(!engine->topic(QStringLiteral("taskboard/online"))
                         ->value()
                         .toObject()
                         .contains(QString::number(me)));
    }
};

QTEST_GUILESS_MAIN(TstTaskBoardClient)
#include "tst_taskboard_client.moc"
