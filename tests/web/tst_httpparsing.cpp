// SPDX-License-Identifier: MIT
#include "httprequest.h"
#include "staticfiles.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace objectsync::web;

class TestHttpParsing : public QObject
{
    Q_OBJECT

private slots:
    void scanFindsTheEndOfTheHead();
    void scanEnforcesTheLimit();
    void parsesRequestLineAndHeaders();
    void repeatedHeadersAreJoined();
    void recognizesWebSocketUpgrades_data();
    void recognizesWebSocketUpgrades();
    void refusesMalformedHeads_data();
    void refusesMalformedHeads();
    void pathDropsQueryAndFragment();
    void lookupRules_data();
    void lookupRules();
    void contentTypeBySuffix();
};

void TestHttpParsing::scanFindsTheEndOfTheHead()
{
    const QByteArray head = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
    HeadScan scan = scanRequestHead(head + "trailing body", 1000);
    QCOMPARE(scan.status, HeadScan::Complete);
    QCOMPARE(scan.size, head.size());
    QCOMPARE(scanRequestHead("GET / HTTP/1.1\r\nHost: a\r\n", 1000).status, HeadScan::Incomplete);
    QCOMPARE(scanRequestHead("", 1000).status, HeadScan::Incomplete);
}

void TestHttpParsing::scanEnforcesTheLimit()
{
    const QByteArray head = "GET / HTTP/1.1\r\nHost: a\r\n\r\n"; // 27 bytes
    QCOMPARE(scanRequestHead(head, head.size()).status, HeadScan::Complete);
    QCOMPARE(scanRequestHead(head, head.size() - 1).status, HeadScan::TooLarge);
    QCOMPARE(scanRequestHead(QByteArray(100, 'a'), 100).status, HeadScan::TooLarge);
    QCOMPARE(scanRequestHead(QByteArray(99, 'a'), 100).status, HeadScan::Incomplete);
}

void TestHttpParsing::parsesRequestLineAndHeaders()
{
    HttpRequestHead head;
    const QString error = parseRequestHead(
        "HEAD /a/b.js?x=1 HTTP/1.0\r\nHost: example\r\nX-Thing:   padded value  \r\n\r\n", &head);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(head.method, QByteArray("HEAD"));
    QCOMPARE(head.target, QByteArray("/a/b.js?x=1"));
    QCOMPARE(head.minorVersion, 0);
    QCOMPARE(head.headers.size(), 2);
    QCOMPARE(head.header("host"), QByteArray("example"));
    QCOMPARE(head.header("x-thing"), QByteArray("padded value"));
    QCOMPARE(head.header("missing"), QByteArray());
}

void TestHttpParsing::repeatedHeadersAreJoined()
{
    HttpRequestHead head;
    QVERIFY(parseRequestHead("GET / HTTP/1.1\r\nAccept: a\r\naccept: b\r\n\r\n", &head).isEmpty());
    QCOMPARE(head.header("accept"), QByteArray("a, b"));
    QVERIFY(head.headerHasToken("accept", "B"));
    QVERIFY(!head.headerHasToken("accept", "c"));
}

void TestHttpParsing::recognizesWebSocketUpgrades_data()
{
    QTest::addColumn<QByteArray>("headers");
    QTest::addColumn<bool>("upgrade");
    QTest::newRow("browser") << QByteArray("Upgrade: websocket\r\nConnection: Upgrade\r\n") << true;
    QTest::newRow("case and list")
        << QByteArray("upgrade: WebSocket\r\nconnection: keep-alive, upgrade\r\n") << true;
    QTest::newRow("no connection") << QByteArray("Upgrade: websocket\r\n") << false;
    QTest::newRow("other protocol")
        << QByteArray("Upgrade: h2c\r\nConnection: Upgrade\r\n") << false;
    QTest::newRow("plain") << QByteArray("Host: x\r\n") << false;
}

void TestHttpParsing::recognizesWebSocketUpgrades()
{
    QFETCH(QByteArray, headers);
    QFETCH(bool, upgrade);
    HttpRequestHead head;
    QVERIFY(parseRequestHead("GET / HTTP/1.1\r\n" + headers + "\r\n", &head).isEmpty());
    QCOMPARE(head.isWebSocketUpgrade(), upgrade);
}

void TestHttpParsing::refusesMalformedHeads_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::newRow("incomplete") << QByteArray("GET / HTTP/1.1\r\n");
    QTest::newRow("empty") << QByteArray("\r\n\r\n");
    QTest::newRow("two parts") << QByteArray("GET /\r\n\r\n");
    QTest::newRow("four parts") << QByteArray("GET / HTTP/1.1 x\r\n\r\n");
    QTest::newRow("bad method") << QByteArray("G(T / HTTP/1.1\r\n\r\n");
    QTest::newRow("http/2") << QByteArray("GET / HTTP/2.0\r\n\r\n");
    QTest::newRow("http/1") << QByteArray("GET / HTTP/1\r\n\r\n");
    QTest::newRow("control in target") << QByteArray("GET /\x7f HTTP/1.1\r\n\r\n");
    QTest::newRow("folded header") << QByteArray("GET / HTTP/1.1\r\nA: b\r\n  c\r\n\r\n");
    QTest::newRow("empty header name") << QByteArray("GET / HTTP/1.1\r\n: b\r\n\r\n");
    QTest::newRow("nul in value") << QByteArray("GET / HTTP/1.1\r\nA: b\0c\r\n\r\n", 26);
}

void TestHttpParsing::refusesMalformedHeads()
{
    QFETCH(QByteArray, bytes);
    HttpRequestHead head;
    QVERIFY(!parseRequestHead(bytes, &head).isEmpty());
}

void TestHttpParsing::pathDropsQueryAndFragment()
{
    HttpRequestHead head;
    head.target = "/a/b?c=d#e";
    QCOMPARE(head.path(), QByteArray("/a/b"));
    head.target = "/a#b?c";
    QCOMPARE(head.path(), QByteArray("/a"));
    head.target = "/plain";
    QCOMPARE(head.path(), QByteArray("/plain"));
}

void TestHttpParsing::lookupRules_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("fileName"); // relative to the first root when found
    QTest::newRow("root index") << QByteArray("/") << int(FileLookup::Found) << "index.html";
    QTest::newRow("file") << QByteArray("/app.js") << int(FileLookup::Found) << "app.js";
    QTest::newRow("encoded") << QByteArray("/my%20file.txt") << int(FileLookup::Found)
                             << "my file.txt";
    QTest::newRow("second root") << QByteArray("/extra.css") << int(FileLookup::Found) << "";
    QTest::newRow("missing") << QByteArray("/nope") << int(FileLookup::NotFound) << "";
    QTest::newRow("dir without index") << QByteArray("/empty/") << int(FileLookup::NotFound) << "";
    QTest::newRow("dotdot") << QByteArray("/../x") << int(FileLookup::Forbidden) << "";
    QTest::newRow("encoded dotdot") << QByteArray("/%2E%2e/x") << int(FileLookup::Forbidden) << "";
    QTest::newRow("dot") << QByteArray("/./app.js") << int(FileLookup::Forbidden) << "";
    QTest::newRow("hidden") << QByteArray("/.env") << int(FileLookup::Forbidden) << "";
    QTest::newRow("backslash") << QByteArray("/a\\b") << int(FileLookup::Forbidden) << "";
    QTest::newRow("nul") << QByteArray("/app.js%00") << int(FileLookup::Forbidden) << "";
    QTest::newRow("relative") << QByteArray("app.js") << int(FileLookup::Forbidden) << "";
}

void TestHttpParsing::lookupRules()
{
    QFETCH(QByteArray, path);
    QFETCH(int, status);
    QFETCH(QString, fileName);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString first = dir.filePath(QStringLiteral("first"));
    const QString second = dir.filePath(QStringLiteral("second"));
    QVERIFY(QDir().mkpath(first + QStringLiteral("/empty")));
    QVERIFY(QDir().mkpath(second));
    for (const QString &name : {QStringLiteral("/index.html"), QStringLiteral("/app.js"),
                                QStringLiteral("/my file.txt"), QStringLiteral("/.env")}) {
        QFile f(first + name);
        QVERIFY(f.open(QIODevice::WriteOnly));
    }
    QFile extra(second + QStringLiteral("/extra.css"));
    QVERIFY(extra.open(QIODevice::WriteOnly));

    StaticFiles files;
    files.setRoots({first, second});
    const FileLookup found = files.lookup(path);
    QCOMPARE(int(found.status), status);
    if (!fileName.isEmpty())
        QCOMPARE(found.filePath, first + QLatin1Char('/') + fileName);
    if (found.status == FileLookup::Found)
        QVERIFY(QFile::exists(found.filePath));
}

void TestHttpParsing::contentTypeBySuffix()
{
    QCOMPARE(StaticFiles::contentType(QStringLiteral("x/index.html")),
             QByteArray("text/html; charset=utf-8"));
    QCOMPARE(StaticFiles::contentType(QStringLiteral("bundle.js.map")),
             QByteArray("application/json; charset=utf-8"));
    QCOMPARE(StaticFiles::contentType(QStringLiteral("noext")),
             QByteArray("application/octet-stream"));
}

QTEST_MAIN(TestHttpParsing)
#include "tst_httpparsing.moc"
