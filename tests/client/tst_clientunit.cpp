// SPDX-License-Identifier: MIT
// The client against a scripted host, message by message: connecting and mirroring, local
// changes and action scopes, services both ways, the topic list, the object tree, bad input
// and disconnection.
#include "clientunitfixture.h"

using namespace objectsync;
using namespace clientunit;

class TstClientUnit : public QObject, protected ClientUnitFixture
{
    Q_OBJECT

private slots:
    void cleanup() { stop(); }

    void helloSubscribesAndMirrorsInitValues()
    {
        start();
        QCOMPARE(client->value("n"), QJsonValue(1));
        QCOMPARE(client->value("s"), QJsonValue("abc"));
        QCOMPARE(client->version("s"), QStringLiteral("v0"));
        QCOMPARE(client->value("d"), QJsonValue(QJsonObject{{"k", 1}}));
        QCOMPARE(client->topicInfo("l")->type, TopicType::List);
        QVERIFY(!client->topicInfo("nope"));
        QVERIFY(client->isSubscribed("g"));
        QCOMPARE(client->topicNames().size(), 9);
    }

    void followNothingSubscribesOnlyWhenAsked()
    {
        start(Client::Follow::Nothing);
        client->subscribe("n");
        QTRY_COMPARE_WITH_TIMEOUT(host->subscriptions().size(), 2, kTimeout);
        QCOMPARE(host->subscriptions().last(), QStringLiteral("n"));
        QVERIFY(!client->hasValue("n"));
        host->send("init", init("n", 41));
        QTRY_COMPARE_WITH_TIMEOUT(client->value("n"), QJsonValue(41), kTimeout);
    }

    void optimisticChangeIsConfirmedByTheEcho()
    {
        start();
        QSignalSpy confirmed(client.get(), &Client::actionConfirmed);
        const Result<QString> sent = client->set("n", 5);
        QCOMPARE(sent.errorMessage(), QString());
        const QString id = *sent;
        QVERIFY(id.startsWith(QStringLiteral("7_")));
        QCOMPARE(client->value("n"), QJsonValue(5)); // applied at once
        QCOMPARE(client->pendingCount(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(host->args("action").size(), 1, kTimeout);
        const QJsonObject a = lastAction();
        QCOMPARE(a.value("action_id").toString(), id);
        const QJsonObject c = a.value("commands").toArray().at(0).toObject();
        QCOMPARE(c.value("topic_name").toString(), QStringLiteral("n"));
        QCOMPARE(c.value("topic_type").toString(), QStringLiteral("int"));
        QCOMPARE(c.value("type").toString(), QStringLiteral("set"));
        QCOMPARE(c.value("value").toInt(), 5);
        QVERIFY(c.value("id").toString().startsWith(QStringLiteral("7_")));
        QVERIFY(c.value("id").toString() != id);
        echoLastAction();
        QTRY_COMPARE_WITH_TIMEOUT(confirmed.size(), 1, kTimeout);
        QCOMPARE(confirmed.at(0).at(0).toString(), id);
        QCOMPARE(client->pendingCount(), 0);
        QCOMPARE(client->value("n"), QJsonValue(5));
    }

    void everyChangeKindIsEncodedAndAppliedLocally()
    {
        start();
        QVERIFY(client->add("n", 2));
        QVERIFY(client->add("f", 0.25));
        QVERIFY(client->insertText("s", 3, "def"));
        QVERIFY(client->deleteText("s", 0, 1));
        QVERIFY(client->addKey("d", "x", true));
        QVERIFY(client->changeValue("d", "k", 2));
        QVERIFY(client->popKey("d", "x"));
        QVERIFY(client->insertItem("l", -1, 3));
        QVERIFY(client->popItem("l", 0));
        QVERIFY(client->append("tags", "b"));
        QVERIFY(client->remove("tags", "a"));
        QVERIFY(client->set("g", QJsonObject{{"any", QJsonArray{1}}}));
        QVERIFY(client->emitEvent("ev", {{"x", 1}}));
        QCOMPARE(client->value("n"), QJsonValue(3));
        QCOMPARE(client->value("f"), QJsonValue(0.75));
        QCOMPARE(client->value("s"), QJsonValue("bcdef"));
        QCOMPARE(client->value("d"), QJsonValue(QJsonObject{{"k", 2}}));
        QCOMPARE(client->value("l"), QJsonValue(QJsonArray{2, 3}));
        QCOMPARE(client->value("tags"), QJsonValue(QJsonArray{"b"}));
        QCOMPARE(client->pendingCount(), 13);
        // The delete is held back until the insert before it on the same text is answered.
        QTRY_COMPARE_WITH_TIMEOUT(host->args("action").size(), 3, kTimeout);
        QTest::qWait(50);
        QCOMPARE(host->args("action").size(), 3);
        QSignalSpy events(client.get(), &Client::eventReceived);
        QSignalSpy rolled(client.get(), &Client::rolledBack);
        // The host confirms everything in order, as it arrives: nothing moves.
        qsizetype echoed = 0;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const auto actions = host->args("action");
                for (; echoed < actions.size(); ++echoed)
                    host->send("update", update(actions.at(echoed).value("commands").toArray(),
                                                actions.at(echoed).value("action_id").toString()));
                return client->pendingCount() == 0;
            }(),
            kTimeout);
        const auto actions = host->args("action");
        QCOMPARE(actions.size(), 13);
        const auto first = [&](int i) {
            return actions.at(i).value("commands").toArray().at(0).toObject();
        };
        QCOMPARE(first(1).value("value").toDouble(), 0.25);
        const QJsonObject insert = first(2);
        QCOMPARE(insert.value("insertion").toString(), QStringLiteral("def"));
        QCOMPARE(insert.value("position").toInt(), 3);
        QCOMPARE(insert.value("topic_version").toString(), QStringLiteral("v0"));
        const QString v1 = insert.value("result_topic_version").toString();
        QVERIFY(!v1.isEmpty() && v1 != QStringLiteral("v0"));
        const QJsonObject del = first(3);
        QCOMPARE(del.value("deletion").toString(), QStringLiteral("a"));
        QCOMPARE(del.value("topic_version").toString(), v1); // the version the host confirmed
        QCOMPARE(client->version("s"), del.value("result_topic_version").toString());
        QCOMPARE(first(4).value("key").toString(), QStringLiteral("x"));
        QCOMPARE(first(7).value("item").toInt(), 3);
        QCOMPARE(first(7).value("position").toInt(), -1); // sent as meant
        QCOMPARE(first(9).value("item").toString(), QStringLiteral("b"));
        QCOMPARE(first(12).value("args").toObject().value("x").toInt(), 1);
        QCOMPARE(rolled.size(), 0);
        QCOMPARE(events.size(), 1);
        QCOMPARE(client->value("s"), QJsonValue("bcdef"));
        QCOMPARE(client->value("l"), QJsonValue(QJsonArray{2, 3}));
    }

    void invalidLocalChangeFailsAndSendsNothing()
    {
        start();
        const auto fails = [](const Result<QString> &r, ErrorCode code, const QString &text) {
            if (r.ok())
                return QStringLiteral("succeeded: %1").arg(r.value());
            if (r.error().code() != code)
                return QStringLiteral("code %1: %2")
                    .arg(errorCodeName(r.error().code()), r.errorMessage());
            return r.errorMessage().contains(text) ? QString() : r.errorMessage();
        };
        const ErrorCode invalid = ErrorCode::InvalidArgument;
        QCOMPARE(fails(client->addKey("d", "k", 2), invalid, "exists"), QString());
        QCOMPARE(fails(client->set("n", "text"), invalid, "an int topic"), QString());
        QCOMPARE(fails(client->add("n", 0.5), invalid, "an int topic takes an integer"), QString());
        QCOMPARE(fails(client->append("tags", "a"), invalid, "append on topic tags"), QString());
        QCOMPARE(fails(client->popItem("l", 5), invalid, "out of range"), QString());
        QCOMPARE(fails(client->deleteText("s", 2, 5), invalid, "out of the text"), QString());
        QCOMPARE(fails(client->set("missing", 1), ErrorCode::NotFound, "unknown topic missing"),
                 QString());
        QCOMPARE(fails(client->set("_topicsync/topic_list", QJsonObject()),
                       ErrorCode::PermissionDenied, "the topic list cannot be changed"),
                 QString());
        QCOMPARE(client->value("d"), QJsonValue(QJsonObject{{"k", 1}}));
        QCOMPARE(client->value("n"), QJsonValue(1));
        QCOMPARE(client->pendingCount(), 0);
        QVERIFY(client->set("n", 2)); // a marker: it must be the first action the host sees
        QTRY_COMPARE_WITH_TIMEOUT(host->args("action").size(), 1, kTimeout);
        QCOMPARE(lastAction().value("commands").toArray().at(0).toObject().value("value").toInt(),
                 2);
    }

    void actionScopeSendsOneActionOrNothing()
    {
        start();
        {
            auto action = client->action();
            QVERIFY(client->set("n", 2));
            QVERIFY(client->addKey("d", "a", 1));
            const Result<QString> again = client->addKey("d", "a", 1);
            QVERIFY(!again); // the scope goes on
            QCOMPARE(again.error().code(), ErrorCode::InvalidArgument);
            QVERIFY(client->insertText("s", 0, "_"));
            QCOMPARE(client->value("n"), QJsonValue(2));
            const Result<QString> committed = action.commit();
            QVERIFY(committed);
            QVERIFY(!committed->isEmpty());
        }
        QTRY_COMPARE_WITH_TIMEOUT(host->args("action").size(), 1, kTimeout);
        QCOMPARE(lastAction().value("commands").toArray().size(), 3);
        try {
            auto action = client->action();
            QVERIFY(client->set("n", 99));
            QVERIFY(client->append("tags", "z"));
            throw std::runtime_error("abandon");
        } catch (const std::runtime_error &) {
        }
        QCOMPARE(client->value("n"), QJsonValue(2));
        QCOMPARE(client->value("tags"), QJsonValue(QJsonArray{"a"}));
        QCOMPARE(client->pendingCount(), 3);
        QVERIFY(client->set("g", 1)); // a marker
        QTRY_COMPARE_WITH_TIMEOUT(host->args("action").size(), 2, kTimeout);
        QCOMPARE(lastAction().value("commands").toArray().size(), 1);
    }

    void messagesDuringAScopeWaitForIt()
    {
        start();
        auto action = client->action();
        QVERIFY(client->set("n", 3));
        host->send("update", update({change("n", "int", "add", "9_1", {{"value", 10}})}, "9_2"));
        QTest::qWait(100); // the update arrives while the scope is open
        QCOMPARE(client->value("n"), QJsonValue(3));
        QVERIFY(action.commit());
        QCOMPARE(client->value("n"), QJsonValue(3)); // the host's add below, our set on top
        QCOMPARE(client->pendingCount(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(host->args("action").size(), 1, kTimeout);
        echoLastAction();
        QTRY_COMPARE_WITH_TIMEOUT(client->pendingCount(), 0, kTimeout);
        QCOMPARE(client->value("n"), QJsonValue(3));
    }

    void servicesBothWays()
    {
        start();
        QFuture<Result<QJsonValue>> future = client->undo("0_3");
        QTRY_COMPARE_WITH_TIMEOUT(host->args("request").size(), 1, kTimeout);
        const QJsonObject req = host->args("request").at(0);
        QCOMPARE(req.value("service_name").toString(), QStringLiteral("undo"));
        QCOMPARE(req.value("args").toObject().value("id").toString(), QStringLiteral("0_3"));
        std::optional<Result<QJsonValue>> viaCallback;
        client->request("echo", {{"x", 1}},
                        [&](const Result<QJsonValue> &response) { viaCallback = response; });
        QFuture<Result<QJsonValue>> failing = client->request("broken");
        QTRY_COMPARE_WITH_TIMEOUT(host->args("request").size(), 3, kTimeout);
        host->send("response", {{"request_id", host->args("request").at(1).value("request_id")},
                                {"response", QJsonObject{{"x", 1}}}});
        host->send("response", {{"request_id", req.value("request_id")}, {"response", "done"}});
        host->send("response", {{"request_id", host->args("request").at(2).value("request_id")},
                                {"response", QJsonValue()},
                                {"error", "it broke"}});
        QTRY_VERIFY_WITH_TIMEOUT(future.isFinished() && failing.isFinished(), kTimeout);
        QCOMPARE(future.result().errorMessage(), QString());
        QCOMPARE(*future.result(), QJsonValue("done"));
        QVERIFY(viaCallback && viaCallback->ok());
        QCOMPARE(viaCallback->value(), QJsonValue(QJsonObject{{"x", 1}}));
        const Result<QJsonValue> broken = failing.result(); // a value, not an exception
        QVERIFY(!broken);
        QCOMPARE(broken.error().code(), ErrorCode::Refused);
        QCOMPARE(broken.errorMessage(), QStringLiteral("it broke"));

        client->registerService("double", [](const QJsonObject &args) {
            return QJsonValue(args.value("n").toInt() * 2);
        });
        client->registerService(
            "fail", [](const QJsonObject &) -> QJsonValue { throw Error(QStringLiteral("no")); });
        host->send(
            "request",
            {{"service_name", "double"}, {"args", QJsonObject{{"n", 21}}}, {"request_id", 5}});
        host->send("request",
                   {{"service_name", "fail"}, {"args", QJsonObject()}, {"request_id", 6}});
        host->send("request",
                   {{"service_name", "unknown"}, {"args", QJsonObject()}, {"request_id", 7}});
        QTRY_COMPARE_WITH_TIMEOUT(host->args("response").size(), 3, kTimeout);
        const auto responses = host->args("response");
        QCOMPARE(responses.at(0).value("request_id").toInt(), 5);
        QCOMPARE(responses.at(0).value("response").toInt(), 42);
        QVERIFY(responses.at(1).value("response").isNull());
        QVERIFY(responses.at(2).value("response").isNull());
    }

    void topicListChangesAddAndRemoveTopics()
    {
        start();
        QSignalSpy added(client.get(), &Client::topicAdded);
        QSignalSpy removed(client.get(), &Client::topicRemoved);
        QJsonArray changes;
        changes.append(change("_topicsync/topic_list", "dict", "add", "h1_0",
                              {{"key", "fresh"}, {"value", descriptor("int", 4)}}));
        changes.append(change("_topicsync/topic_list", "dict", "pop", "h1_1", {{"key", "g"}}));
        host->send("update", update(changes, ""));
        QTRY_COMPARE_WITH_TIMEOUT(added.size(), 1, kTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(removed.size(), 1, kTimeout);
        QVERIFY(!client->hasValue("g"));
        QVERIFY(!client->isSubscribed("g"));
        QTRY_VERIFY_WITH_TIMEOUT(host->subscriptions().contains("fresh"), kTimeout);
        host->send("init", init("fresh", 4));
        QTRY_COMPARE_WITH_TIMEOUT(client->value("fresh"), QJsonValue(4), kTimeout);
        QVERIFY(client->topicNames().contains("fresh"));
        QVERIFY(!client->topicNames().contains("g"));
    }

    void topicGoneAndBackDoesNotApplyOwnChangesTwice()
    {
        start();
        QVERIFY(client->insertItem("l", -1, 3));
        QVERIFY(client->insertText("s", 0, ">"));
        QTRY_COMPARE_WITH_TIMEOUT(host->args("action").size(), 2, kTimeout);
        // The topics go away before the host gets to the actions, then come back (an undo);
        // the host applies the actions to the new topics without echoing them.
        QJsonArray gone;
        gone.append(change("_topicsync/topic_list", "dict", "pop", "h1_0", {{"key", "l"}}));
        gone.append(change("_topicsync/topic_list", "dict", "pop", "h1_1", {{"key", "s"}}));
        host->send("update", update(gone, ""));
        QJsonArray back;
        back.append(change("_topicsync/topic_list", "dict", "add", "h2_0",
                           {{"key", "l"}, {"value", descriptor("list")}}));
        back.append(change("_topicsync/topic_list", "dict", "add", "h2_1",
                           {{"key", "s"}, {"value", descriptor("string")}}));
        host->send("update", update(back, ""));
        QTRY_COMPARE_WITH_TIMEOUT(host->subscriptions().count("s"), 2, kTimeout);
        QCOMPARE(client->pendingCount(), 0);
        host->send("init", init("l", QJsonArray{1, 2, 3}));
        host->send("init", init("s", ">abc", "v9"));
        QTRY_COMPARE_WITH_TIMEOUT(client->value("s"), QJsonValue(">abc"), kTimeout);
        QCOMPARE(client->value("l"), QJsonValue(QJsonArray{1, 2, 3}));
        QCOMPARE(client->pendingCount(), 0);
    }

    void objectTreeView()
    {
        start(Client::Follow::ObjectTree);
        QJsonArray changes;
        for (const QString name : {"_objects", "parent_id/root", "parent_id/0_1", "a/0_1/x"})
            changes.append(change(
                "_topicsync/topic_list", "dict", "add", name,
                {{"key", name}, {"value", descriptor(name.startsWith("p") ? "string" : "dict")}}));
        host->send("update", update(changes, ""));
        QTRY_COMPARE_WITH_TIMEOUT(host->subscriptions().size(), 4, kTimeout);
        QVERIFY(!host->subscriptions().contains("a/0_1/x"));
        host->send("init", init("_objects", QJsonObject{{"root", "Root"}, {"0_1", "text"}}));
        host->send("init", init("parent_id/root", "", "1"));
        host->send("init", init("parent_id/0_1", "root", "2"));
        QTRY_COMPARE_WITH_TIMEOUT(client->parentId("0_1"), QStringLiteral("root"), kTimeout);
        QCOMPARE(client->objectIds(), (QStringList{"0_1", "root"}));
        QCOMPARE(client->frontendType("0_1"), QStringLiteral("text"));
        QCOMPARE(client->childIds("root"), QStringList{"0_1"});
        const QJsonObject tree = client->objectTree();
        QCOMPARE(tree.value("0_1").toObject().value("parent").toString(), QStringLiteral("root"));
        QCOMPARE(tree.value("root").toObject().value("type").toString(), QStringLiteral("Root"));
    }

    void badHostInputIsReportedAndChangesNothing()
    {
        start();
        QSignalSpy errors(client.get(), &Client::errorOccurred);
        host->sendRaw("not json");
        host->sendRaw("[1,2]");
        host->send("init", init("n", "not an int"));
        host->send("update", update({QJsonObject{{"topic_name", "n"}}}, "")); // malformed change
        host->send("update", update({change("d", "dict", "pop", "9_1", {{"key", "missing"}})}, ""));
        host->send("surprise", {});
        QTRY_COMPARE_WITH_TIMEOUT(errors.size(), 4, kTimeout);
        QCOMPARE(client->value("n"), QJsonValue(1));
        // The change that did not apply makes the client reload the topic.
        QTRY_VERIFY_WITH_TIMEOUT(host->args("unsubscribe").size() == 1, kTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(host->subscriptions().count("d"), 2, kTimeout);
        host->send("init", init("d", QJsonObject{{"k", 2}}));
        QTRY_COMPARE_WITH_TIMEOUT(client->value("d"), QJsonValue(QJsonObject{{"k", 2}}), kTimeout);
        QCOMPARE(client->state(), Client::State::Connected);
    }

    void disconnectRollsBackAndFailsRequests()
    {
        start();
        QSignalSpy gone(client.get(), &Client::disconnected);
        QVERIFY(client->set("n", 9));
        QFuture<Result<QJsonValue>> future = client->request("slow");
        QString callbackError;
        client->request("slow too", {},
                        [&](const Result<QJsonValue> &r) { callbackError = r.errorMessage(); });
        QTRY_COMPARE_WITH_TIMEOUT(host->args("request").size(), 2, kTimeout);
        host->peer()->close();
        QTRY_COMPARE_WITH_TIMEOUT(gone.size(), 1, kTimeout);
        QCOMPARE(client->state(), Client::State::Disconnected);
        QCOMPARE(client->value("n"), QJsonValue(1));
        QVERIFY(future.isFinished() && !future.isCanceled());
        QCOMPARE(future.result().error().code(), ErrorCode::Io);
        QCOMPARE(callbackError, QStringLiteral("the connection closed"));
        const Result<QString> offline = client->set("n", 3);
        QVERIFY(!offline);
        QCOMPARE(offline.error().code(), ErrorCode::Io);
        QCOMPARE(offline.errorMessage(), QStringLiteral("the client is not connected"));
        const QFuture<Result<QJsonValue>> later = client->request("later");
        QVERIFY(later.isFinished() && !later.isCanceled()); // answered at once
        QCOMPARE(later.result().error().code(), ErrorCode::Io);
    }
};

QTEST_GUILESS_MAIN(TstClientUnit)
#include "tst_clientunit.moc"
