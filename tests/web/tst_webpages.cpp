// SPDX-License-Identifier: MIT
// The web pages objectsync::Server serves on its port, next to WebSockets, over real sockets on
// 127.0.0.1: files from the web roots (content types, 404, traversal and links out of the roots,
// 405), and the roots a server starts with. The fixture (init, cleanup) is here too.

#include "tst_webpages.h"

#include <QDir>
#include <QScopeGuard>

using namespace webpagestest;
using objectsync::Engine;
using objectsync::Server;
using objectsync::ServerOptions;

void TestWebPages::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_root = m_dir->filePath(QStringLiteral("root"));
    QVERIFY(QDir().mkpath(m_root + QStringLiteral("/sub")));
    writeFile(m_dir->filePath(QStringLiteral("secret.txt")), "TOP SECRET");
    writeFile(m_root + QStringLiteral("/hello.txt"), "hello");
    writeFile(m_root + QStringLiteral("/.hidden"), "hidden");
    writeFile(m_root + QStringLiteral("/sub/index.html"), "<p>sub index</p>");
    m_engine = std::make_unique<Engine>();
    m_server = std::make_unique<Server>(m_engine.get());
    m_server->setWebRoots({QStringLiteral(":/objectsync/web"), m_root});
    QCOMPARE(m_server->listen(QHostAddress::LocalHost, 0).errorMessage(), QString());
    QVERIFY(port() != 0);
}

void TestWebPages::cleanup()
{
    m_server.reset(); // before its engine
    m_engine.reset();
    m_dir.reset();
}

void TestWebPages::setOptions(int handshakeTimeoutMs, int maxPendingConnections)
{
    ServerOptions options = m_server->options();
    options.handshakeTimeoutMs = handshakeTimeoutMs;
    options.maxPendingConnections = maxPendingConnections;
    m_server->setOptions(options);
}

void TestWebPages::servesTheDemoPage()
{
    const RawHttpResponse r = get(port(), "/");
    QVERIFY(r.complete);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("content-type"), QByteArray("text/html; charset=utf-8"));
    QCOMPARE(r.header("content-length").toLongLong(), r.body.size());
    QCOMPARE(r.header("connection"), QByteArray("close"));
    QVERIFY(r.body.contains("<title>ObjectSync demo</title>"));
    QVERIFY(r.body.contains("objectsync-client.js"));
    QCOMPARE(get(port(), "/index.html").body, r.body);
}

void TestWebPages::servesDemoScript()
{
    const RawHttpResponse r = get(port(), "/demo.js");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("content-type"), QByteArray("text/javascript; charset=utf-8"));
    QVERIFY(r.body.contains("ObjectSyncClient"));
}

void TestWebPages::headHasNoBody()
{
    const RawHttpResponse full = get(port(), "/hello.txt");
    const RawHttpResponse head = get(port(), "/hello.txt", "HEAD");
    QVERIFY(head.complete);
    QCOMPARE(head.status, 200);
    QCOMPARE(head.header("content-length"), QByteArray("5"));
    QCOMPARE(head.header("content-type"), QByteArray("text/plain; charset=utf-8"));
    QVERIFY(head.body.isEmpty());
    QCOMPARE(full.body, QByteArray("hello"));
}

void TestWebPages::missingFileIs404()
{
    const RawHttpResponse r = get(port(), "/no-such-file.js");
    QVERIFY(r.complete);
    QCOMPARE(r.status, 404);
    QCOMPARE(r.header("content-length").toLongLong(), r.body.size());
    QVERIFY(r.body.startsWith("404"));
    QCOMPARE(get(port(), "/sub/nothing/").status, 404);
}

void TestWebPages::traversalIsRefused_data()
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
    QTest::newRow("absolute form") << QByteArray("http://127.0.0.1/../secret.txt");
    QTest::newRow("double slash") << QByteArray("//sub/../../secret.txt");
}

void TestWebPages::traversalIsRefused()
{
    QFETCH(QByteArray, target);
    const RawHttpResponse r = get(port(), target);
    QVERIFY(r.complete);
    QVERIFY2(r.status >= 400 && r.status < 500, describe(r).constData());
    QVERIFY(!r.body.contains("TOP SECRET"));
    QVERIFY(!r.body.contains("hidden"));
    QVERIFY(!r.body.contains("hello"));
}

void TestWebPages::linkOutOfRootIsRefused()
{
    QVERIFY(QFile::link(m_dir->filePath(QStringLiteral("secret.txt")),
                        m_root + QStringLiteral("/link.txt")));
    const RawHttpResponse r = get(port(), "/link.txt");
    QCOMPARE(r.status, 403);
    QVERIFY(!r.body.contains("TOP SECRET"));
}

void TestWebPages::contentTypes_data()
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

void TestWebPages::contentTypes()
{
    QFETCH(QString, fileName);
    QFETCH(QByteArray, contentType);
    writeFile(m_root + QLatin1Char('/') + fileName, "x");
    const RawHttpResponse r = get(port(), '/' + fileName.toUtf8());
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("content-type"), contentType);
    QCOMPARE(r.header("x-content-type-options"), QByteArray("nosniff"));
    QCOMPARE(r.body, QByteArray("x"));
}

void TestWebPages::rootsAreSearchedInOrder()
{
    const QString second = m_dir->filePath(QStringLiteral("second"));
    QVERIFY(QDir().mkpath(second));
    writeFile(second + QStringLiteral("/hello.txt"), "second hello");
    writeFile(second + QStringLiteral("/only-second.txt"), "only here");
    m_server->setWebRoots({m_root, second});
    QCOMPARE(get(port(), "/hello.txt").body, QByteArray("hello"));
    QCOMPARE(get(port(), "/only-second.txt").body, QByteArray("only here"));
    m_server->setWebRoots({second, m_root});
    QCOMPARE(get(port(), "/hello.txt").body, QByteArray("second hello"));
    QCOMPARE(m_server->webRoots(), QStringList({second, m_root}));
}

void TestWebPages::directoryMeansItsIndex()
{
    QCOMPARE(get(port(), "/sub/").body, QByteArray("<p>sub index</p>"));
    QCOMPARE(get(port(), "/sub").body, QByteArray("<p>sub index</p>"));
    QCOMPARE(get(port(), "/sub//index.html").body, QByteArray("<p>sub index</p>"));
    // Qt's request parser reads a target starting with "//" as a network-path reference:
    // "sub" becomes the host (then replaced by the Host header) and the path is "//index.html".
    QEXPECT_FAIL("", "Qt takes the first segment of a target starting with // for a host",
                 Continue);
    QCOMPARE(get(port(), "//sub//index.html").body, QByteArray("<p>sub index</p>"));
}

void TestWebPages::queryStringIsIgnored()
{
    const RawHttpResponse r = get(port(), "/hello.txt?ws=ws://x/#frag");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body, QByteArray("hello"));
    QCOMPARE(get(port(), "/hello%2Etxt").body, QByteArray("hello"));
}

void TestWebPages::absoluteFormIsServedByItsPath()
{
    // HTTP/1.1 servers must accept a request target in absolute form: only its path counts.
    const RawHttpResponse r = get(port(), "http://127.0.0.1/hello.txt");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body, QByteArray("hello"));
    QCOMPARE(get(port(), "http://elsewhere.example/hello.txt").body, QByteArray("hello"));
}

void TestWebPages::otherMethodsAre405()
{
    for (const QByteArray method : {"POST", "PUT", "DELETE", "OPTIONS", "PATCH"}) {
        const RawHttpResponse r =
            exchange(port(), method + " /hello.txt HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc");
        QVERIFY2(r.complete, method.constData());
        QCOMPARE(r.status, 405);
        QCOMPARE(r.header("allow"), QByteArray("GET, HEAD"));
        QVERIFY(!r.body.contains("hello"));
    }
}

void TestWebPages::noRootsByDefault()
{
    Engine engine;
    Server bare(&engine);
    QVERIFY(bare.webRoots().isEmpty());
    QVERIFY(bare.listen(QHostAddress::LocalHost, 0));
    QCOMPARE(get(bare.port(), "/").status, 404);
    QCOMPARE(get(bare.port(), "/index.html").status, 404);
}

void TestWebPages::defaultRootsHaveTheDemo()
{
    const QStringList roots = Server::defaultWebRoots();
    QVERIFY(roots.contains(QStringLiteral(":/objectsync/web")));
    QVERIFY(QFile::exists(QStringLiteral(":/objectsync/web/index.html")));
    QVERIFY(QFile::exists(QStringLiteral(":/objectsync/web/demo.js")));
    // In a build tree with the web client built, its bundle directory is a root too.
    const QString bundleDir = QStringLiteral(OBJECTSYNC_BINARY_DIR "/webclient");
    if (QFile::exists(bundleDir + QStringLiteral("/objectsync-client.js")))
        QVERIFY(roots.contains(QDir::cleanPath(bundleDir)));

    const QTemporaryDir env;
    QVERIFY(env.isValid());
    qputenv("OBJECTSYNC_WEB_ROOT", env.path().toLocal8Bit());
    const auto unset = qScopeGuard([] { qunsetenv("OBJECTSYNC_WEB_ROOT"); });
    const QStringList withEnvironment = Server::defaultWebRoots();
    QCOMPARE(withEnvironment.value(0), QDir::cleanPath(env.path()));
    QCOMPARE(withEnvironment.mid(1), roots);

    // The server serves the demo from the default roots.
    m_server->setWebRoots(roots);
    const RawHttpResponse r = get(port(), "/");
    QCOMPARE(r.status, 200);
    QVERIFY(r.body.contains("<title>ObjectSync demo</title>"));
}

QTEST_MAIN(TestWebPages)
