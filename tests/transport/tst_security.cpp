// SPDX-License-Identifier: MIT
// The server's door over real sockets: the Origin allow-list, the handshake timeout, pings and
// the idle timeout, and an access policy (tokens in the URL or in the first message, viewers
// that may not write or call).

#include "rawwebsocket.h"

#include <objectsync/access.h>
#include <objectsync/client.h>
#include <objectsync/objectsync.h>
#include <objectsync/server.h>

#include <QJsonArray>
#include <QSignalSpy>
#include <QTcpServer>
#include <QWebSocket>
#include <QtTest>

using namespace objectsync;
using testing::RawWebSocket;

namespace {

QString str(const char *s)
{
    return QString::fromUtf8(s);
}

/*! A server listening on a free port. */
class Harness
{
public:
    explicit Harness(const ServerOptions &options = {}, std::shared_ptr<AccessPolicy> policy = {})
        : server(&engine)
    {
        server.setOptions(options);
        server.setAccessPolicy(std::move(policy));
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        port = server.port();
    }

    Engine engine;
    Server server;
    quint16 port = 0;
};

/*! Tokens "good" (editor) and "view" (viewer); asks for a token when there is none. */
class TestPolicy : public AccessPolicy
{
public:
    AccessDecision authenticate(const ConnectionRequest &request) override
    {
        if (request.token.isEmpty())
            return AccessDecision::askForToken();
        if (request.token == str("good"))
            return AccessDecision::allow(str("editor"));
        if (request.token == str("view"))
            return AccessDecision::allow(str("viewer"));
        return AccessDecision::deny(str("unknown token"));
    }
    Result<void> mayWrite(const AccessClient &client, const Change &) override
    {
        if (client.identity == str("editor"))
            return {};
        return Error(ErrorCode::PermissionDenied, str("viewers may not write"));
    }
    Result<void> mayCall(const AccessClient &client, const QString &, const QJsonObject &) override
    {
        if (client.identity == str("editor"))
            return {};
        return Error(ErrorCode::PermissionDenied, str("viewers may not call"));
    }
};

QJsonObject setInt(const QString &topic, int value, const QString &id)
{
    return QJsonObject{{str("topic_name"), topic},
                       {str("topic_type"), str("int")},
                       {str("type"), str("set")},
                       {str("id"), id},
                       {str("value"), value}};
}

QString typeOf(const QJsonObject &m)
{
    return m.value(str("type")).toString();
}

QJsonObject argsOf(const QJsonObject &m)
{
    return m.value(str("args")).toObject();
}

} // namespace

class TstSecurity : public QObject
{
    Q_OBJECT
private slots:
    // ---- Origin -----------------------------------------------------------------------------

    void origins_data()
    {
        QTest::addColumn<QStringList>("allowed");
        QTest::addColumn<QString>("origin"); // "{port}" stands for the server's port
        QTest::addColumn<QString>("host");   // the Host header; empty: 127.0.0.1:{port}
        QTest::addColumn<bool>("accepted");

        const QStringList none;
        const QStringList listed{str("https://app.example.com"), str("http://tools.example:8080")};
        const auto row = [&](const char *name) { return &QTest::newRow(name); };
        // Programs send no Origin: always allowed.
        *row("no origin") << none << QString() << QString() << true;
        *row("no origin, list") << listed << QString() << QString() << true;
        // By default, pages from this machine may connect.
        *row("localhost") << none << str("http://localhost:3000") << QString() << true;
        *row("127.0.0.1") << none << str("http://127.0.0.1:5173") << QString() << true;
        *row("[::1]") << none << str("http://[::1]:8080") << QString() << true;
        // Other sites may not.
        *row("other site") << none << str("https://evil.example") << QString() << false;
        *row("localhost lookalike")
            << none << str("http://localhost.evil.example") << QString() << false;
        *row("opaque origin") << none << str("null") << QString() << false;
        // An explicit list replaces the localhost rule.
        *row("listed") << listed << str("https://app.example.com") << QString() << true;
        *row("listed, explicit port, other case")
            << listed << str("https://APP.example.com:443") << QString() << true;
        *row("listed with port") << listed << str("http://tools.example:8080") << QString() << true;
        *row("listed host, other port")
            << listed << str("http://tools.example:8081") << QString() << false;
        *row("localhost, not listed")
            << listed << str("http://localhost:3000") << QString() << false;
        *row("any") << QStringList{str("*")} << str("https://evil.example") << QString() << true;
        // The host's own pages: an Origin naming the host the request was sent to.
        *row("own pages") << QStringList() << str("http://myhost.example:{port}")
                          << str("myhost.example:{port}") << true;
        *row("own pages, with a list")
            << QStringList{str("https://app.example.com")} << str("http://myhost.example:{port}")
            << str("myhost.example:{port}") << true;
        *row("same host, other port") << QStringList() << str("http://myhost.example:1")
                                      << str("myhost.example:{port}") << false;
    }

    void origins()
    {
        QFETCH(QStringList, allowed);
        QFETCH(QString, origin);
        QFETCH(QString, host);
        QFETCH(bool, accepted);
        ServerOptions options;
        options.allowedOrigins = allowed;
        Harness h(options);
        QSignalSpy connected(&h.server, &Server::clientConnected);
        QSignalSpy refused(&h.server, &Server::connectionRefused);
        const QString port = QString::number(h.port);
        origin.replace(str("{port}"), port);
        host.replace(str("{port}"), port);

        RawWebSocket client;
        QVERIFY(client.connectTo(h.port));
        QList<QByteArray> headers;
        if (!origin.isEmpty())
            headers.append("Origin: " + origin.toUtf8());
        const int status = client.handshake("/", headers, host.toUtf8());
        if (accepted) {
            QCOMPARE(status, 101);
            QVERIFY(client.readUntil([&] { return !client.message(str("hello")).isEmpty(); }));
            QVERIFY(QTest::qWaitFor([&] { return connected.count() == 1; }, 5000));
            QCOMPARE(refused.count(), 0);
        } else {
            QCOMPARE(status, 403);
            QVERIFY(client.readUntilClosed());
            QVERIFY(client.messages.isEmpty());
            QCOMPARE(refused.count(), 1);
            QVERIFY2(refused.first().at(1).toString().contains(str("not allowed")),
                     qPrintable(refused.first().at(1).toString()));
            QCOMPARE(connected.count(), 0);
            QVERIFY(h.server.clientIds().isEmpty());
        }
    }

    // ---- handshake timeout --------------------------------------------------------------------

    void handshakeTimeout_data()
    {
        QTest::addColumn<QByteArray>("sent");
        QTest::newRow("nothing") << QByteArray();
        QTest::newRow("half a handshake")
            << QByteArray("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n");
        QTest::newRow("bare line feeds")
            << QByteArray("GET / HTTP/1.1\nHost: 127.0.0.1\nUpgrade: websocket\nConnection: "
                          "Upgrade\nSec-WebSocket-Version: 13\nSec-WebSocket-Key: "
                          "dGhlIHNhbXBsZSBub25jZQ==\n\n");
    }

    void handshakeTimeout()
    {
        QFETCH(QByteArray, sent);
        ServerOptions options;
        options.handshakeTimeoutMs = 200;
        Harness h(options);
        QSignalSpy connected(&h.server, &Server::clientConnected);
        RawWebSocket slow;
        QVERIFY(slow.connectTo(h.port));
        if (!sent.isEmpty()) {
            slow.socket.write(sent);
            slow.socket.flush();
        }
        // Dropped by the host; the test waits far longer than the timeout.
        QVERIFY(slow.readUntil([&] { return slow.isDisconnected(); }, 10000));
        QCOMPARE(connected.count(), 0);
        // The server still serves others.
        RawWebSocket prompt;
        QVERIFY(prompt.connectTo(h.port));
        QCOMPARE(prompt.handshake(), 101);
        QVERIFY(prompt.readUntil([&] { return !prompt.message(str("hello")).isEmpty(); }));
    }

    // ---- pings and the idle timeout -------------------------------------------------------------

    void idleClientsAreClosedAndLiveOnesStay()
    {
        ServerOptions options;
        options.pingIntervalMs = 100;
        options.idleTimeoutMs = 400;
        Harness h(options);
        QSignalSpy disconnected(&h.server, &Server::clientDisconnected);

        RawWebSocket live, idle;
        live.answerPings = true;
        for (RawWebSocket *c : {&live, &idle}) {
            QVERIFY(c->connectTo(h.port));
            QCOMPARE(c->handshake(), 101);
        }
        // The idle client never answers the pings it gets, and is closed (1001). The live one
        // answers each, so it is still there after many ping intervals: longer than the idle
        // timeout.
        QVERIFY(QTest::qWaitFor(
            [&] {
                live.poll();
                idle.poll();
                return idle.closeCode >= 0 && live.pings >= 8;
            },
            15000));
        QVERIFY(idle.pings >= 1);
        QCOMPARE(idle.closeCode, 1001);
        QVERIFY2(idle.closeReason.contains(str("idle timeout")), qPrintable(idle.closeReason));
        QCOMPARE(live.closeCode, -1);
        QVERIFY(!live.isDisconnected());
        QVERIFY(QTest::qWaitFor([&] { return disconnected.count() == 1; }, 5000));
        QCOMPARE(h.server.clientIds().size(), 1);
        // Messages count as signs of life too.
        live.answerPings = false;
        const int before = live.pings;
        QVERIFY(QTest::qWaitFor(
            [&] {
                live.poll();
                if (live.pings > before) {
                    live.sendJson(str("unsubscribe"), {{str("topic_name"), str("x")}});
                    return true;
                }
                return false;
            },
            5000));
        const int id = h.server.clientIds().constFirst();
        QVERIFY(QTest::qWaitFor(
            [&] {
                live.poll();
                return h.server.clientInfo(id).messagesIn > 0;
            },
            5000));
        QCOMPARE(live.closeCode, -1);
    }

    void noPingsWhenTurnedOff()
    {
        ServerOptions options;
        options.pingIntervalMs = 0;
        options.idleTimeoutMs = 300;
        Harness h(options);
        RawWebSocket idle;
        QVERIFY(idle.connectTo(h.port));
        QCOMPARE(idle.handshake(), 101);
        QVERIFY(idle.readUntilClosed(10000));
        QCOMPARE(idle.closeCode, 1001);
        QCOMPARE(idle.pings, 0);
    }

    // ---- the access policy ----------------------------------------------------------------------

    void urlTokenAccepted()
    {
        Harness h({}, std::make_shared<TestPolicy>());
        QSignalSpy connected(&h.server, &Server::clientConnected);
        RawWebSocket client;
        QVERIFY(client.connectTo(h.port));
        QCOMPARE(client.handshake("/?token=good"), 101);
        QVERIFY(client.readUntil([&] { return !client.message(str("hello")).isEmpty(); }));
        const int id = argsOf(client.message(str("hello"))).value(str("id")).toInt();
        QVERIFY(QTest::qWaitFor([&] { return connected.count() == 1; }, 5000));
        QCOMPARE(h.server.clientInfo(id).identity, str("editor"));
    }

    void urlTokenRefused()
    {
        Harness h({}, std::make_shared<TestPolicy>());
        QSignalSpy connected(&h.server, &Server::clientConnected);
        QSignalSpy refused(&h.server, &Server::connectionRefused);
        RawWebSocket client;
        QVERIFY(client.connectTo(h.port));
        QCOMPARE(client.handshake("/?token=bad"), 101);
        QVERIFY(client.readUntilClosed());
        QCOMPARE(client.closeCode, 1008);
        QCOMPARE(client.closeReason, str("authentication failed"));
        QVERIFY(client.messages.isEmpty()); // not even a hello
        QCOMPARE(refused.count(), 1);
        QCOMPARE(refused.first().at(1).toString(), str("unknown token"));
        QCOMPARE(connected.count(), 0);
        QVERIFY(h.server.clientIds().isEmpty());
    }

    void firstMessageTokenAccepted()
    {
        Harness h({}, std::make_shared<TestPolicy>());
        h.engine.addTopic<IntTopic>(str("n"), 4);
        QSignalSpy connected(&h.server, &Server::clientConnected);
        RawWebSocket client;
        QVERIFY(client.connectTo(h.port));
        QCOMPARE(client.handshake(), 101);
        // Until the token comes, the host sends nothing and reports no client.
        QTest::qWait(100);
        client.poll();
        QVERIFY(client.messages.isEmpty());
        QCOMPARE(connected.count(), 0);
        QVERIFY(h.server.clientIds().isEmpty());

        client.sendJson(str("hello"), {{str("token"), str("view")}, {str("version"), 1}});
        QVERIFY(client.readUntil([&] { return !client.messages.isEmpty(); }));
        QCOMPARE(typeOf(client.messages.first()), str("hello"));
        const int id = argsOf(client.messages.first()).value(str("id")).toInt();
        QVERIFY(QTest::qWaitFor([&] { return connected.count() == 1; }, 5000));
        QCOMPARE(h.server.clientIds(), QList<int>{id});
        QCOMPARE(h.server.clientInfo(id).identity, str("viewer"));
        // Viewers read.
        client.sendJson(str("subscribe"), {{str("topic_name"), str("n")}});
        QVERIFY(client.readUntil([&] { return !client.message(str("init")).isEmpty(); }));
        QCOMPARE(argsOf(client.message(str("init"))).value(str("value")).toInt(), 4);
    }

    void firstMessageRefusals_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QJsonObject>("args");
        QTest::newRow("wrong token") << str("hello") << QJsonObject{{str("token"), str("bad")}};
        QTest::newRow("hello without token") << str("hello") << QJsonObject{{str("version"), 1}};
        QTest::newRow("subscribe first")
            << str("subscribe") << QJsonObject{{str("topic_name"), str("n")}};
        QTest::newRow("nothing") << QString() << QJsonObject();
    }

    void firstMessageRefusals()
    {
        QFETCH(QString, type);
        QFETCH(QJsonObject, args);
        ServerOptions options;
        options.handshakeTimeoutMs = 300; // also how long the token may take
        Harness h(options, std::make_shared<TestPolicy>());
        auto *n = h.engine.addTopic<IntTopic>(str("n"), 4);
        QSignalSpy connected(&h.server, &Server::clientConnected);
        QSignalSpy disconnected(&h.server, &Server::clientDisconnected);
        QSignalSpy refused(&h.server, &Server::connectionRefused);
        RawWebSocket client;
        QVERIFY(client.connectTo(h.port));
        QCOMPARE(client.handshake(), 101);
        if (!type.isEmpty())
            client.sendJson(type, args);
        QVERIFY(client.readUntilClosed(10000));
        QCOMPARE(client.closeCode, 1008);
        QVERIFY2(client.closeReason.startsWith(str("authentication failed")),
                 qPrintable(client.closeReason));
        QVERIFY(!client.closeReason.contains(str("bad")));
        QVERIFY(client.messages.isEmpty());
        QCOMPARE(n->get(), 4);
        // Reported as refused, never as a client that came and went.
        QVERIFY(QTest::qWaitFor([&] { return refused.count() == 1; }, 5000));
        QVERIFY(refused.first().at(1).toString().startsWith(str("authentication failed")));
        QCOMPARE(connected.count(), 0);
        QCOMPARE(disconnected.count(), 0);
    }

    void viewersMayNotWriteNorCall()
    {
        Harness h({}, std::make_shared<TestPolicy>());
        auto *n = h.engine.addTopic<IntTopic>(str("n"), 4);
        RawWebSocket viewer, editor;
        QVERIFY(viewer.connectTo(h.port));
        QCOMPARE(viewer.handshake("/?token=view"), 101);
        QVERIFY(editor.connectTo(h.port));
        QCOMPARE(editor.handshake("/?token=good"), 101);
        for (RawWebSocket *c : {&viewer, &editor}) {
            c->sendJson(str("subscribe"), {{str("topic_name"), str("n")}});
            QVERIFY(c->readUntil([&] { return !c->message(str("init")).isEmpty(); }));
            c->messages.clear();
        }

        viewer.sendJson(str("action"),
                        {{str("action_id"), str("v1")},
                         {str("commands"), QJsonArray{setInt(str("n"), 9, str("c1"))}}});
        QVERIFY(viewer.readUntil([&] { return !viewer.message(str("reject")).isEmpty(); }));
        const QJsonObject reject = argsOf(viewer.message(str("reject")));
        QCOMPARE(reject.value(str("action_id")).toString(), str("v1"));
        QCOMPARE(reject.value(str("reason")).toString(), str("command 0: viewers may not write"));
        QCOMPARE(n->get(), 4);

        viewer.sendJson(str("request"), {{str("service_name"), str("undo")},
                                         {str("args"), QJsonObject()},
                                         {str("request_id"), str("r1")}});
        QVERIFY(viewer.readUntil([&] { return !viewer.message(str("response")).isEmpty(); }));
        const QJsonObject response = argsOf(viewer.message(str("response")));
        QCOMPARE(response.value(str("request_id")).toString(), str("r1"));
        QCOMPARE(response.value(str("error")).toString(), str("viewers may not call"));

        // The editor heard nothing of it: the first thing it gets is the update of its own
        // action, which the viewer receives too.
        editor.sendJson(str("action"),
                        {{str("action_id"), str("e1")},
                         {str("commands"), QJsonArray{setInt(str("n"), 5, str("c2"))}}});
        QVERIFY(editor.readUntil([&] { return !editor.messages.isEmpty(); }));
        QCOMPARE(typeOf(editor.messages.first()), str("update"));
        QCOMPARE(argsOf(editor.messages.first()).value(str("action_id")).toString(), str("e1"));
        QCOMPARE(n->get(), 5);
        QVERIFY(viewer.readUntil([&] { return !viewer.message(str("update")).isEmpty(); }));
    }

    void theCppClientSendsItsToken()
    {
        Harness h({}, std::make_shared<TestPolicy>());
        QSignalSpy refused(&h.server, &Server::connectionRefused);
        const QUrl url(QStringLiteral("ws://127.0.0.1:%1/").arg(h.port));
        Client editor;
        editor.setToken(str("good"));
        QCOMPARE(editor.token(), str("good"));
        editor.open(url);
        QVERIFY(QTest::qWaitFor([&] { return editor.state() == Client::State::Connected; }, 5000));
        QCOMPARE(h.server.clientInfo(editor.clientId()).identity, str("editor"));

        Client stranger;
        QSignalSpy gone(&stranger, &Client::disconnected);
        stranger.setToken(str("bad"));
        stranger.open(url);
        QVERIFY(QTest::qWaitFor([&] { return gone.count() == 1; }, 5000));
        QCOMPARE(stranger.state(), Client::State::Disconnected);
        QCOMPARE(stranger.clientId(), 0);
        QCOMPARE(h.server.clientIds(), QList<int>{editor.clientId()});
        QVERIFY(QTest::qWaitFor([&] { return refused.count() == 1; }, 5000));
    }

    void aQWebSocketClientWithATokenInItsUrl()
    {
        // What browsers and the C++ client do: the token as a query item.
        Harness h({}, std::make_shared<TestPolicy>());
        QWebSocket socket;
        QList<QJsonObject> received;
        connect(&socket, &QWebSocket::textMessageReceived, this, [&](const QString &m) {
            received.append(QJsonDocument::fromJson(m.toUtf8()).object());
        });
        socket.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/?token=good").arg(h.port)));
        QVERIFY(QTest::qWaitFor([&] { return !received.isEmpty(); }, 5000));
        QCOMPARE(typeOf(received.first()), str("hello"));
    }
};

QTEST_GUILESS_MAIN(TstSecurity)
#include "tst_security.moc"
