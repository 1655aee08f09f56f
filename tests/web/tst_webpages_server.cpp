// SPDX-License-Identifier: MIT
// objectsync::Server's HTTP side beyond files, over real sockets on 127.0.0.1: routes, requests
// reported, WebSockets and pages on one port, statistics, and listening, failing to listen and
// closing.

#include "tst_webpages.h"

#include <QSignalSpy>
#include <QTcpSocket>
#include <QWebSocket>
#include <stdexcept>

using objectsync::Engine;
using objectsync::HttpReply;
using objectsync::HttpRequest;
using objectsync::Server;
using objectsync::ServerStats;

void TestWebPages::requestServedIsReported()
{
    QSignalSpy spy(m_server.get(), &Server::requestServed);
    get(port(), "/hello.txt?x=1");
    get(port(), "/missing");
    get(port(), "/hello.txt", "HEAD");
    exchange(port(), "DELETE /hello.txt HTTP/1.1\r\n\r\n");
    QTRY_COMPARE(spy.size(), 4);
    const QList<QVariantList> expected = {
        {QStringLiteral("GET"), QStringLiteral("/hello.txt"), 200},
        {QStringLiteral("GET"), QStringLiteral("/missing"), 404},
        {QStringLiteral("HEAD"), QStringLiteral("/hello.txt"), 200},
        {QStringLiteral("DELETE"), QStringLiteral("/hello.txt"), 405},
    };
    for (qsizetype i = 0; i < expected.size(); ++i) {
        QCOMPARE(spy.at(i).at(0).toString(), expected[i][0].toString());
        QCOMPARE(spy.at(i).at(1).toString(), expected[i][1].toString());
        QCOMPARE(spy.at(i).at(2).toInt(), expected[i][2].toInt());
    }
}

void TestWebPages::routesAnswerTheirPath()
{
    HttpRequest seen;
    int calls = 0;
    m_server->setHttpRoute(QStringLiteral("/healthz"), [&](const HttpRequest &request) {
        seen = request;
        ++calls;
        HttpReply reply;
        reply.status = 200;
        reply.contentType = "application/json";
        reply.body = R"({"ok":true})";
        return reply;
    });

    RawHttpResponse r = get(port(), "/healthz?verbose=1");
    QVERIFY(r.complete);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("content-type"), QByteArray("application/json"));
    QCOMPARE(r.header("content-length"), QByteArray("11"));
    QCOMPARE(r.body, QByteArray(R"({"ok":true})"));
    QCOMPARE(calls, 1);
    QCOMPARE(seen.method, QByteArray("GET"));
    QCOMPARE(seen.url.path(), QStringLiteral("/healthz"));
    QCOMPARE(seen.url.query(), QStringLiteral("verbose=1"));
    bool sawHost = false;
    for (const auto &[name, value] : std::as_const(seen.headers))
        sawHost =
            sawHost || (name.compare("host", Qt::CaseInsensitive) == 0 && value == "127.0.0.1");
    QVERIFY(sawHost);

    // HEAD: the same answer without its body.
    r = get(port(), "/healthz", "HEAD");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("content-type"), QByteArray("application/json"));
    QCOMPARE(r.header("content-length"), QByteArray("11"));
    QVERIFY(r.body.isEmpty());
    QCOMPARE(seen.method, QByteArray("HEAD"));

    // Other methods are not handed to the route.
    r = exchange(port(), "POST /healthz HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}");
    QCOMPARE(r.status, 405);
    QCOMPARE(calls, 2);

    // The handler's status.
    m_server->setHttpRoute(QStringLiteral("/busy"),
                           [](const HttpRequest &) { return HttpReply::error(503, "try later"); });
    r = get(port(), "/busy");
    QCOMPARE(r.status, 503);
    QCOMPARE(r.header("content-type"), QByteArray("text/plain; charset=utf-8"));
    QCOMPARE(r.body, QByteArray("503 Service Unavailable: try later\n"));

    // A route goes before a file of the same path.
    m_server->setHttpRoute(QStringLiteral("/hello.txt"), [](const HttpRequest &) {
        HttpReply reply;
        reply.body = "from the route";
        return reply;
    });
    QCOMPARE(get(port(), "/hello.txt").body, QByteArray("from the route"));

    // An empty handler removes the route.
    m_server->setHttpRoute(QStringLiteral("/hello.txt"), {});
    QCOMPARE(get(port(), "/hello.txt").body, QByteArray("hello"));
    m_server->setHttpRoute(QStringLiteral("/healthz"), {});
    QCOMPARE(get(port(), "/healthz").status, 404);
    QCOMPARE(calls, 2);
}

void TestWebPages::failingRouteIs500()
{
    m_server->setHttpRoute(QStringLiteral("/boom"), [](const HttpRequest &) -> HttpReply {
        throw std::runtime_error("boom");
    });
    const RawHttpResponse r = get(port(), "/boom");
    QVERIFY(r.complete);
    QCOMPARE(r.status, 500);
    QVERIFY(r.body.startsWith("500"));
    QCOMPARE(get(port(), "/hello.txt").status, 200);
}

void TestWebPages::webSocketsAndPagesShareThePort()
{
    QSignalSpy served(m_server.get(), &Server::requestServed);
    QSignalSpy connected(m_server.get(), &Server::clientConnected);
    QWebSocket client;
    QSignalSpy received(&client, &QWebSocket::textMessageReceived);
    client.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/any/path").arg(port())));
    QVERIFY(received.wait(5000));
    const QString hello = received.at(0).at(0).toString();
    QVERIFY2(hello.contains(QStringLiteral("\"type\":\"hello\"")), qPrintable(hello));
    QCOMPARE(connected.size(), 1);
    QCOMPARE(m_server->stats().webSocketsOpened, 1);
    QCOMPARE(m_server->stats().clients, 1);
    QVERIFY(served.isEmpty()); // upgrades are not HTTP requests served

    // Plain HTTP still works on the same port, with the WebSocket open.
    const RawHttpResponse r = get(port(), "/hello.txt");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body, QByteArray("hello"));
    QCOMPARE(served.size(), 1);
    QCOMPARE(client.state(), QAbstractSocket::ConnectedState);

    QSignalSpy disconnected(m_server.get(), &Server::clientDisconnected);
    client.close();
    QVERIFY(disconnected.wait(5000));
    QCOMPARE(m_server->stats().clients, 0);
}

void TestWebPages::statsCountRequests()
{
    const ServerStats before = m_server->stats();
    QCOMPARE(get(port(), "/hello.txt").status, 200);
    QCOMPARE(get(port(), "/missing").status, 404);
    QCOMPARE(get(port(), "/hello.txt", "HEAD").status, 200);
    QCOMPARE(exchange(port(), "PUT /hello.txt HTTP/1.1\r\n\r\n").status, 405);
    const ServerStats after = m_server->stats();
    QCOMPARE(after.httpRequests - before.httpRequests, 4);
    QCOMPARE(after.connectionsAccepted - before.connectionsAccepted, 4);
    QCOMPARE(after.webSocketsOpened, before.webSocketsOpened);
    QCOMPARE(after.clients, 0);
    QVERIFY(after.refused.isEmpty());
    QTRY_COMPARE(m_server->stats().pendingConnections, 0);
}

void TestWebPages::listenTwiceFails()
{
    QVERIFY(m_server->isListening());
    const quint16 first = port();
    const objectsync::Result<void> again = m_server->listen(QHostAddress::LocalHost, 0);
    QVERIFY(!again);
    QCOMPARE(again.error().code(), objectsync::ErrorCode::Conflict);
    QCOMPARE(port(), first);
    QCOMPARE(get(port(), "/hello.txt").status, 200);
}

void TestWebPages::portInUseFails()
{
    Engine engine;
    Server other(&engine);
    const objectsync::Result<void> listening = other.listen(QHostAddress::LocalHost, port());
    QVERIFY(!listening);
    QCOMPARE(listening.error().code(), objectsync::ErrorCode::Io);
    QVERIFY(listening.error().message().contains(QString::number(port())));
    QVERIFY(!other.isListening());
    QCOMPARE(other.port(), quint16(0));
    QCOMPARE(get(port(), "/hello.txt").status, 200);
}

void TestWebPages::closeCutsOpenConnections()
{
    QTcpSocket idle;
    QSignalSpy disconnected(&idle, &QTcpSocket::disconnected);
    idle.connectToHost(QHostAddress::LocalHost, port());
    QVERIFY(idle.waitForConnected(5000));
    idle.write("GET / HT");
    QTRY_COMPARE(m_server->stats().pendingConnections, 1);
    m_server->close();
    QVERIFY(!m_server->isListening());
    QCOMPARE(port(), quint16(0));
    QCOMPARE(m_server->stats().pendingConnections, 0);
    QVERIFY(disconnected.size() == 1 || disconnected.wait(5000));
    QVERIFY(idle.readAll().isEmpty());

    // It can listen again.
    QCOMPARE(m_server->listen(QHostAddress::LocalHost, 0).errorMessage(), QString());
    QCOMPARE(get(port(), "/hello.txt").status, 200);
}
