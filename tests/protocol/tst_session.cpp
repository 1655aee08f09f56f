// SPDX-License-Identifier: MIT
// Session: how the host answers each client message, in memory.

#include "testsupport.h"

#include "protocol/wire.h"

using namespace testsupport;

class TstSession : public QObject
{
    Q_OBJECT
private slots:
    void helloFirstWithUniqueIds()
    {
        Engine engine;
        Hub hub(&engine);
        Peer a(&hub), b(&hub);
        const QJsonArray features{str("subscribe_many")};
        QCOMPARE(a.takeOne(),
                 message(str("hello"), {{str("id"), a.id()}, {str("features"), features}}));
        QCOMPARE(b.takeOne(),
                 message(str("hello"), {{str("id"), b.id()}, {str("features"), features}}));
        QVERIFY(a.id() >= 1);
        QCOMPARE(b.id(), a.id() + 1);
    }

    void subscribeAnswersWithInit()
    {
        Engine engine;
        Hub hub(&engine);
        engine.addTopic<IntTopic>(str("n"), 5);
        Peer a(&hub);
        a.take();
        a.subscribe(str("n"));
        QCOMPARE(a.takeOne(),
                 message(str("init"), {{str("topic_name"), str("n")}, {str("value"), 5}}));
        QVERIFY(a.session->isSubscribed(str("n")));

        // The topic list describes every topic.
        a.subscribe(str("_topicsync/topic_list"));
        const QJsonObject init = a.takeOne();
        QCOMPARE(typeOf(init), str("init"));
        const QJsonObject list = argsOf(init).value(str("value")).toObject();
        QVERIFY(list.contains(str("_objects")));
        QCOMPARE(list.value(str("n")).toObject().value(str("type")).toString(), str("int"));
    }

    void stringInitCarriesTheVersion()
    {
        Engine engine;
        Hub hub(&engine);
        auto *t = engine.addTopic<StringTopic>(str("s"), str("abc"));
        t->insert(3, str("d"));
        Peer a(&hub);
        a.take();
        a.subscribe(str("s"));
        const QJsonObject args = argsOf(a.takeOne());
        QCOMPARE(args.value(str("value")).toString(), str("abcd"));
        QCOMPARE(args.value(str("id")).toString(), t->version());
        QVERIFY(!t->version().isEmpty());
    }

    void subscribeToAnUnknownTopicSendsNothing()
    {
        Engine engine;
        Hub hub(&engine);
        Peer a(&hub);
        a.take();
        a.subscribe(str("nope"));
        QVERIFY(a.take().isEmpty());
        QVERIFY(a.session->subscriptions().isEmpty());
        QCOMPARE(a.session->errorCount(), 1);
    }

    void unsubscribeStopsUpdates()
    {
        Engine engine;
        Hub hub(&engine);
        auto *n = engine.addTopic<IntTopic>(str("n"), 0);
        Peer a(&hub);
        a.subscribe(str("n"));
        a.take();
        a.send(str("unsubscribe"), {{str("topic_name"), str("n")}});
        QVERIFY(!a.session->isSubscribed(str("n")));
        n->set(3);
        QVERIFY(a.take().isEmpty());
    }

    void actionUpdatesEverySubscriberWithTheActionId()
    {
        Engine engine;
        Hub hub(&engine);
        auto *n = engine.addTopic<IntTopic>(str("n"), 1);
        Peer a(&hub), b(&hub), c(&hub);
        a.subscribe(str("n"));
        b.subscribe(str("n"));
        a.take();
        b.take();
        c.take();
        QJsonObject cmd = change(str("n"), str("int"), str("set"), str("c1"), {{str("value"), 5}});
        a.action(str("a1"), {cmd});
        QCOMPARE(n->get(), 5);
        cmd.insert(str("old_value"), 1); // filled in by the host
        const QJsonObject expected = message(
            str("update"), {{str("changes"), QJsonArray{cmd}}, {str("action_id"), str("a1")}});
        QCOMPARE(a.takeOne(), expected); // the sender confirms its change by id
        QCOMPARE(b.takeOne(), expected);
        QVERIFY(c.take().isEmpty()); // not subscribed
    }

    void refusedActionIsRejectedToTheSenderOnly()
    {
        Engine engine;
        Hub hub(&engine);
        auto *n = engine.addTopic<IntTopic>(str("n"), 1);
        auto *l = engine.addTopic<ListTopic>(str("l"), QJsonArray{1});
        Peer a(&hub), b(&hub);
        a.subscribe(str("n"));
        b.subscribe(str("n"));
        b.subscribe(str("l"));
        a.take();
        b.take();
        const QJsonObject before = snapshot(engine);
        // The first command is fine, the second is not: nothing of the action is applied.
        a.action(str("a2"),
                 {change(str("n"), str("int"), str("set"), str("c1"), {{str("value"), 9}}),
                  change(str("l"), str("list"), str("pop"), str("c2"), {{str("position"), 5}})});
        QCOMPARE(n->get(), 1);
        QCOMPARE(l->get(), QJsonArray{1});
        QCOMPARE(snapshot(engine), before);
        const QJsonObject reject = a.takeOne();
        QCOMPARE(typeOf(reject), str("reject"));
        QCOMPARE(argsOf(reject).value(str("action_id")).toString(), str("a2"));
        const QString reason = argsOf(reject).value(str("reason")).toString();
        QVERIFY2(reason.contains(str("command 1")) && reason.contains(str("out of range")),
                 qPrintable(reason));
        QVERIFY(b.take().isEmpty());
    }

    void actionsAreOneTransitionEach()
    {
        Engine engine;
        Hub hub(&engine);
        engine.addTopic<IntTopic>(str("n"), 0);
        QList<TransitionPtr> committed;
        connect(&engine, &Engine::transitionCommitted, this,
                [&](const TransitionPtr &t) { committed.append(t); });
        Peer a(&hub);
        a.action(str("a3"),
                 {change(str("n"), str("int"), str("add"), str("c1"), {{str("value"), 1}}),
                  change(str("n"), str("int"), str("add"), str("c2"), {{str("value"), 2}})});
        QCOMPARE(committed.size(), 1);
        QCOMPARE(committed[0]->changes.size(), 2);
        QCOMPARE(committed[0]->origin, a.id());
        QCOMPARE(committed[0]->actionId, str("a3"));
    }

    void badMessagesChangeNothing_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<bool>("rejected"); // an action that must get a reject
        QTest::newRow("not json") << QByteArray("{\"type\":") << false;
        QTest::newRow("not an object") << QByteArray("[1,2]") << false;
        QTest::newRow("no type") << QByteArray("{\"args\":{}}") << false;
        QTest::newRow("type not a string") << QByteArray("{\"type\":5,\"args\":{}}") << false;
        QTest::newRow("unknown type") << QByteArray("{\"type\":\"explode\",\"args\":{}}") << false;
        QTest::newRow("args not an object")
            << QByteArray("{\"type\":\"subscribe\",\"args\":[]}") << false;
        QTest::newRow("subscribe without name")
            << QByteArray("{\"type\":\"subscribe\",\"args\":{}}") << false;
        QTest::newRow("response to nothing")
            << QByteArray("{\"type\":\"response\",\"args\":{\"request_id\":\"x\",\"response\":1}}")
            << false;
        QTest::newRow("action args not an object")
            << QByteArray("{\"type\":\"action\",\"args\":7}") << true;
        QTest::newRow("action_id a number")
            << QByteArray("{\"type\":\"action\",\"args\":{\"action_id\":1,\"commands\":[]}}")
            << true;
        QTest::newRow("commands not an array")
            << QByteArray("{\"type\":\"action\",\"args\":{\"action_id\":\"a\",\"commands\":{}}}")
            << true;
        QTest::newRow("command not an object")
            << QByteArray("{\"type\":\"action\",\"args\":{\"action_id\":\"a\",\"commands\":[1]}}")
            << true;
        QTest::newRow("value of the wrong type")
            << QByteArray("{\"type\":\"action\",\"args\":{\"action_id\":\"a\",\"commands\":[{"
                          "\"topic_name\":\"n\",\"topic_type\":\"int\",\"type\":\"set\",\"id\":"
                          "\"c\",\"value\":\"7\"}]}}")
            << true;
        QTest::newRow("position a string")
            << QByteArray("{\"type\":\"action\",\"args\":{\"action_id\":\"a\",\"commands\":[{"
                          "\"topic_name\":\"l\",\"topic_type\":\"list\",\"type\":\"insert\",\"id\":"
                          "\"c\",\"item\":1,\"position\":\"0\"}]}}")
            << true;
        QTest::newRow("position out of range")
            << QByteArray("{\"type\":\"action\",\"args\":{\"action_id\":\"a\",\"commands\":[{"
                          "\"topic_name\":\"l\",\"topic_type\":\"list\",\"type\":\"insert\",\"id\":"
                          "\"c\",\"item\":1,\"position\":9}]}}")
            << true;
        QTest::newRow("negative position out of range")
            << QByteArray("{\"type\":\"action\",\"args\":{\"action_id\":\"a\",\"commands\":[{"
                          "\"topic_name\":\"l\",\"topic_type\":\"list\",\"type\":\"pop\",\"id\":"
                          "\"c\",\"position\":-9}]}}")
            << true;
        QTest::newRow("string position out of range")
            << QByteArray(
                   "{\"type\":\"action\",\"args\":{\"action_id\":\"a\",\"commands\":[{\"topic_"
                   "name\":\"s\",\"topic_type\":\"string\",\"type\":\"insert\",\"id\":\"c\","
                   "\"position\":99,\"insertion\":\"x\",\"topic_version\":\"\"}]}}")
            << true;
        QTest::newRow("unknown topic")
            << QByteArray("{\"type\":\"action\",\"args\":{\"action_id\":\"a\",\"commands\":[{"
                          "\"topic_name\":\"zz\",\"topic_type\":\"int\",\"type\":\"set\",\"id\":"
                          "\"c\",\"value\":1}]}}")
            << true;
        QTest::newRow("claimed topic_type is wrong")
            << QByteArray("{\"type\":\"action\",\"args\":{\"action_id\":\"a\",\"commands\":[{"
                          "\"topic_name\":\"n\",\"topic_type\":\"generic\",\"type\":\"set\",\"id\":"
                          "\"c\",\"value\":\"text\"}]}}")
            << true;
        QTest::newRow("claimed list on a string")
            << QByteArray("{\"type\":\"action\",\"args\":{\"action_id\":\"a\",\"commands\":[{"
                          "\"topic_name\":\"s\",\"topic_type\":\"list\",\"type\":\"insert\",\"id\":"
                          "\"c\",\"item\":\"x\",\"position\":0}]}}")
            << true;
        QTest::newRow("reversed_emit")
            << QByteArray("{\"type\":\"action\",\"args\":{\"action_id\":\"a\",\"commands\":[{"
                          "\"topic_name\":\"e\",\"topic_type\":\"event\",\"type\":\"reversed_"
                          "emit\",\"id\":\"c\",\"args\":{}}]}}")
            << true;
        QTest::newRow("system topic: topic list")
            << QByteArray("{\"type\":\"action\",\"args\":{\"action_id\":\"a\",\"commands\":[{"
                          "\"topic_name\":\"_topicsync/"
                          "topic_list\",\"topic_type\":\"dict\",\"type\":\"add\",\"id\":\"c\","
                          "\"key\":\"x\",\"value\":{\"type\":\"int\"}}]}}")
            << true;
        QTest::newRow("system topic: objects")
            << QByteArray("{\"type\":\"action\",\"args\":{\"action_id\":\"a\",\"commands\":[{"
                          "\"topic_name\":\"_objects\",\"topic_type\":\"dict\",\"type\":\"add\","
                          "\"id\":\"c\",\"key\":\"x\",\"value\":\"Root\"}]}}")
            << true;
        QTest::newRow("system topic: objects set")
            << QByteArray("{\"type\":\"action\",\"args\":{\"action_id\":\"a\",\"commands\":[{"
                          "\"topic_name\":\"_objects\",\"topic_type\":\"dict\",\"type\":\"set\","
                          "\"id\":\"c\",\"value\":{}}]}}")
            << true;
        QTest::newRow("system topic: object types")
            << QByteArray("{\"type\":\"action\",\"args\":{\"action_id\":\"a\",\"commands\":[{"
                          "\"topic_name\":\"_object_types\",\"topic_type\":\"dict\",\"type\":"
                          "\"pop\",\"id\":\"c\",\"key\":\"root\"}]}}")
            << true;
    }
    void badMessagesChangeNothing()
    {
        QFETCH(QByteArray, text);
        QFETCH(bool, rejected);
        Engine engine;
        Hub hub(&engine);
        engine.addTopic<IntTopic>(str("n"), 1);
        engine.addTopic<ListTopic>(str("l"), QJsonArray{1});
        engine.addTopic<StringTopic>(str("s"), str("abc"));
        engine.addTopic(str("e"), TopicType::Event);
        Peer a(&hub), b(&hub);
        for (const char *t : {"n", "l", "s", "_objects", "_topicsync/topic_list"}) {
            a.subscribe(str(t));
            b.subscribe(str(t));
        }
        a.take();
        b.take();
        const QJsonObject before = snapshot(engine);

        a.sendText(text);
        QCOMPARE(snapshot(engine), before);
        QVERIFY(b.take().isEmpty());
        QVERIFY(!a.session->isClosed());
        QCOMPARE(a.session->errorCount(), 1);
        const QList<QJsonObject> out = a.take();
        if (rejected) {
            QCOMPARE(out.size(), 1);
            QCOMPARE(typeOf(out[0]), str("reject"));
            QVERIFY(!argsOf(out[0]).value(str("reason")).toString().isEmpty());
        } else {
            QVERIFY(
                out.isEmpty()); // a version-0 client is never sent message types it does not know
        }
    }

    void versionOneClientsGetErrors()
    {
        Engine engine;
        Hub hub(&engine);
        Peer a(&hub);
        a.send(str("hello"), {{str("version"), 1}});
        QCOMPARE(a.session->protocolVersion(), 1);
        a.take();
        a.send(str("explode"), {});
        const QJsonObject error = a.takeOne();
        QCOMPARE(typeOf(error), str("error"));
        QCOMPARE(argsOf(error).value(str("message_type")).toString(), str("explode"));
        QVERIFY(
            argsOf(error).value(str("reason")).toString().contains(str("unknown message type")));
    }

    void rejectReasonsDoNotLeakValues()
    {
        Engine engine;
        Hub hub(&engine);
        auto *d =
            engine.addTopic<DictTopic>(str("d"), QJsonObject{{str("secret"), str("hunter2")}});
        Q_UNUSED(d);
        Peer a(&hub);
        a.take();
        a.action(str("a"), {change(str("d"), str("dict"), str("add"), str("c"),
                                   {{str("key"), str("secret")}, {str("value"), 1}})});
        const QString reason = argsOf(a.takeOne()).value(str("reason")).toString();
        QVERIFY(reason.contains(str("already exists")));
        QVERIFY(!reason.contains(str("hunter2")));
    }

    void clientsCreateAndDestroyObjects()
    {
        Engine engine;
        engine.registerType<Note>();
        Hub hub(&engine);
        Peer a(&hub), b(&hub);
        b.subscribe(str("_objects"));
        a.take();
        b.take();
        const QString id = QString::number(a.id()) + str("_1");
        a.action(str("create"), {change(str("create_object"), str("event"), str("emit"), str("e1"),
                                        {{str("args"), QJsonObject{{str("type"), str("Note")},
                                                                   {str("parent_id"), str("root")},
                                                                   {str("id"), id}}}})});
        QVERIFY(engine.objectAs<Note>(id));
        // The other client learns of it through _objects.
        const QJsonObject update = b.takeOne();
        QCOMPARE(typeOf(update), str("update"));
        QCOMPARE(argsOf(update).value(str("action_id")).toString(), str("create"));
        const QJsonArray changes = argsOf(update).value(str("changes")).toArray();
        QCOMPARE(changes.size(), 1);
        QCOMPARE(changes[0].toObject().value(str("key")).toString(), id);
        QCOMPARE(changes[0].toObject().value(str("value")).toString(), str("note"));
        QVERIFY(a.take().isEmpty()); // a is not subscribed to anything

        // Without an id the host makes one.
        const qsizetype before = engine.objectCount();
        a.action(str("create2"),
                 {change(str("create_object"), str("event"), str("emit"), str("e2"),
                         {{str("args"), QJsonObject{{str("type"), str("Note")}}}})});
        QCOMPARE(engine.objectCount(), before + 1);
        QVERIFY(a.take().isEmpty());

        a.action(str("destroy"),
                 {change(str("destroy_object"), str("event"), str("emit"), str("e3"),
                         {{str("args"), QJsonObject{{str("id"), id}}}})});
        QVERIFY(!engine.object(id));
        QVERIFY(a.take().isEmpty());
    }

    void clientObjectIdsMustCarryTheClientPrefix()
    {
        Engine engine;
        engine.registerType<Note>();
        Hub hub(&engine);
        Peer a(&hub);
        a.take();
        const QJsonObject before = snapshot(engine);
        const auto create = [&](const QJsonObject &args) {
            a.action(str("x"), {change(str("create_object"), str("event"), str("emit"), str("e"),
                                       {{str("args"), args}})});
            return a.takeOne();
        };
        // Another client's prefix, the host's prefix, a bare prefix, a non-string id.
        for (const QJsonValue &bad :
             {QJsonValue(QString::number(a.id() + 1) + str("_1")), QJsonValue(str("0_7")),
              QJsonValue(QString::number(a.id()) + str("_")), QJsonValue(12)}) {
            const QJsonObject m = create({{str("type"), str("Note")}, {str("id"), bad}});
            QCOMPARE(typeOf(m), str("reject"));
        }
        // Ids inside a serialized tree are checked too.
        const QJsonObject tree{
            {str("type"), str("Note")},
            {str("id"), QString::number(a.id()) + str("_5")},
            {str("children"),
             QJsonArray{QJsonObject{{str("type"), str("Note")}, {str("id"), str("0_99")}}}}};
        QCOMPARE(typeOf(create({{str("serialized"), tree}})), str("reject"));
        QCOMPARE(snapshot(engine), before);

        // A well-formed serialized tree is accepted.
        QJsonObject good = tree;
        good.insert(str("children"),
                    QJsonArray{QJsonObject{{str("type"), str("Note")},
                                           {str("id"), QString::number(a.id()) + str("_6")}}});
        a.action(str("ok"), {change(str("create_object"), str("event"), str("emit"), str("e"),
                                    {{str("args"), QJsonObject{{str("serialized"), good}}}})});
        QVERIFY(a.take().isEmpty());
        QVERIFY(engine.object(QString::number(a.id()) + str("_5")));
        QVERIFY(engine.object(QString::number(a.id()) + str("_6")));
    }

    void clientCanWriteAttributesOfAnObjectItCreatesInTheSameAction()
    {
        Engine engine;
        engine.registerType<Note>();
        Hub hub(&engine);
        Peer a(&hub);
        a.take();
        const QString id = QString::number(a.id()) + str("_1");
        a.action(str("x"),
                 {change(str("create_object"), str("event"), str("emit"), str("e"),
                         {{str("args"), QJsonObject{{str("type"), str("Note")}, {str("id"), id}}}}),
                  change(str("a/") + id + str("/count"), str("int"), str("set"), str("c"),
                         {{str("value"), 42}})});
        QVERIFY(a.take().isEmpty());
        QCOMPARE(engine.objectAs<Note>(id)->count->get(), 42);
    }

    void closedSessionIgnoresInput()
    {
        Engine engine;
        Hub hub(&engine);
        auto *n = engine.addTopic<IntTopic>(str("n"), 0);
        Peer a(&hub);
        a.take();
        a.session->close(1000, str("bye"));
        a.action(str("x"),
                 {change(str("n"), str("int"), str("set"), str("c"), {{str("value"), 5}})});
        QCOMPARE(n->get(), 0);
        QVERIFY(a.take().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TstSession)
#include "tst_session.moc"
