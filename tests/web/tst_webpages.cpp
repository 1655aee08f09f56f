// SPDX-License-Identifier: MIT
#include "httpclient.h"

#include <objectsync/webfrontend.h>

#include <QFile>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketServer>
#include <memory>

using objectsync::WebFrontend;
using objectsync::WebFrontendOptions;

namespace {

void writeFile(const QString &path, const QByteArray &content)
{
    QFile file(path);
    QVERIFY2(file.open(QIODevice::WriteOnly), qPrintable(path));
    file.write(content);
}

/*! Answers every text message with "echo:" + the message. */
void makeEcho(QWebSocketServer *server, QList<QWebSocket *> *accepted)
{
    QObject::connect(server, &QWebSocketServer::newConnection, server, [server, accepted] {
        while (QWebSocket *socket = server->nextPendingConnection()) {
            socket->setParent(server);
            accepted->append(socket);
            QObject::connect(socket, &QWebSocket::textMessageReceived, socket,
                             [socket](const QString &m) {
                                 socket->sendTextMessage(QStringLiteral("echo:") + m);
                             });
        }
    });
}

/*! Opens a WebSocket to \a port, sends "ping" and returns the first text message received
 *  (empty when none came). */
QString pingThrough(quint16 port, const QString &path = QStringLiteral("/"))
{
    QWebSocket client;
    QSignalSpy received(&client, &QWebSocket::textMessageReceived);
    QObject::connect(&client, &QWebSocket::connected, &client,
                     [&client] { client.sendTextMessage(QStringLiteral("ping")); });
    client.open(QUrl(QStringLiteral("ws://127.0.0.1:%1%2").arg(port).arg(path)));
    if (!received.wait(5000))
        return {};
    client.close();
    return received.at(0).at(0).toString();
}

} // namespace

class TestWebFrontend : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void servesTheDemoPage();
    void servesDemoScript();
    void headHasNoBody();
    void missingFileIs404();
    void traversalIsRefused_data();
    void traversalIsRefused();
    void linkOutOfRootIsRefused();
    void contentTypes_data();
    void contentTypes();
    void rootsAreSearchedInOrder();
    void directoryMeansItsIndex();
    void queryStringIsIgnored();
    void otherMethodsAre405();
    void malformedRequestsAre400_data();
    void malformedRequestsAre400();
    void oversizedHeadIs431();
    void slowHeadTimesOut();
    void tooManyConnectionsAreClosed();
    void requestServedIsReported();
    void webSocketUpgradeReachesServer();
    void webSocketUpgradeThroughRelay();
    void relayToNothingClosesTheClient();
    void upgradeHandlerGetsUnreadRequest();
    void upgradeWithoutTargetIs503();
    void webSocketServerGoneIs503();
    void listenTwiceFails();
    void portInUseFails();
    void closeCutsOpenConnections();
    void defaultRootsHaveTheDemo();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_root; //!< a served directory inside m_dir, next to an unserved secret
    std::unique_ptr<WebFrontend> m_web;
};

void TestWebFrontend::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_root = m_dir->filePath(QStringLiteral("root"));
    QVERIFY(QDir().mkpath(m_root + QStringLiteral("/sub")));
    writeFile(m_dir->filePath(QStringLiteral("secret.txt")), "TOP SECRET");
    writeFile(m_root + QStringLiteral("/hello.txt"), "hello");
    writeFile(m_root + QStringLiteral("/.hidden"), "hidden");
    writeFile(m_root + QStringLiteral("/sub/index.html"), "<p>sub index</p>");
    m_web = std::make_unique<WebFrontend>();
    m_web->setRoots({QStringLiteral(":/objectsync/web"), m_root});
    QVERIFY2(m_web->listen(QHostAddress::LocalHost, 0), qPrintable(m_web->errorString()));
    QVERIFY(m_web->port() != 0);
}

void TestWebFrontend::cleanup()
{
    m_web.reset();
    m_dir.reset();
}

void TestWebFrontend::servesTheDemoPage()
{
    const RawHttpResponse r = get(m_web->port(), "/");
    QVERIFY(r.complete);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("content-type"), QByteArray("text/html; charset=utf-8"));
    QCOMPARE(r.header("content-length").toLongLong(), r.body.size());
    QCOMPARE(r.header("connection"), QByteArray("close"));
    QVERIFY(r.body.contains("<title>ObjectSync demo</title>"));
    QVERIFY(r.body.contains("objectsync-client.js"));
    QCOMPARE(get(m_web->port(), "/index.html").body, r.body);
}

void TestWebFrontend::servesDemoScript()
{
    const RawHttpResponse r = get(m_web->port(), "/demo.js");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("content-type"), QByteArray("text/javascript; charset=utf-8"));
    QVERIFY(r.body.contains("ObjectSyncClient"));
}

void TestWebFrontend::headHasNoBody()
{
    const RawHttpResponse full = get(m_web->port(), "/hello.txt");
    const RawHttpResponse head = get(m_web->port(), "/hello.txt", "HEAD");
    QVERIFY(head.complete);
    QCOMPARE(head.status, 200);
    QCOMPARE(head.header("content-length"), QByteArray("5"));
    QVERIFY(head.body.isEmpty());
    QCOMPARE(full.body, QByteArray("hello"));
}

void TestWebFrontend::missingFileIs404()
{
    const RawHttpResponse r = get(m_web->port(), "/no-such-file.js");
    QVERIFY(r.complete);
    QCOMPARE(r.status, 404);
    QCOMPARE(get(m_web->port(), "/sub/nothing/").status, 404);
}

void TestWebFrontend::traversalIsRefused_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::newRow("dotdot") << QByteArray("/../secret.txt");
    QTest::newRow("inner dotdot") << QByteArray("/sub/../../secret.txt");
    QTest::newRow("encoded dotdot") << QByteArray("/%2e%2e/secret.txt");
    QTest::newRow("encoded slash") << QByteArray("/%2E%2E%2Fsecret.txt");
    QTest::newRow("backslash") << QByteArray("/..%5csecret.txt");
    QTest::newRow("raw backslash") << QByteArray("/..\\secret.txt");
    QTest::newRow("dot segment") << QByteArray("/./hello.txt");
    QTest::newRow("hidden file") << QByteArray("/.hidden");
    QTest::newRow("nul") << QByteArray("/hello.txt%00.js");
    QTest::newRow("not utf-8") << QByteArray("/%ff%fe");
    QTest::newRow("no leading slash") << QByteArray("hello.txt");
    QTest::newRow("absolute form") << QByteArray("http://127.0.0.1/hello.txt");
}

void TestWebFrontend::traversalIsRefused()
{
    QFETCH(QByteArray, target);
    const RawHttpResponse r = get(m_web->port(), target);
    QVERIFY(r.complete);
    QVERIFY2(r.status == 403 || r.status == 400, qPrintable(QString::number(r.status)));
    QVERIFY(!r.body.contains("TOP SECRET"));
    QVERIFY(!r.body.contains("hidden"));
}

void TestWebFrontend::linkOutOfRootIsRefused()
{
    QVERIFY(QFile::link(m_dir->filePath(QStringLiteral("secret.txt")),
                        m_root + QStringLiteral("/link.txt")));
    const RawHttpResponse r = get(m_web->port(), "/link.txt");
    QCOMPARE(r.status, 403);
    QVERIFY(!r.body.contains("TOP SECRET"));
}

void TestWebFrontend::contentTypes_data()
{
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<QByteArray>("contentType");
    QTest::newRow("html") << "a.html" << QByteArray("text/html; charset=utf-8");
    QTest::newRow("js") << "a.js" << QByteArray("text/javascript; charset=utf-8");
    QTest::newRow("css") << "a.css" << QByteArray("text/css; charset=utf-8");
    QTest::newRow("map") << "a.js.map" << QByteArray("application/json; charset=utf-8");
    QTest::newRow("json") << "a.json" << QByteArray("application/json; charset=utf-8");
    QTest::newRow("png") << "a.png" << QByteArray("image/png");
    QTest::newRow("svg") << "a.svg" << QByteArray("image/svg+xml");
    QTest::newRow("upper case") << "B.PNG" << QByteArray("image/png");
    QTest::newRow("unknown") << "a.bin" << QByteArray("application/octet-stream");
}

void TestWebFrontend::contentTypes()
{
    QFETCH(QString, fileName);
    QFETCH(QByteArray, contentType);
    writeFile(m_root + QLatin1Char('/') + fileName, "x");
    const RawHttpResponse r = get(m_web->port(), '/' + fileName.toUtf8());
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("content-type"), contentType);
    QCOMPARE(r.header("x-content-type-options"), QByteArray("nosniff"));
    QCOMPARE(r.body, QByteArray("x"));
}

void TestWebFrontend::rootsAreSearchedInOrder()
{
    const QString second = m_dir->filePath(QStringLiteral("second"));
    QVERIFY(QDir().mkpath(second));
    writeFile(second + QStringLiteral("/hello.txt"), "second hello");
    writeFile(second + QStringLiteral("/only-second.txt"), "only here");
    m_web->setRoots({m_root, second});
    QCOMPARE(get(m_web->port(), "/hello.txt").body, QByteArray("hello"));
    QCOMPARE(get(m_web->port(), "/only-second.txt").body, QByteArray("only here"));
    m_web->setRoots({second, m_root});
    QCOMPARE(get(m_web->port(), "/hello.txt").body, QByteArray("second hello"));
    QCOMPARE(m_web->roots(), QStringList({second, m_root}));
}

void TestWebFrontend::directoryMeansItsIndex()
{
    QCOMPARE(get(m_web->port(), "/sub/").body, QByteArray("<p>sub index</p>"));
    QCOMPARE(get(m_web->port(), "/sub").body, QByteArray("<p>sub index</p>"));
    QCOMPARE(get(m_web->port(), "//sub//index.html").body, QByteArray("<p>sub index</p>"));
}

void TestWebFrontend::queryStringIsIgnored()
{
    const RawHttpResponse r = get(m_web->port(), "/hello.txt?ws=ws://x/#frag");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body, QByteArray("hello"));
    QCOMPARE(get(m_web->port(), "/hello%2Etxt").body, QByteArray("hello"));
}

void TestWebFrontend::otherMethodsAre405()
{
    for (const QByteArray method : {"POST", "PUT", "DELETE", "OPTIONS"}) {
        const RawHttpResponse r = exchange(
            m_web->port(), method + " /hello.txt HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc");
        QVERIFY(r.complete);
        QCOMPARE(r.status, 405);
        QCOMPARE(r.header("allow"), QByteArray("GET, HEAD"));
    }
}

void TestWebFrontend::malformedRequestsAre400_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::newRow("garbage") << QByteArray("GARBAGE\r\n\r\n");
    QTest::newRow("empty line") << QByteArray("\r\n\r\n");
    QTest::newRow("http/2") << QByteArray("GET / HTTP/2.0\r\n\r\n");
    QTest::newRow("http/0.9 style") << QByteArray("GET /\r\n\r\n");
    QTest::newRow("extra space") << QByteArray("GET  / HTTP/1.1\r\n\r\n");
    QTest::newRow("bad header") << QByteArray("GET / HTTP/1.1\r\nno colon here\r\n\r\n");
    QTest::newRow("space in name") << QByteArray("GET / HTTP/1.1\r\nBad Name: x\r\n\r\n");
    QTest::newRow("control char") << QByteArray("GET / HTTP/1.1\r\nX: a\x01b\r\n\r\n");
    QTest::newRow("binary") << QByteArray("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n",
                                          15);
}

void TestWebFrontend::malformedRequestsAre400()
{
    QFETCH(QByteArray, request);
    const RawHttpResponse r = exchange(m_web->port(), request);
    QVERIFY(r.complete);
    QCOMPARE(r.status, 400);
}

void TestWebFrontend::oversizedHeadIs431()
{
    WebFrontendOptions options;
    options.maxRequestHeadBytes = 1024;
    m_web->setOptions(options);
    QCOMPARE(m_web->options().maxRequestHeadBytes, 1024);
    const QByteArray big = "GET / HTTP/1.1\r\nX-Big: " + QByteArray(4000, 'a') + "\r\n\r\n";
    RawHttpResponse r = exchange(m_web->port(), big);
    QVERIFY(r.complete);
    QCOMPARE(r.status, 431);
    // Never finished at all: refused as soon as the limit is passed.
    r = exchange(m_web->port(), "GET / HTTP/1.1\r\nX-Big: " + QByteArray(4000, 'a'));
    QVERIFY(r.complete);
    QCOMPARE(r.status, 431);
    // Just under the limit is fine.
    const QByteArray prefix = "GET /hello.txt HTTP/1.1\r\nX-Fill: ";
    const QByteArray fits = prefix + QByteArray(1024 - prefix.size() - 4, 'b') + "\r\n\r\n";
    QCOMPARE(fits.size(), 1024);
    QCOMPARE(exchange(m_web->port(), fits).status, 200);
}

void TestWebFrontend::slowHeadTimesOut()
{
    WebFrontendOptions options;
    options.readTimeoutMs = 100;
    m_web->setOptions(options);
    const RawHttpResponse r = exchange(m_web->port(), "GET /hello.txt HTT");
    QVERIFY(r.complete);
    QCOMPARE(r.status, 408);
}

void TestWebFrontend::tooManyConnectionsAreClosed()
{
    WebFrontendOptions options;
    options.maxConnections = 1;
    m_web->setOptions(options);
    QTcpSocket idle;
    idle.connectToHost(QHostAddress::LocalHost, m_web->port());
    QVERIFY(idle.waitForConnected(5000));
    idle.write("GET /hello.txt HT"); // holds the only place (accepted first: it came first)
    const RawHttpResponse refused = get(m_web->port(), "/hello.txt");
    QVERIFY(refused.complete);
    QCOMPARE(refused.status, 0); // closed without an answer
    idle.write("TP/1.1\r\n\r\n");
    QTRY_COMPARE(idle.state(), QAbstractSocket::UnconnectedState);
    QVERIFY(idle.readAll().startsWith("HTTP/1.1 200 OK"));
    QCOMPARE(get(m_web->port(), "/hello.txt").status, 200);
}

void TestWebFrontend::requestServedIsReported()
{
    QSignalSpy spy(m_web.get(), &WebFrontend::requestServed);
    get(m_web->port(), "/hello.txt?x=1");
    get(m_web->port(), "/missing");
    QTRY_COMPARE(spy.size(), 2);
    QCOMPARE(spy.at(0).at(0).toString(), QStringLiteral("GET"));
    QCOMPARE(spy.at(0).at(1).toString(), QStringLiteral("/hello.txt"));
    QCOMPARE(spy.at(0).at(2).toInt(), 200);
    QCOMPARE(spy.at(1).at(2).toInt(), 404);
}

void TestWebFrontend::webSocketUpgradeReachesServer()
{
    QWebSocketServer server(QStringLiteral("test"), QWebSocketServer::NonSecureMode);
    QList<QWebSocket *> accepted;
    makeEcho(&server, &accepted);
    m_web->setWebSocketServer(&server);
    QVERIFY(m_web->servesWebSockets());

    QCOMPARE(pingThrough(m_web->port(), QStringLiteral("/any/path")), QStringLiteral("echo:ping"));
    QCOMPARE(accepted.size(), 1);
    QCOMPARE(accepted.at(0)->requestUrl().path(), QStringLiteral("/any/path"));
    QVERIFY(!server.isListening());
    // Plain HTTP still works on the same port.
    QCOMPARE(get(m_web->port(), "/hello.txt").body, QByteArray("hello"));
    m_web->setWebSocketServer(nullptr);
    QVERIFY(!m_web->servesWebSockets());
}

void TestWebFrontend::webSocketUpgradeThroughRelay()
{
    QWebSocketServer server(QStringLiteral("test"), QWebSocketServer::NonSecureMode);
    QList<QWebSocket *> accepted;
    makeEcho(&server, &accepted);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    m_web->forwardWebSocketsTo(QHostAddress::LocalHost, server.serverPort());
    QVERIFY(m_web->servesWebSockets());

    QCOMPARE(pingThrough(m_web->port()), QStringLiteral("echo:ping"));
    QCOMPARE(accepted.size(), 1);
    // The client's close reaches the server through the relay.
    QTRY_COMPARE(accepted.at(0)->state(), QAbstractSocket::UnconnectedState);

    // A larger message both ways.
    QWebSocket client;
    QSignalSpy received(&client, &QWebSocket::textMessageReceived);
    const QString big(300000, QLatin1Char('z'));
    QObject::connect(&client, &QWebSocket::connected, &client,
                     [&] { client.sendTextMessage(big); });
    client.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(m_web->port())));
    QVERIFY(received.wait(5000));
    QCOMPARE(received.at(0).at(0).toString(), QStringLiteral("echo:") + big);
}

void TestWebFrontend::relayToNothingClosesTheClient()
{
    // A port nobody listens on: take one, then free it.
    quint16 deadPort = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        deadPort = probe.serverPort();
    }
    m_web->forwardWebSocketsTo(QHostAddress::LocalHost, deadPort);
    QWebSocket client;
    QSignalSpy disconnected(&client, &QWebSocket::disconnected);
    client.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(m_web->port())));
    QVERIFY(disconnected.wait(5000));
    QVERIFY(client.state() != QAbstractSocket::ConnectedState);
}

void TestWebFrontend::upgradeHandlerGetsUnreadRequest()
{
    QByteArray seen;
    QTcpSocket *handed = nullptr;
    m_web->setUpgradeHandler([&](QTcpSocket *socket) {
        handed = socket;
        seen = socket->peek(socket->bytesAvailable());
        socket->write("HTTP/1.1 418 Teapot\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        socket->disconnectFromHost();
        QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    });
    const QByteArray request = "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: WebSocket\r\n"
                               "Connection: keep-alive, Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                               "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
    const RawHttpResponse r = exchange(m_web->port(), request);
    QVERIFY(handed != nullptr);
    QCOMPARE(seen, request);
    QCOMPARE(r.status, 418);
}

void TestWebFrontend::upgradeWithoutTargetIs503()
{
    const RawHttpResponse r = exchange(
        m_web->port(), "GET / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n");
    QVERIFY(r.complete);
    QCOMPARE(r.status, 503);
}

void TestWebFrontend::webSocketServerGoneIs503()
{
    auto server =
        std::make_unique<QWebSocketServer>(QStringLiteral("test"), QWebSocketServer::NonSecureMode);
    m_web->setWebSocketServer(server.get());
    server.reset();
    QVERIFY(!m_web->servesWebSockets());
    const RawHttpResponse r = exchange(
        m_web->port(), "GET / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n");
    QCOMPARE(r.status, 503);
}

void TestWebFrontend::listenTwiceFails()
{
    QVERIFY(m_web->isListening());
    QVERIFY(!m_web->listen(QHostAddress::LocalHost, 0));
    QVERIFY(!m_web->errorString().isEmpty());
    QCOMPARE(get(m_web->port(), "/hello.txt").status, 200);
}

void TestWebFrontend::portInUseFails()
{
    WebFrontend other;
    QVERIFY(!other.listen(QHostAddress::LocalHost, m_web->port()));
    QVERIFY(other.errorString().contains(QString::number(m_web->port())));
    QVERIFY(!other.isListening());
    QCOMPARE(other.port(), quint16(0));
}

void TestWebFrontend::closeCutsOpenConnections()
{
    QTcpSocket idle;
    QSignalSpy disconnected(&idle, &QTcpSocket::disconnected);
    idle.connectToHost(QHostAddress::LocalHost, m_web->port());
    QVERIFY(idle.waitForConnected(5000));
    idle.write("GET / HT");
    m_web->close(); // whether or not it was accepted yet, it is cut
    QVERIFY(!m_web->isListening());
    QVERIFY(disconnected.wait(5000));
}

void TestWebFrontend::defaultRootsHaveTheDemo()
{
    const QStringList roots = WebFrontend::defaultRoots();
    QVERIFY(roots.contains(QStringLiteral(":/objectsync/web")));
    QVERIFY(QFile::exists(QStringLiteral(":/objectsync/web/index.html")));
    QVERIFY(QFile::exists(QStringLiteral(":/objectsync/web/demo.js")));
    // In a build tree with the web client built, its bundle directory is a root too.
    const QString bundleDir = QStringLiteral(OBJECTSYNC_BINARY_DIR "/webclient");
    if (QFile::exists(bundleDir + QStringLiteral("/objectsync-client.js")))
        QVERIFY(roots.contains(QDir::cleanPath(bundleDir)));

    const QTemporaryDir env;
    qputenv("OBJECTSYNC_WEB_ROOT", env.path().toLocal8Bit());
    QCOMPARE(WebFrontend::defaultRoots().value(0), QDir::cleanPath(env.path()));
    qunsetenv("OBJECTSYNC_WEB_ROOT");
}

QTEST_MAIN(TestWebFrontend)
#include "tst_webfrontend.moc"
