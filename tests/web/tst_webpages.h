// SPDX-License-Identifier: MIT
// The test of the web pages objectsync::Server serves, and the helpers its files share. Its
// test functions are defined in tst_webpages.cpp (files from the web roots),
// tst_webpages_bounds.cpp (malformed, slow and oversized requests, the bound on connections
// that have not finished their request) and tst_webpages_server.cpp (routes, WebSockets on the
// same port, statistics, listening and closing).
#pragma once

#include "httpclient.h"

#include <objectsync/engine.h>
#include <objectsync/server.h>

#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

class TestWebPages : public QObject
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
    void absoluteFormIsServedByItsPath();
    void otherMethodsAre405();
    void malformedRequestsAreRefused_data();
    void malformedRequestsAreRefused();
    void oversizedHeadIsCut();
    void slowHeadIsCut();
    void crowdCutsTheConnectionIdleLongest();
    void aBusyCrowdIsLetInPastTheBound();
    void requestServedIsReported();
    void routesAnswerTheirPath();
    void failingRouteIs500();
    void webSocketsAndPagesShareThePort();
    void statsCountRequests();
    void listenTwiceFails();
    void portInUseFails();
    void closeCutsOpenConnections();
    void noRootsByDefault();
    void defaultRootsHaveTheDemo();

private:
    quint16 port() const { return m_server->port(); }
    void setOptions(int handshakeTimeoutMs, int maxPendingConnections = 4096);

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_root; //!< a served directory inside m_dir, next to an unserved secret
    std::unique_ptr<objectsync::Engine> m_engine;
    std::unique_ptr<objectsync::Server> m_server;
};

namespace webpagestest {

inline void writeFile(const QString &path, const QByteArray &content)
{
    QFile file(path);
    QVERIFY2(file.open(QIODevice::WriteOnly), qPrintable(path));
    file.write(content);
}

/*! A response in a few words, for failure messages. */
inline QByteArray describe(const RawHttpResponse &r)
{
    return (r.complete ? "closed, " : "still open, ") + QByteArray::number(r.raw.size()) +
           " bytes, status " + QByteArray::number(r.status) + ": " + r.raw.left(80);
}

} // namespace webpagestest
