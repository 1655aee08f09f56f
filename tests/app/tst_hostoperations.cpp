// SPDX-License-Identifier: MIT
// The host's operations routes over real sockets: GET /healthz (200, then 503 once the
// workspace has failed) and GET /metrics, read by a small parser of the Prometheus text
// format, whose counters move as clients act.
#include "../transport/rawwebsocket.h"
#include "../web/httpclient.h"
#include "core/endpoint.h"
#include "core/host.h"

#include <objectsync/client.h>
#include <objectsync/server.h>
#include <objectsync/workspace.h>

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace objectsync;

namespace {

QString str(const char *s)
{
    return QString::fromUtf8(s);
}

/*!
 * The samples of a Prometheus text exposition: "name" or "name{label="value",...}" -> value.
 * Fails the test on a line that is not a comment, a blank or a well-formed sample, and on a
 * sample whose family has no TYPE line before it.
 */
QHash<QString, double> parseMetrics(const QByteArray &text, bool *ok)
{
    static const QRegularExpression sample(
        str("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})? (-?[0-9.eE+-]+|\\+Inf|-Inf|NaN)$"));
    static const QRegularExpression type(
        str("^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$"));
    QHash<QString, double> out;
    QSet<QString> typed;
    *ok = true;
    for (const QByteArray &rawLine : text.split('\n')) {
        const QString line = QString::fromUtf8(rawLine);
        if (line.isEmpty())
            continue;
        if (line.startsWith(str("# TYPE "))) {
            const QRegularExpressionMatch m = type.match(line);
            if (!m.hasMatch()) {
                qWarning() << "bad TYPE line:" << line;
                *ok = false;
            }
            typed.insert(m.captured(1));
            continue;
        }
        if (line.startsWith(QLatin1Char('#')))
            continue;
        const QRegularExpressionMatch m = sample.match(line);
        if (!m.hasMatch()) {
            qWarning() << "bad sample line:" << line;
            *ok = false;
            continue;
        }
        QString family = m.captured(1);
        for (const char *suffix : {"_bucket", "_sum", "_count"})
            if (!typed.contains(family) && family.endsWith(QLatin1String(suffix)))
                family.chop(int(qstrlen(suffix)));
        if (!typed.contains(family)) {
            qWarning() << "a sample before its TYPE:" << line;
            *ok = false;
        }
        out.insert(m.captured(1) + m.captured(2), m.captured(3).toDouble());
    }
    return out;
}

QHash<QString, double> scrape(quint16 port)
{
    const RawHttpResponse r = get(port, "/metrics");
    if (r.status != 200 || !r.header("content-type").startsWith("text/plain; version=0.0.4")) {
        qWarning() << "GET /metrics:" << r.status << r.header("content-type");
        return {};
    }
    bool ok = false;
    QHash<QString, double> metrics = parseMetrics(r.body, &ok);
    return ok ? metrics : QHash<QString, double>{};
}

QJsonObject health(quint16 port, int *status)
{
    const RawHttpResponse r = get(port, "/healthz");
    *status = r.status;
    return QJsonDocument::fromJson(r.body).object();
}

} // namespace

class TstHostOperations : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void healthIs200ThenFailsWithTheWorkspace()
    {
        Host host;
        HostOptions options;
        options.port = 0;
        options.defaultPluginDirs = false;
        options.workspace = m_dir.filePath(str("health.osw"));
        QCOMPARE(host.start(options).errorMessage(), QString());
        const quint16 port = host.endpoint()->server()->port();

        int status = 0;
        QJsonObject body = health(port, &status);
        QCOMPARE(status, 200);
        QCOMPARE(body.value(str("status")).toString(), str("ok"));
        QCOMPARE(body.value(str("workspace")).toString(), str("ok"));
        QCOMPARE(body.value(str("clients")).toInt(), 0);
        QVERIFY(!body.value(str("version")).toString().isEmpty());
        QVERIFY(body.value(str("uptime_s")).toDouble() >= 0);

        Client client;
        client.open(QUrl(str("ws://127.0.0.1:%1/").arg(port)));
        QTRY_COMPARE(client.state(), Client::State::Connected);
        QTRY_COMPARE(health(port, &status).value(str("clients")).toInt(), 1);

        // The disk fails: the host carries on in memory and says it is not healthy.
        QTest::ignoreMessage(QtCriticalMsg, QRegularExpression(str("stopped writing")));
        emit host.workspace()->failed(str("disk full"));
        body = health(port, &status);
        QCOMPARE(status, 503);
        QCOMPARE(body.value(str("status")).toString(), str("failing"));
        QCOMPARE(body.value(str("workspace")).toString(), str("failed"));
        QCOMPARE(scrape(port).value(str("objectsync_workspace_ok")), 0.0);

        // Without a workspace at all it is healthy.
        Host memory;
        HostOptions inMemory;
        inMemory.port = 0;
        inMemory.defaultPluginDirs = false;
        QCOMPARE(memory.start(inMemory).errorMessage(), QString());
        body = health(memory.endpoint()->server()->port(), &status);
        QCOMPARE(status, 200);
        QCOMPARE(body.value(str("workspace")).toString(), str("none"));
    }

    void metricsMoveWhenClientsAct()
    {
        Host host;
        HostOptions options;
        options.port = 0;
        options.defaultPluginDirs = false;
        options.pluginDirs = {str(OBJECTSYNC_EXAMPLE_PLUGIN_DIR)};
        options.workspace = m_dir.filePath(str("metrics.osw"));
        QCOMPARE(host.start(options).errorMessage(), QString());
        const quint16 port = host.endpoint()->server()->port();

        const QHash<QString, double> before = scrape(port);
        QVERIFY(!before.isEmpty());
        QCOMPARE(before.value(str("objectsync_clients")), 0.0);
        QCOMPARE(before.value(str("objectsync_actions_committed_total")), 0.0);
        QVERIFY(before.contains(str("objectsync_journal_commit_seconds_count")));
        QVERIFY(before.contains(str("objectsync_journal_commit_seconds_bucket{le=\"+Inf\"}")));
        QCOMPARE(before.value(str("objectsync_workspace_ok")), 1.0);

        // A client commits one action and has another refused.
        Client client;
        client.setFollow(Client::Follow::Everything);
        QSignalSpy confirmed(&client, &Client::actionConfirmed);
        QSignalSpy rejected(&client, &Client::actionRejected);
        client.open(QUrl(str("ws://127.0.0.1:%1/").arg(port)));
        QTRY_COMPARE(client.state(), Client::State::Connected);
        {
            auto action = client.action();
            QVERIFY(
                client.createObject(str("TextObject"), str("root"), {{str("text"), str("hi")}}));
            QVERIFY(action.commit());
        }
        QTRY_COMPARE(confirmed.size(), 1);
        {
            auto action = client.action();
            QVERIFY(client.createObject(str("NoSuchType"))); // the host refuses it later
            QVERIFY(action.commit());
        }
        QTRY_COMPARE(rejected.size(), 1);
        // A page from another site is refused at the door.
        testing::RawWebSocket stranger;
        QVERIFY(stranger.connectTo(port));
        QCOMPARE(stranger.handshake("/", {"Origin: https://evil.example"}), 403);

        QHash<QString, double> after;
        QTRY_VERIFY((after = scrape(port)).value(str("objectsync_journal_commit_seconds_count")) >
                    0);
        QCOMPARE(after.value(str("objectsync_clients")), 1.0);
        QCOMPARE(after.value(str("objectsync_actions_committed_total")), 1.0);
        QCOMPARE(after.value(str("objectsync_actions_rejected_total")), 1.0);
        QVERIFY(after.value(str("objectsync_messages_received_total")) >= 2);
        QVERIFY(after.value(str("objectsync_bytes_received_total")) >
                before.value(str("objectsync_bytes_received_total")));
        QVERIFY(after.value(str("objectsync_messages_sent_total")) >= 3);
        QVERIFY(after.value(str("objectsync_updates_sent_total")) >= 1);
        QVERIFY(after.value(str("objectsync_transitions_total")) >= 1);
        QVERIFY(after.value(str("objectsync_connections_accepted_total")) >= 2);
        QCOMPARE(after.value(str("objectsync_websockets_opened_total")), 1.0);
        QCOMPARE(after.value(str("objectsync_connections_refused_total{reason=\"origin\"}")), 1.0);
        QVERIFY(after.contains(str("objectsync_pending_outgoing_bytes")));
        QVERIFY(after.contains(str("objectsync_transitions_per_second")));
        // The latency histogram is cumulative and counts every commit.
        QCOMPARE(after.value(str("objectsync_journal_commit_seconds_bucket{le=\"+Inf\"}")),
                 after.value(str("objectsync_journal_commit_seconds_count")));

        // The client leaves: counted by its close code.
        client.close();
        QTRY_COMPARE(scrape(port).value(str("objectsync_clients")), 0.0);
        QCOMPARE(scrape(port).value(str("objectsync_connections_closed_total{code=\"1000\"}")),
                 1.0);
    }

private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TstHostOperations)
#include "tst_hostoperations.moc"
