// SPDX-License-Identifier: MIT
// objectsync::Server over real sockets on 127.0.0.1, with raw clients (QWebSocket, and a
// hand-made WebSocket client over QTcpSocket that can stop reading).

#include "rawwebsocket.h"

#include <objectsync/objectsync.h>
#include <objectsync/server.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QWebSocket>
#include <QtTest>

using namespace objectsync;

namespace {

QString str(const char *s)
{
    return QString::fromUtf8(s);
}

QString text(const QString &type, const QJsonObject &args)
{
    return QString::fromUtf8(QJsonDocument(QJsonObject{{str("type"), type}, {str("args"), args}})
                                 .toJson(QJsonDocument::Compact));
}

/*! A QWebSocket client that keeps every message it receives. */
class WsClient : public QObject
{
public:
    explicit WsClient(quint16 port, const QString &path = str("/"))
    {
        connect(&socket, &QWebSocket::textMessageReceived, this, [this](const QString &m) {
            messages.append(QJsonDocument::fromJson(m.toUtf8()).object());
        });
        connect(&socket, &QWebSocket::disconnected, this, [this] { disconnected = true; });
        socket.open(QUrl(QStringLiteral("ws://127.0.0.1:%1%2").arg(port).arg(path)));
    }
    void send(const QString &type, const QJsonObject &args)
    {
        socket.sendTextMessage(text(type, args));
    }
    int count(const QString &type) const
    {
        int n = 0;
        for (const QJsonObject &m : messages)
            n += m.value(str("type")).toString() == type;
        return n;
    }
    QJsonObject last(const QString &type) const
    {
        for (qsizetype i = messages.size() - 1; i >= 0; --i)
            if (messages[i].value(str("type")).toString() == type)
                return messages[i].value(str("args")).toObject();
        return {};
    }

    QWebSocket socket;
    QList<QJsonObject> messages;
    bool disconnected = false;
};

} // namespace

class TstServer : public QObject
{
    Q_OBJECT
private slots:
    void listensOnAFreePort()
    {
        Engine engine;
        Server server(&engine);
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        QVERIFY(server.isListening());
        QVERIFY(server.port() != 0);
        // The port is taken now: a second server says why it cannot listen.
        Server other(&engine);
        const Result<void> listening = other.listen(QHostAddress::LocalHost, server.port());
        QVERIFY(!listening);
        QCOMPARE(listening.error().code(), ErrorCode::Io);
        QVERIFY(!listening.errorMessage().isEmpty());
        QCOMPARE(other.port(), quint16(0));
        server.close();
        QVERIFY(!server.isListening());
    }

    void helloAndClientSignals()
    {
        Engine engine;
        Server server(&engine);
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        QSignalSpy connected(&server, &Server::clientConnected);
        QSignalSpy disconnected(&server, &Server::clientDisconnected);
        auto a = std::make_unique<WsClient>(server.port(), str("/any/path?x=1"));
        WsClient b(server.port());
        QTRY_COMPARE(a->count(str("hello")), 1);
        QTRY_COMPARE(b.count(str("hello")), 1);
        QCOMPARE(a->messages.first().value(str("type")).toString(), str("hello"));
        const int idA = a->last(str("hello")).value(str("id")).toInt();
        const int idB = b.last(str("hello")).value(str("id")).toInt();
        QVERIFY(idA >= 1);
        QVERIFY(idA != idB);
        QCOMPARE(connected.count(), 2);
        QVERIFY(connected.at(0).at(1).toString().startsWith(str("127.0.0.1:")));
        QCOMPARE(server.clientIds().size(), 2);
        QVERIFY(server.clientInfo(idA).isValid());
        QVERIFY(!server.clientInfo(999).isValid());

        a->socket.close();
        QTRY_COMPARE(disconnected.count(), 1);
        QCOMPARE(disconnected.at(0).at(0).toInt(), idA);
        QCOMPARE(server.clientIds(), QList<int>{idB});
    }

    void subscribeAndUpdateRoundTrip()
    {
        Engine engine;
        auto *n = engine.addTopic<IntTopic>(str("n"), 1);
        Server server(&engine);
        ServerOptions options;
        options.statsIntervalMs = 10;
        server.setOptions(options);
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        QSignalSpy stats(&server, &Server::clientStatsChanged);
        WsClient a(server.port()), b(server.port());
        QTRY_COMPARE(a.count(str("hello")), 1);
        QTRY_COMPARE(b.count(str("hello")), 1);
        const int idA = a.last(str("hello")).value(str("id")).toInt();
        a.send(str("subscribe"), {{str("topic_name"), str("n")}});
        b.send(str("subscribe"), {{str("topic_name"), str("n")}});
        QTRY_COMPARE(a.count(str("init")), 1);
        QTRY_COMPARE(b.count(str("init")), 1);
        QCOMPARE(a.last(str("init")).value(str("value")).toInt(), 1);

        int origin = -1;
        n->addListener([&](const Change &) { origin = engine.currentOrigin(); });
        a.send(str("action"),
               {{str("action_id"), str("a1")},
                {str("commands"), QJsonArray{QJsonObject{{str("topic_name"), str("n")},
                                                         {str("topic_type"), str("int")},
                                                         {str("type"), str("add")},
                                                         {str("id"), str("c1")},
                                                         {str("value"), 2}}}}});
        QTRY_COMPARE(a.count(str("update")), 1);
        QTRY_COMPARE(b.count(str("update")), 1);
        QCOMPARE(n->get(), 3);
        QCOMPARE(origin, idA); // plugins know which client caused the change
        const QJsonObject update = b.last(str("update"));
        QCOMPARE(update.value(str("action_id")).toString(), str("a1"));
        QCOMPARE(
            update.value(str("changes")).toArray().at(0).toObject().value(str("id")).toString(),
            str("c1"));

        const ClientInfo info = server.clientInfo(idA);
        QCOMPARE(info.subscriptions, QStringList{str("n")});
        QCOMPARE(server.subscriptions(idA), QStringList{str("n")});
        QVERIFY(info.bytesIn > 0);
        QVERIFY(info.bytesOut > 0);
        QCOMPARE(info.messagesIn, 2);
        QCOMPARE(info.messagesOut, 3); // hello, init, update
        QTRY_VERIFY(!stats.isEmpty());
        QVERIFY(stats.last().at(0).value<QList<int>>().contains(idA) ||
                stats.first().at(0).value<QList<int>>().contains(idA));
    }

    void messagesWaitUntilTheirTransitionIsDurable()
    {
        Engine engine;
        auto *n = engine.addTopic<IntTopic>(str("n"), 1);
        engine.addTopic<IntTopic>(str("m"), 5);
        Server server(&engine);
        server.setHoldUntilDurable(true);
        QVERIFY(server.holdsUntilDurable());
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        WsClient a(server.port());
        QTRY_COMPARE(a.count(str("hello")), 1);
        a.send(str("subscribe"), {{str("topic_name"), str("n")}});
        QTRY_COMPARE(a.count(str("init")), 1); // shows nothing that is not durable yet

        quint64 sequence = 0;
        connect(&engine, &Engine::transitionCommitted, this,
                [&](const TransitionPtr &t) { sequence = t->sequence; });
        a.send(str("action"),
               {{str("action_id"), str("a1")},
                {str("commands"), QJsonArray{QJsonObject{{str("topic_name"), str("n")},
                                                         {str("topic_type"), str("int")},
                                                         {str("type"), str("set")},
                                                         {str("id"), str("c1")},
                                                         {str("value"), 7}}}}});
        QTRY_COMPARE(n->get(), 7);
        QVERIFY(sequence > 0);
        // Asked after the action: its init must not overtake the update.
        a.send(str("subscribe"), {{str("topic_name"), str("m")}});
        QTest::qWait(100);
        QCOMPARE(a.count(str("update")), 0);
        QCOMPARE(a.count(str("init")), 1);

        server.setDurableSequence(sequence - 1); // not far enough
        QTest::qWait(50);
        QCOMPARE(a.count(str("update")), 0);
        server.setDurableSequence(sequence);
        QCOMPARE(server.durableSequence(), sequence);
        QTRY_COMPARE(a.count(str("init")), 2);
        QCOMPARE(a.count(str("update")), 1);
        QCOMPARE(a.messages.at(a.messages.size() - 2).value(str("type")).toString(), str("update"));
        QCOMPARE(a.last(str("update")).value(str("action_id")).toString(), str("a1"));

        // Host-made changes wait too; turning the hold off sends what waits.
        n->set(8);
        QTest::qWait(50);
        QCOMPARE(a.count(str("update")), 1);
        server.setHoldUntilDurable(false);
        QTRY_COMPARE(a.count(str("update")), 2);
        n->set(9);
        QTRY_COMPARE(a.count(str("update")), 3);
    }

    void clientIdsStartWhereTheHostSays()
    {
        Engine engine;
        Server server(&engine);
        QCOMPARE(server.nextClientId(), 1);
        server.setNextClientId(42);
        server.setNextClientId(7); // never goes down
        QCOMPARE(server.nextClientId(), 42);
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        WsClient a(server.port());
        QTRY_COMPARE(a.count(str("hello")), 1);
        QCOMPARE(a.last(str("hello")).value(str("id")).toInt(), 42);
        QCOMPARE(server.nextClientId(), 43);
    }

    void mergedChangesArriveAfterTheFlushInterval()
    {
        Engine engine;
        auto *pos = static_cast<FloatTopic *>(
            engine.addTopic(str("pos"), TopicType::Float, 0.0, true, false));
        Server server(&engine);
        ServerOptions options;
        options.flushIntervalMs = 20;
        server.setOptions(options);
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        WsClient a(server.port());
        QTRY_COMPARE(a.count(str("hello")), 1);
        a.send(str("subscribe"), {{str("topic_name"), str("pos")}});
        QTRY_COMPARE(a.count(str("init")), 1);
        for (int i = 1; i <= 10; ++i)
            pos->set(i);
        QTRY_COMPARE(a.count(str("update")), 1);
        const QJsonObject update = a.last(str("update"));
        QCOMPARE(update.value(str("action_id")).toString(), str("clock"));
        QCOMPARE(update.value(str("changes")).toArray().size(), 1);
        QCOMPARE(
            update.value(str("changes")).toArray().at(0).toObject().value(str("value")).toDouble(),
            10.0);
    }

    void hostCallsAClientService()
    {
        QJsonValue answer; // outlive the server: a request still waiting is answered when it goes
        QString error = str("unset");
        Engine engine;
        Server server(&engine);
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        WsClient a(server.port());
        QTRY_COMPARE(a.count(str("hello")), 1);
        const int id = a.last(str("hello")).value(str("id")).toInt();
        connect(&a.socket, &QWebSocket::textMessageReceived, this, [&](const QString &m) {
            const QJsonObject o = QJsonDocument::fromJson(m.toUtf8()).object();
            if (o.value(str("type")).toString() == str("request")) {
                const QJsonObject args = o.value(str("args")).toObject();
                a.send(str("response"),
                       {{str("request_id"), args.value(str("request_id"))},
                        {str("response"),
                         args.value(str("args")).toObject().value(str("x")).toInt() * 2}});
            }
        });
        QVERIFY(server.requestClient(id, str("double"), {{str("x"), 21}},
                                     [&](const QJsonValue &r, const QString &e) {
                                         answer = r;
                                         error = e;
                                     }));
        QTRY_COMPARE(answer, QJsonValue(42));
        QVERIFY(error.isEmpty());
        // An unknown client: the handler hears about it at once.
        QVERIFY(!server.requestClient(999, str("double"), {},
                                      [&](const QJsonValue &, const QString &e) { error = e; }));
        QVERIFY(error.contains(str("999")));
    }

    void updatesOfEverySizeReachEveryClientIntact()
    {
        Engine engine;
        Server server(&engine);
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        QSignalSpy connected(&server, &Server::clientConnected);
        WsClient a(server.port(), str("/sync"));
        QTRY_COMPARE(a.count(str("hello")), 1);
        QCOMPARE(connected.count(), 1);
        engine.addTopic<IntTopic>(str("n"), 3);
        a.send(str("subscribe"), {{str("topic_name"), str("n")}});
        QTRY_COMPARE(a.count(str("init")), 1);
        QCOMPARE(a.last(str("init")).value(str("value")).toInt(), 3);

        // Payloads needing each length encoding (7, 16 and 64 bits), and non-ASCII text, reach
        // every client intact.
        WsClient b(server.port());
        QTRY_COMPARE(b.count(str("hello")), 1);
        auto *s = engine.addTopic<StringTopic>(str("s"), QString());
        a.send(str("subscribe"), {{str("topic_name"), str("s")}});
        b.send(str("subscribe"), {{str("topic_name"), str("s")}});
        QTRY_COMPARE(a.count(str("init")), 2);
        QTRY_COMPARE(b.count(str("init")), 1);
        const QList<QString> texts = {str("é"), QString(200, QLatin1Char('x')),
                                      QString(70000, QChar(0x263A)), QString()};
        for (const QString &text : texts)
            s->set(text);
        QTRY_COMPARE(a.count(str("update")), texts.size());
        QTRY_COMPARE(b.count(str("update")), texts.size());
        for (WsClient *c : {&a, &b}) {
            qsizetype k = 0;
            for (const QJsonObject &m : std::as_const(c->messages)) {
                if (m.value(str("type")).toString() != str("update"))
                    continue;
                const QJsonObject change = m.value(str("args"))
                                               .toObject()
                                               .value(str("changes"))
                                               .toArray()
                                               .at(0)
                                               .toObject();
                QCOMPARE(change.value(str("value")).toString(), texts.at(k++));
            }
        }
        QVERIFY(a.socket.state() == QAbstractSocket::ConnectedState);
    }

    void binaryFrameClosesTheConnection()
    {
        Engine engine;
        Server server(&engine);
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        QSignalSpy disconnected(&server, &Server::clientDisconnected);
        WsClient a(server.port()), b(server.port());
        QTRY_COMPARE(a.count(str("hello")), 1);
        QTRY_COMPARE(b.count(str("hello")), 1);
        a.socket.sendBinaryMessage(QByteArray("\x01\x02\x03", 3));
        QTRY_VERIFY(a.disconnected);
        QCOMPARE(int(a.socket.closeCode()), 1003);
        QVERIFY(a.socket.closeReason().contains(str("binary")));
        QTRY_COMPARE(disconnected.count(), 1);
        QVERIFY(!b.disconnected);
        QCOMPARE(server.clientIds().size(), 1);
    }

    void oversizeMessageClosesTheConnection()
    {
        Engine engine;
        Server server(&engine);
        ServerOptions options;
        options.maxMessageBytes = 4096;
        server.setOptions(options);
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        WsClient a(server.port()), b(server.port());
        QTRY_COMPARE(a.count(str("hello")), 1);
        QTRY_COMPARE(b.count(str("hello")), 1);
        a.send(str("subscribe"), {{str("topic_name"), QString(5000, QLatin1Char('x'))}});
        QTRY_VERIFY(a.disconnected);
        QCOMPARE(int(a.socket.closeCode()), 1009);
        // Far over the limit: refused by the socket before it is buffered.
        b.send(str("subscribe"), {{str("topic_name"), QString(100000, QLatin1Char('x'))}});
        QTRY_VERIFY(b.disconnected);
        QCOMPARE(int(b.socket.closeCode()), 1009);
    }

    void closeDisconnectsEveryone()
    {
        Engine engine;
        Server server(&engine);
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        WsClient a(server.port());
        QTRY_COMPARE(a.count(str("hello")), 1);
        server.close();
        QTRY_VERIFY(a.disconnected);
        QCOMPARE(int(a.socket.closeCode()), 1001);
        QTRY_VERIFY(server.clientIds().isEmpty());
    }

    void slowClientIsDisconnectedWhileOthersKeepReceiving()
    {
        Engine engine;
        auto *big = engine.addTopic<StringTopic>(str("big"), QString());
        Server server(&engine);
        ServerOptions options;
        options.maxPendingOutgoingBytes = 256 * 1024;
        server.setOptions(options);
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        QSignalSpy disconnected(&server, &Server::clientDisconnected);

        WsClient fast(server.port());
        QTRY_COMPARE(fast.count(str("hello")), 1);
        fast.send(str("subscribe"), {{str("topic_name"), str("big")}});
        // A client that can stop reading, like a stuck browser.
        testing::RawWebSocket slow;
        QVERIFY(slow.connectTo(server.port()));
        QCOMPARE(slow.handshake("/raw"), 101);
        slow.sendJson(str("subscribe"), {{str("topic_name"), str("big")}});
        QTRY_COMPARE(fast.count(str("init")), 1);
        QTRY_COMPARE(server.clientIds().size(), 2);
        const int fastId = fast.last(str("hello")).value(str("id")).toInt();
        const int slowId = server.clientIds().at(0) == fastId ? server.clientIds().at(1)
                                                              : server.clientIds().at(0);
        QTRY_COMPARE(server.clientInfo(slowId).subscriptions, QStringList{str("big")});
        // Its socket's buffer fills, then the kernel's, then the host's.
        slow.socket.setReadBufferSize(1024);

        // The host keeps publishing; the fast client gets every update, in order.
        const QString chunk(256 * 1024, QLatin1Char('y'));
        int sent = 0;
        while (server.clientInfo(slowId).closeReason.isEmpty() && sent < 2000) {
            big->set(chunk + QString::number(sent++));
            QTRY_COMPARE(fast.count(str("update")), sent);
        }
        const QString reason = server.clientInfo(slowId).closeReason;
        QVERIFY2(!reason.isEmpty(), "the slow client was never closed");
        QVERIFY(reason.contains(str("slow")));
        QVERIFY(!fast.disconnected);
        // Updates keep flowing to the fast client after the slow one is dropped.
        big->set(str("after"));
        QTRY_COMPARE(fast.last(str("update"))
                         .value(str("changes"))
                         .toArray()
                         .at(0)
                         .toObject()
                         .value(str("value"))
                         .toString(),
                     str("after"));

        // The slow client, reading again, finds the reason in the close frame.
        slow.socket.setReadBufferSize(0);
        QVERIFY(slow.readUntilClosed(10000));
        QCOMPARE(slow.closeCode, 1013);
        QVERIFY(slow.closeReason.contains(str("slow")));
        const qsizetype frames = slow.messages.size();
        QVERIFY2(frames <= sent + 2,
                 qPrintable(QStringLiteral("%1 frames, %2 updates")
                                .arg(frames)
                                .arg(sent))); // hello, init, updates: none after the decision
        QTRY_VERIFY(disconnected.count() == 1 && disconnected.at(0).at(0).toInt() == slowId);
        qInfo() << "slow client closed after" << sent << "updates of 256 KiB;" << frames
                << "frames reached it";
    }
};

QTEST_MAIN(TstServer)
#include "tst_server.moc"
