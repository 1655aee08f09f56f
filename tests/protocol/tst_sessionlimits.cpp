// SPDX-License-Identifier: MIT
// Session limits: message size, nesting depth, message rate, binary frames.

#include "testsupport.h"

#include <QSignalSpy>

using namespace testsupport;
using objectsync::protocol::SessionLimits;
namespace closecode = objectsync::protocol::closecode;

class TstSessionLimits : public QObject
{
    Q_OBJECT
private slots:
    void oversizeMessageClosesThatConnectionOnly()
    {
        Engine engine;
        Hub hub(&engine);
        auto *n = engine.addTopic<IntTopic>(str("n"), 0);
        SessionLimits limits;
        limits.maxMessageBytes = 1000;
        Peer a(&hub, limits), b(&hub, limits);
        b.subscribe(str("n"));
        a.take();
        b.take();
        QSignalSpy closing(a.session.get(), &Session::closeRequested);
        // A valid action, padded past the limit: not applied.
        QJsonObject cmd = change(str("n"), str("int"), str("set"), str("c"), {{str("value"), 5}});
        cmd.insert(str("padding"), QString(2000, QLatin1Char('x')));
        a.action(str("big"), {cmd});
        QCOMPARE(n->get(), 0);
        QCOMPARE(closing.count(), 1);
        QVERIFY(a.session->isClosed());
        QCOMPARE(a.session->closeInstruction()->code, closecode::messageTooBig);
        QVERIFY(a.session->closeInstruction()->reason.contains(str("1000 bytes")));
        QVERIFY(a.take().isEmpty());
        // The other connection carries on.
        b.action(str("ok"),
                 {change(str("n"), str("int"), str("set"), str("c"), {{str("value"), 6}})});
        QCOMPARE(n->get(), 6);
        QVERIFY(!b.session->isClosed());
        QCOMPARE(typeOf(b.takeOne()), str("update"));
        // A message exactly at the limit is fine.
        Peer c(&hub, limits);
        c.take();
        QByteArray text = toText(message(str("subscribe"), {{str("topic_name"), str("n")}}));
        text.insert(text.size() - 1, QByteArray(1000 - text.size(), ' '));
        QCOMPARE(text.size(), 1000);
        c.sendText(text);
        QVERIFY(!c.session->isClosed());
        QCOMPARE(typeOf(c.takeOne()), str("init"));
    }

    void deepNestingIsRefusedBeforeParsing()
    {
        Engine engine;
        Hub hub(&engine);
        SessionLimits limits;
        limits.maxMessageBytes = 0; // no size limit: the depth check alone must hold
        Peer a(&hub, limits);
        a.take();
        const QByteArray deep = "{\"type\":\"action\",\"args\":{\"action_id\":\"a\",\"commands\":" +
                                QByteArray(100000, '[') + QByteArray(100000, ']') + "}}";
        a.sendText(deep); // must not overflow the stack
        QVERIFY(a.session->isClosed());
        QCOMPARE(a.session->closeInstruction()->code, closecode::policyViolation);
        QVERIFY(a.session->closeInstruction()->reason.contains(str("64")));
        QVERIFY(a.take().isEmpty());
    }

    void nestingUpToTheLimitIsAccepted()
    {
        Engine engine;
        Hub hub(&engine);
        auto *g = engine.addTopic<GenericTopic>(str("g"));
        SessionLimits limits;
        limits.maxDepth = 10;
        Peer a(&hub, limits);
        a.take();
        // {"type":..,"args":{..,"commands":[{..,"value":[[[[[[ ]]]]]]}]}}: 4 levels of envelope
        const QByteArray value = QByteArray(6, '[') + QByteArray(6, ']');
        const QByteArray ok =
            "{\"type\":\"action\",\"args\":{\"action_id\":\"a\",\"commands\":[{\"topic_name\":"
            "\"g\","
            "\"topic_type\":\"generic\",\"type\":\"set\",\"id\":\"c\",\"value\":" +
            value + "}]}}";
        a.sendText(ok);
        QVERIFY(!a.session->isClosed());
        QVERIFY(g->value().isArray());
        const QByteArray tooDeep = QByteArray(ok).replace(value, "[" + value + "]");
        a.sendText(tooDeep);
        QVERIFY(a.session->isClosed());
        QCOMPARE(a.session->closeInstruction()->code, closecode::policyViolation);
    }

    void burstsOverTheRateClose()
    {
        Engine engine;
        Hub hub(&engine);
        engine.addTopic<IntTopic>(str("n"), 0);
        SessionLimits limits;
        limits.maxMessagesPerSecond = 100;
        qint64 now = 0;
        Peer a(&hub, limits), b(&hub, limits);
        a.session->setClock([&] { return now; });
        b.session->setClock([&] { return now; });
        // A burst of one second's worth is allowed.
        for (int i = 0; i < 100; ++i)
            a.subscribe(str("n"));
        QVERIFY(!a.session->isClosed());
        // Time refills the allowance gradually: 10 ms buys one message.
        now += 10;
        a.subscribe(str("n"));
        QVERIFY(!a.session->isClosed());
        a.subscribe(str("n"));
        QVERIFY(a.session->isClosed());
        QCOMPARE(a.session->closeInstruction()->code, closecode::policyViolation);
        QVERIFY(a.session->closeInstruction()->reason.contains(str("100 messages per second")));
        // A steady client at the rate is never closed.
        for (int i = 0; i < 1000; ++i) {
            now += 10;
            b.subscribe(str("n"));
        }
        QVERIFY(!b.session->isClosed());
    }

    void binaryMessagesClose()
    {
        Engine engine;
        Hub hub(&engine);
        Peer a(&hub);
        a.take();
        a.session->receiveBinary(12);
        QVERIFY(a.session->isClosed());
        QCOMPARE(a.session->closeInstruction()->code, closecode::unsupportedData);
        QVERIFY(a.session->closeInstruction()->reason.contains(str("binary")));
    }

    void closedSessionsGetNoUpdates()
    {
        Engine engine;
        Hub hub(&engine);
        auto *n = engine.addTopic<IntTopic>(str("n"), 0);
        Peer a(&hub);
        a.subscribe(str("n"));
        a.take();
        a.session->receiveBinary(1);
        n->set(2);
        QVERIFY(a.take().isEmpty());
    }

    void tooManyPendingHostRequests()
    {
        Engine engine;
        Hub hub(&engine);
        QStringList errors; // outlives the peer: its pending requests fail when it goes
        SessionLimits limits;
        limits.maxPendingRequests = 2;
        Peer a(&hub, limits);
        a.take();
        const auto handler = [&](const QJsonValue &, const QString &e) { errors.append(e); };
        QVERIFY(!a.session->request(str("x"), {}, handler).isEmpty());
        QVERIFY(!a.session->request(str("x"), {}, handler).isEmpty());
        QVERIFY(a.session->request(str("x"), {}, handler).isEmpty());
        QCOMPARE(errors.size(), 1);
        QVERIFY(errors[0].contains(str("too many")));
        QCOMPARE(a.take().size(), 2);
    }
};

QTEST_GUILESS_MAIN(TstSessionLimits)
#include "tst_sessionlimits.moc"
