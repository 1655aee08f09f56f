// SPDX-License-Identifier: MIT
// Session: requests both ways, in memory. Every request a client makes gets a response,
// undo and redo are services, and the host can call services of a client.

#include "testsupport.h"

using namespace testsupport;

class TstSessionRequests : public QObject
{
    Q_OBJECT
private slots:
    void undoAndRedoServices()
    {
        Engine engine;
        Hub hub(&engine);
        auto *note = engine.createObject<Note>();
        const QString topic = note->count->name();
        Peer a(&hub);
        a.take();
        a.action(str("x"), {change(topic, str("int"), str("set"), str("c"), {{str("value"), 5}})});
        QCOMPARE(note->count->get(), 5);

        // Clients send the object as "id".
        a.request(str("undo"), {{str("id"), note->id()}}, str("r1"));
        QCOMPARE(a.takeOne(), message(str("response"), {{str("response"), QJsonValue()},
                                                        {str("request_id"), str("r1")}}));
        QCOMPARE(note->count->get(), 0);
        // The original host expected "target".
        a.request(str("redo"), {{str("target"), note->id()}}, str("r2"));
        QCOMPARE(argsOf(a.takeOne()).value(str("request_id")).toString(), str("r2"));
        QCOMPARE(note->count->get(), 5);
        // Without an object: the root's history (which holds every transition).
        a.request(str("undo"), {}, str("r3"));
        QVERIFY(!argsOf(a.takeOne()).contains(str("error")));
        QCOMPARE(note->count->get(), 0);
        // Errors still get a response.
        a.request(str("undo"), {{str("id"), str("nope")}}, str("r4"));
        QJsonObject r = argsOf(a.takeOne());
        QCOMPARE(r.value(str("request_id")).toString(), str("r4"));
        QVERIFY(r.value(str("response")).isNull());
        QVERIFY(r.value(str("error")).toString().contains(str("does not exist")));
        a.request(str("redo"), {{str("id"), note->id()}}, str("r5"));
        a.take();
        a.request(str("redo"), {{str("id"), note->id()}}, str("r6"));
        r = argsOf(a.takeOne());
        QVERIFY(r.value(str("error")).toString().contains(str("nothing to redo")));
    }

    void undoUpdatesAreHostMade()
    {
        Engine engine;
        Hub hub(&engine);
        auto *n = engine.addTopic<IntTopic>(str("n"), 0);
        Peer a(&hub);
        a.subscribe(str("n"));
        a.take();
        a.action(str("x"),
                 {change(str("n"), str("int"), str("set"), str("c"), {{str("value"), 5}})});
        a.take();
        a.request(str("undo"), {}, str("r"));
        const QList<QJsonObject> out = a.take();
        QCOMPARE(out.size(), 2); // the update comes before the response
        QCOMPARE(typeOf(out[0]), str("update"));
        QCOMPARE(argsOf(out[0]).value(str("action_id")).toString(), QString());
        QCOMPARE(typeOf(out[1]), str("response"));
        QCOMPARE(n->get(), 0);
    }

    void everyRequestGetsAResponse()
    {
        Engine engine;
        engine.registerService(str("sum"), [](const QJsonObject &args) {
            return QJsonValue(args.value(str("a")).toInt() + args.value(str("b")).toInt());
        });
        engine.registerService(str("fail"), [](const QJsonObject &) -> QJsonValue {
            throw Error(str("it went wrong"));
        });
        engine.registerService(str("crash"), [](const QJsonObject &) -> QJsonValue {
            throw std::runtime_error("boom");
        });
        int origin = -1;
        engine.registerService(str("who"), [&](const QJsonObject &) {
            origin = engine.currentOrigin();
            return QJsonValue();
        });
        Hub hub(&engine);
        Peer a(&hub);
        a.take();
        a.request(str("sum"), {{str("a"), 2}, {str("b"), 3}}, str("r1"));
        QCOMPARE(a.takeOne(),
                 message(str("response"), {{str("response"), 5}, {str("request_id"), str("r1")}}));

        for (const char *service : {"nope", "fail", "crash"}) {
            a.request(str(service), {}, str("r2"));
            const QJsonObject r = argsOf(a.takeOne());
            QCOMPARE(r.value(str("request_id")).toString(), str("r2"));
            QVERIFY(r.contains(str("response")));
            QVERIFY(r.value(str("response")).isNull());
            QVERIFY(!r.value(str("error")).toString().isEmpty());
        }
        // Malformed requests too.
        a.send(str("request"), {{str("request_id"), str("r3")}});
        QVERIFY(argsOf(a.takeOne()).value(str("error")).toString().contains(str("service_name")));
        a.send(
            str("request"),
            {{str("service_name"), str("sum")}, {str("args"), 4}, {str("request_id"), str("r4")}});
        QVERIFY(argsOf(a.takeOne()).value(str("error")).toString().contains(str("args")));
        a.send(str("request"), {{str("service_name"), str("sum")}});
        QVERIFY(argsOf(a.takeOne()).value(str("error")).toString().contains(str("request_id")));
        // Numeric request ids come back as they were sent.
        a.send(str("request"), {{str("service_name"), str("sum")},
                                {str("args"), QJsonObject()},
                                {str("request_id"), 17}});
        QCOMPARE(argsOf(a.takeOne()).value(str("request_id")), QJsonValue(17));
        // A service learns which client called it; nothing is left open.
        Q_UNUSED(origin);
    }

    void serviceTransitionsAreAttributedToTheCaller()
    {
        Engine engine;
        auto *n = engine.addTopic<IntTopic>(str("n"), 0);
        engine.registerService(str("bump"), [&](const QJsonObject &) {
            n->add(1);
            return QJsonValue();
        });
        QList<TransitionPtr> committed;
        connect(&engine, &Engine::transitionCommitted, this,
                [&](const TransitionPtr &t) { committed.append(t); });
        Hub hub(&engine);
        Peer a(&hub);
        a.request(str("bump"), {}, str("r"));
        QCOMPARE(committed.size(), 1);
        QCOMPARE(committed[0]->origin, a.id());
    }

    void hostRequestsTheClient()
    {
        QJsonValue got;
        QString error = str("unset");
        int calls = 0;
        Engine engine;
        Hub hub(&engine);
        Peer a(&hub);
        a.take();
        const QString id = a.session->request(str("ping"), {{str("x"), 1}},
                                              [&](const QJsonValue &r, const QString &e) {
                                                  got = r;
                                                  error = e;
                                              });
        QVERIFY(!id.isEmpty());
        QCOMPARE(a.takeOne(), message(str("request"), {{str("service_name"), str("ping")},
                                                       {str("args"), QJsonObject{{str("x"), 1}}},
                                                       {str("request_id"), id}}));
        QCOMPARE(a.session->pendingRequestCount(), 1);
        a.send(str("response"), {{str("request_id"), id}, {str("response"), str("pong")}});
        QCOMPARE(got, QJsonValue(str("pong")));
        QVERIFY(error.isEmpty());
        QCOMPARE(a.session->pendingRequestCount(), 0);
        // A second response to the same request is an error and changes nothing.
        a.send(str("response"), {{str("request_id"), id}, {str("response"), str("again")}});
        QCOMPARE(got, QJsonValue(str("pong")));
        QCOMPARE(a.session->errorCount(), 1);

        // Requests still waiting when the connection closes get an error.
        a.session->request(str("ping"), {}, [&](const QJsonValue &, const QString &e) {
            ++calls;
            error = e;
        });
        a.session->close(1000, str("bye"));
        QCOMPARE(calls, 1);
        QVERIFY(!error.isEmpty());
        // And a closed session refuses new ones at once.
        a.session->request(str("ping"), {}, [&](const QJsonValue &, const QString &) { ++calls; });
        QCOMPARE(calls, 2);
    }
};

QTEST_GUILESS_MAIN(TstSessionRequests)
#include "tst_sessionrequests.moc"
