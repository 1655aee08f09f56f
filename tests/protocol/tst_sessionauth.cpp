// SPDX-License-Identifier: MIT
// Access control in the Session: the token in the first message, and the policy's say on
// every write and every call.

#include "testsupport.h"

#include <objectsync/access.h>

#include <QSignalSpy>

using namespace testsupport;
namespace closecode = objectsync::protocol::closecode;

namespace {

/*! Tokens "good" (editor) and "view" (viewer); asks for a token when there is none. Viewers
 *  may not write nor call; it remembers what it was asked. */
class TestPolicy : public AccessPolicy
{
public:
    AccessDecision authenticate(const ConnectionRequest &request) override
    {
        requests.append(request);
        if (throwOnAuthenticate)
            throw std::runtime_error("broken policy");
        if (request.token.isEmpty())
            return AccessDecision::askForToken();
        if (request.token == str("good"))
            return AccessDecision::allow(str("editor"));
        if (request.token == str("view"))
            return AccessDecision::allow(str("viewer"));
        if (request.token == str("again"))
            return AccessDecision::askForToken();
        return AccessDecision::deny(str("unknown token ") + request.token);
    }
    Result<void> mayWrite(const AccessClient &client, const Change &change) override
    {
        writes.append(change.topicName);
        if (throwOnWrite)
            throw std::runtime_error("broken policy");
        if (client.identity == str("editor"))
            return {};
        return Error(ErrorCode::PermissionDenied, str("viewers may not write"));
    }
    Result<void> mayCall(const AccessClient &client, const QString &service,
                         const QJsonObject &) override
    {
        calls.append(service);
        if (client.identity == str("editor"))
            return {};
        return Error(ErrorCode::PermissionDenied, str("viewers may not call"));
    }

    QList<ConnectionRequest> requests;
    QStringList writes;
    QStringList calls;
    bool throwOnAuthenticate = false;
    bool throwOnWrite = false;
};

ConnectionRequest browserRequest()
{
    ConnectionRequest r;
    r.peerAddress = QHostAddress(QHostAddress::LocalHost);
    r.peerPort = 5000;
    r.origin = str("http://localhost:8765");
    r.url = QUrl(str("ws://localhost:8765/app"));
    return r;
}

QByteArray hello(const QJsonObject &args)
{
    return toText(message(str("hello"), args));
}

} // namespace

class TstSessionAuth : public QObject
{
    Q_OBJECT
private slots:
    void nothingIsSentBeforeTheToken()
    {
        Engine engine;
        Hub hub(&engine);
        auto policy = std::make_shared<TestPolicy>();
        Peer a(&hub);
        a.session->awaitToken(policy, browserRequest());
        QVERIFY(!a.session->isAuthenticated());
        QVERIFY(a.take().isEmpty()); // not even the hello
        // Host requests wait for authentication too.
        QString error;
        a.session->request(str("ping"), {},
                           [&](const QJsonValue &, const QString &e) { error = e; });
        QVERIFY(error.contains(str("not authenticated")));
        QVERIFY(a.take().isEmpty());
    }

    void aGoodTokenStartsTheSession()
    {
        Engine engine;
        Hub hub(&engine);
        engine.addTopic<IntTopic>(str("n"), 3);
        auto policy = std::make_shared<TestPolicy>();
        Peer a(&hub);
        a.session->awaitToken(policy, browserRequest());
        QSignalSpy authenticated(a.session.get(), &Session::authenticated);
        a.sendText(hello({{str("token"), str("good")}, {str("version"), 1}}));
        QVERIFY(!a.session->isClosed());
        QVERIFY(a.session->isAuthenticated());
        QCOMPARE(authenticated.count(), 1);
        QCOMPARE(a.session->identity(), str("editor"));
        QCOMPARE(a.session->protocolVersion(), 1); // the same hello may carry the version
        QCOMPARE(a.takeOne(),
                 message(str("hello"), {{str("id"), a.id()},
                                        {str("features"), QJsonArray{str("subscribe_many")}}}));
        // The policy saw the connection as the transport described it, with the token.
        QCOMPARE(policy->requests.size(), 1);
        const ConnectionRequest &seen = policy->requests.first();
        QCOMPARE(seen.token, str("good"));
        QCOMPARE(seen.tokenSource, ConnectionRequest::TokenSource::FirstMessage);
        QCOMPARE(seen.origin, str("http://localhost:8765"));
        QCOMPARE(seen.url.path(), str("/app"));
        QCOMPARE(seen.peerPort, quint16(5000));
        // From now on the session works as usual; a later hello's token is ignored.
        a.subscribe(str("n"));
        QCOMPARE(typeOf(a.takeOne()), str("init"));
        a.sendText(hello({{str("token"), str("nonsense")}}));
        QVERIFY(!a.session->isClosed());
        QCOMPARE(policy->requests.size(), 1);
    }

    void refusals_data()
    {
        QTest::addColumn<QByteArray>("first");
        QTest::addColumn<QString>("reason");
        QTest::newRow("wrong token")
            << hello({{str("token"), str("bad")}}) << str("authentication failed");
        QTest::newRow("token asked for again")
            << hello({{str("token"), str("again")}}) << str("authentication failed");
        QTest::newRow("hello without a token")
            << hello({{str("version"), 1}}) << str("authentication failed: the first message");
        QTest::newRow("empty token")
            << hello({{str("token"), str("")}}) << str("authentication failed: the first message");
        QTest::newRow("token not a string")
            << hello({{str("token"), 42}}) << str("authentication failed: the first message");
        QTest::newRow("subscribe first")
            << toText(message(str("subscribe"), {{str("topic_name"), str("n")}}))
            << str("authentication failed: the first message");
        QTest::newRow("action first")
            << toText(message(str("action"), {{str("action_id"), str("a")},
                                              {str("commands"),
                                               QJsonArray{change(str("n"), str("int"), str("set"),
                                                                 str("c"), {{str("value"), 9}})}}}))
            << str("authentication failed: the first message");
        QTest::newRow("not JSON") << QByteArray("{nope")
                                  << str("authentication failed: the first message");
        QTest::newRow("no type") << QByteArray("{\"args\":{\"token\":\"good\"}}")
                                 << str("authentication failed: the first message");
    }

    void refusals()
    {
        QFETCH(QByteArray, first);
        QFETCH(QString, reason);
        Engine engine;
        Hub hub(&engine);
        auto *n = engine.addTopic<IntTopic>(str("n"), 3);
        const QJsonObject before = snapshot(engine);
        auto policy = std::make_shared<TestPolicy>();
        Peer a(&hub), other(&hub);
        other.subscribe(str("n"));
        other.take();
        a.session->awaitToken(policy, browserRequest());
        a.sendText(first);
        QVERIFY(a.session->isClosed());
        QCOMPARE(a.session->closeInstruction()->code, closecode::policyViolation);
        QVERIFY2(a.session->closeInstruction()->reason.startsWith(reason),
                 qPrintable(a.session->closeInstruction()->reason));
        // The reason never echoes the token or the policy's own words.
        QVERIFY(!a.session->closeInstruction()->reason.contains(str("bad")));
        QVERIFY(!a.session->closeInstruction()->reason.contains(str("unknown token")));
        QVERIFY(!a.session->isAuthenticated());
        QVERIFY(a.take().isEmpty());
        QVERIFY(a.session->subscriptions().isEmpty());
        QCOMPARE(n->get(), 3);
        QCOMPARE(snapshot(engine), before);
        QVERIFY(other.take().isEmpty());
    }

    void aFailingPolicyRefuses()
    {
        Engine engine;
        Hub hub(&engine);
        auto policy = std::make_shared<TestPolicy>();
        policy->throwOnAuthenticate = true;
        Peer a(&hub);
        a.session->awaitToken(policy, browserRequest());
        a.sendText(hello({{str("token"), str("good")}}));
        QVERIFY(a.session->isClosed());
        QCOMPARE(a.session->closeInstruction()->reason, str("authentication failed"));
        QVERIFY(a.take().isEmpty());
    }

    void viewersMayNotWrite()
    {
        Engine engine;
        engine.registerType<Note>();
        Hub hub(&engine);
        auto *n = engine.addTopic<IntTopic>(str("n"), 3);
        auto policy = std::make_shared<TestPolicy>();
        Peer viewer(&hub), editor(&hub);
        viewer.session->setAccessPolicy(policy, str("viewer"));
        editor.session->setAccessPolicy(policy, str("editor"));
        viewer.subscribe(str("n"));
        editor.subscribe(str("n"));
        viewer.take();
        editor.take();
        const QJsonObject before = snapshot(engine);

        viewer.action(str("v1"),
                      {change(str("n"), str("int"), str("set"), str("c1"), {{str("value"), 7}})});
        QJsonObject answer = viewer.takeOne();
        QCOMPARE(typeOf(answer), str("reject"));
        QCOMPARE(argsOf(answer).value(str("action_id")).toString(), str("v1"));
        QCOMPARE(argsOf(answer).value(str("reason")).toString(),
                 str("command 0: viewers may not write"));
        QCOMPARE(n->get(), 3);
        QVERIFY(editor.take().isEmpty());
        QCOMPARE(policy->writes, QStringList{str("n")});

        // Creating an object is a write too (an emission of create_object).
        const QString id = QString::number(viewer.id()) + str("_1");
        viewer.action(str("v2"), {change(str("create_object"), str("event"), str("emit"), str("e1"),
                                         {{str("args"), QJsonObject{{str("type"), str("Note")},
                                                                    {str("parent_id"), str("root")},
                                                                    {str("id"), id}}}})});
        QCOMPARE(typeOf(viewer.takeOne()), str("reject"));
        QVERIFY(!engine.object(id));
        QCOMPARE(policy->writes.last(), str("create_object"));
        QCOMPARE(snapshot(engine), before);
        QVERIFY(editor.take().isEmpty());

        // The editor writes, and the viewer reads what it wrote.
        editor.action(str("e1"),
                      {change(str("n"), str("int"), str("set"), str("c2"), {{str("value"), 8}})});
        QCOMPARE(n->get(), 8);
        QCOMPARE(typeOf(editor.takeOne()), str("update"));
        QCOMPARE(typeOf(viewer.takeOne()), str("update"));
    }

    void oneRefusedCommandRefusesTheWholeAction()
    {
        Engine engine;
        Hub hub(&engine);
        auto *a = engine.addTopic<IntTopic>(str("a"), 1);
        auto *b = engine.addTopic<IntTopic>(str("b"), 2);
        // This policy refuses writes to "b" only.
        class OnlyA : public AccessPolicy
        {
        public:
            AccessDecision authenticate(const ConnectionRequest &) override
            {
                return AccessDecision::allow();
            }
            Result<void> mayWrite(const AccessClient &, const Change &c) override
            {
                if (c.topicName == str("b"))
                    return Error(ErrorCode::PermissionDenied, str("b is read-only here"));
                return {};
            }
        };
        Peer p(&hub);
        p.session->setAccessPolicy(std::make_shared<OnlyA>());
        p.take();
        p.action(str("x"),
                 {change(str("a"), str("int"), str("set"), str("c1"), {{str("value"), 5}}),
                  change(str("b"), str("int"), str("set"), str("c2"), {{str("value"), 6}})});
        const QJsonObject answer = p.takeOne();
        QCOMPARE(typeOf(answer), str("reject"));
        QCOMPARE(argsOf(answer).value(str("reason")).toString(),
                 str("command 1: b is read-only here"));
        QCOMPARE(a->get(), 1);
        QCOMPARE(b->get(), 2);
    }

    void aFailingWriteCheckRefuses()
    {
        Engine engine;
        Hub hub(&engine);
        auto *n = engine.addTopic<IntTopic>(str("n"), 3);
        auto policy = std::make_shared<TestPolicy>();
        policy->throwOnWrite = true;
        Peer p(&hub);
        p.session->setAccessPolicy(policy, str("editor"));
        p.take();
        p.action(str("x"),
                 {change(str("n"), str("int"), str("set"), str("c"), {{str("value"), 5}})});
        QCOMPARE(typeOf(p.takeOne()), str("reject"));
        QCOMPARE(n->get(), 3);
    }

    void viewersMayNotCall()
    {
        Engine engine;
        Hub hub(&engine);
        auto *note = engine.createObject<Note>();
        int calls = 0;
        engine.registerService(str("count"), [&](const QJsonObject &) {
            ++calls;
            return QJsonValue(calls);
        });
        auto policy = std::make_shared<TestPolicy>();
        Peer editor(&hub), viewer(&hub);
        editor.session->setAccessPolicy(policy, str("editor"));
        viewer.session->setAccessPolicy(policy, str("viewer"));
        editor.take();
        viewer.take();
        editor.action(str("x"), {change(note->count->name(), str("int"), str("set"), str("c"),
                                        {{str("value"), 5}})});
        editor.take();
        QCOMPARE(note->count->get(), 5);

        // Undo is a call: refused, nothing undone, and the viewer gets a response saying why.
        viewer.request(str("undo"), {{str("id"), note->id()}}, str("r1"));
        QJsonObject r = argsOf(viewer.takeOne());
        QCOMPARE(r.value(str("request_id")).toString(), str("r1"));
        QVERIFY(r.value(str("response")).isNull());
        QCOMPARE(r.value(str("error")).toString(), str("viewers may not call"));
        QCOMPARE(note->count->get(), 5);
        viewer.request(str("count"), {}, str("r2"));
        QCOMPARE(argsOf(viewer.takeOne()).value(str("error")).toString(),
                 str("viewers may not call"));
        QCOMPARE(calls, 0);
        QCOMPARE(policy->calls, (QStringList{str("undo"), str("count")}));

        // Editors may.
        editor.request(str("count"), {}, str("r3"));
        QCOMPARE(argsOf(editor.takeOne()).value(str("response")).toInt(), 1);
        editor.request(str("undo"), {{str("id"), note->id()}}, str("r4"));
        QVERIFY(!argsOf(editor.takeOne()).contains(str("error")));
        QCOMPARE(note->count->get(), 0);
    }

    void withoutAPolicyEverythingIsAsBefore()
    {
        Engine engine;
        Hub hub(&engine);
        auto *n = engine.addTopic<IntTopic>(str("n"), 3);
        Peer p(&hub);
        QVERIFY(p.session->isAuthenticated());
        QCOMPARE(typeOf(p.takeOne()), str("hello"));
        p.action(str("x"),
                 {change(str("n"), str("int"), str("set"), str("c"), {{str("value"), 5}})});
        QCOMPARE(n->get(), 5);
        // A token in a hello means nothing then.
        p.sendText(hello({{str("token"), str("whatever")}}));
        QVERIFY(!p.session->isClosed());
    }
};

QTEST_GUILESS_MAIN(TstSessionAuth)
#include "tst_sessionauth.moc"
