// SPDX-License-Identifier: MIT
#include "web/staticfiles.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace objectsync::web;

/*! The path rules and content types of the files the host serves, without sockets. */
class TestStaticFiles : public QObject
{
    Q_OBJECT

private slots:
    void lookupRules_data();
    void lookupRules();
    void contentTypeBySuffix();
};

void TestStaticFiles::lookupRules_data()
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

void TestStaticFiles::lookupRules()
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

void TestStaticFiles::contentTypeBySuffix()
{
    QCOMPARE(StaticFiles::contentType(QStringLiteral("x/index.html")),
             QByteArray("text/html; charset=utf-8"));
    QCOMPARE(StaticFiles::contentType(QStringLiteral("bundle.js.map")),
             QByteArray("application/json; charset=utf-8"));
    QCOMPARE(StaticFiles::contentType(QStringLiteral("noext")),
             QByteArray("application/octet-stream"));
}

QTEST_MAIN(TestStaticFiles)
#include "tst_staticfiles.moc"
