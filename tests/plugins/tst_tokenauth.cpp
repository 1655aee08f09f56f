// SPDX-License-Identifier: MIT
// The tokenauth example plugin: tokens and roles from OBJECTSYNC_TOKENS_FILE, nothing without
// it, everyone refused when the file is unusable; only one plugin may provide a policy; and
// the policy at work in a real host.
#include "core/endpoint.h"
#include "core/host.h"
#include "core/pluginlist.h"
#include "core/pluginmanager.h"
#include "rawclient.h"

#include <objectsync/access.h>
#include <objectsync/engine.h>

#include <QDir>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace objectsync;
using namespace testing;

namespace {

QString str(const char *s)
{
    return QString::fromUtf8(s);
}

const char tokensVariable[] = "OBJECTSYNC_TOKENS_FILE";

QString pluginFile(const QString &dir, const QString &part)
{
    const QStringList files = QDir(dir).entryList({QStringLiteral("*%1*").arg(part)}, QDir::Files);
    return files.isEmpty() ? QString() : dir + QLatin1Char('/') + files.first();
}

QString tokenauthFile()
{
    return pluginFile(QStringLiteral(OBJECTSYNC_EXAMPLE_PLUGIN_DIR), str("tokenauth"));
}

ConnectionRequest withToken(const QString &token)
{
    ConnectionRequest r;
    r.peerAddress = QHostAddress(QHostAddress::LocalHost);
    r.token = token;
    r.tokenSource = token.isEmpty() ? ConnectionRequest::TokenSource::None
                                    : ConnectionRequest::TokenSource::Url;
    return r;
}

} // namespace

class TstTokenAuth : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QVERIFY2(!tokenauthFile().isEmpty(), "the tokenauth plugin is not built");
        QVERIFY(m_dir.isValid());
        m_tokens = m_dir.filePath(str("tokens.json"));
        QFile file(m_tokens);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"ed-123": "editor", "vi-456": "viewer"})");
    }

    void cleanup() { qunsetenv(tokensVariable); }

    void withoutTheVariableNothingChanges()
    {
        qunsetenv(tokensVariable);
        Engine engine;
        PluginManager manager(&engine);
        QVERIFY(manager.loadFile(tokenauthFile()).isLoaded());
        QVERIFY(!manager.accessPolicy());
        QVERIFY(manager.accessPolicyOwner().isEmpty());
    }

    void tokensAndRoles()
    {
        qputenv(tokensVariable, m_tokens.toLocal8Bit());
        Engine engine;
        PluginManager manager(&engine);
        const PluginInfo info = manager.loadFile(tokenauthFile());
        QVERIFY(info.isLoaded());
        QVERIFY(info.accessPolicy);
        QVERIFY(formatPluginList(manager).contains(str("access policy")));
        const std::shared_ptr<AccessPolicy> policy = manager.accessPolicy();
        QVERIFY(policy);
        QCOMPARE(manager.accessPolicyOwner(), str("tokenauth"));

        QCOMPARE(policy->authenticate(withToken({})).outcome, AccessDecision::Outcome::AskForToken);
        AccessDecision d = policy->authenticate(withToken(str("ed-123")));
        QVERIFY(d.isAllowed());
        QCOMPARE(d.identity, str("editor"));
        d = policy->authenticate(withToken(str("vi-456")));
        QVERIFY(d.isAllowed());
        QCOMPARE(d.identity, str("viewer"));
        QCOMPARE(policy->authenticate(withToken(str("ed-124"))).outcome,
                 AccessDecision::Outcome::Deny);

        Change change;
        change.topicName = str("a/0_1/text");
        QVERIFY(policy->mayWrite({1, str("editor")}, change).ok());
        QCOMPARE(policy->mayWrite({2, str("viewer")}, change).errorMessage(),
                 str("viewers may not change anything"));
        QVERIFY(policy->mayCall({1, str("editor")}, str("undo"), {}).ok());
        QCOMPARE(policy->mayCall({2, str("viewer")}, str("undo"), {}).errorMessage(),
                 str("viewers may not call services"));
    }

    void anUnusableFileRefusesEveryone_data()
    {
        QTest::addColumn<QByteArray>("content"); // empty: no file at all
        QTest::newRow("missing") << QByteArray();
        QTest::newRow("not JSON") << QByteArray("{\"ed-123\": ");
        QTest::newRow("not an object") << QByteArray("[\"ed-123\"]");
        QTest::newRow("unknown role") << QByteArray(R"({"ed-123": "editor", "x": "admin"})");
        QTest::newRow("empty token") << QByteArray(R"({"ed-123": "editor", "": "viewer"})");
    }

    void anUnusableFileRefusesEveryone()
    {
        QFETCH(QByteArray, content);
        const QString path = m_dir.filePath(QStringLiteral("broken-%1.json").arg(++m_counter));
        if (!content.isEmpty()) {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(content);
        }
        qputenv(tokensVariable, path.toLocal8Bit());
        Engine engine;
        PluginManager manager(&engine);
        QTest::ignoreMessage(QtCriticalMsg,
                             QRegularExpression(str("the tokens file is unusable, so every client "
                                                    "is refused: .*broken-")));
        QVERIFY(manager.loadFile(tokenauthFile()).isLoaded());
        const std::shared_ptr<AccessPolicy> policy = manager.accessPolicy();
        QVERIFY(policy);
        const AccessDecision d = policy->authenticate(withToken(str("ed-123")));
        QCOMPARE(d.outcome, AccessDecision::Outcome::Deny);
        QVERIFY(d.reason.contains(str("unusable")));
        QCOMPARE(policy->authenticate(withToken({})).outcome, AccessDecision::Outcome::Deny);
    }

    void onlyOnePluginMayProvideAPolicy()
    {
        qputenv(tokensVariable, m_tokens.toLocal8Bit());
        Engine engine;
        PluginManager manager(&engine);
        QVERIFY(manager.loadFile(tokenauthFile()).isLoaded());
        const QString other =
            pluginFile(QStringLiteral(OBJECTSYNC_TEST_PLUGIN_DIR) + str("/policy"), str("policy"));
        QVERIFY(!other.isEmpty());
        const PluginInfo info = manager.loadFile(other);
        QCOMPARE(info.state, PluginInfo::State::Refused);
        QVERIFY2(info.error.contains(
                     str("an access policy is already provided by plugin \"tokenauth\"")),
                 qPrintable(info.error));
        // Nothing of the refused plugin is applied.
        QVERIFY(!engine.hasService(str("open/ping")));
        QCOMPARE(manager.accessPolicyOwner(), str("tokenauth"));
        QVERIFY(manager.accessPolicy()->authenticate(withToken({})).outcome ==
                AccessDecision::Outcome::AskForToken);

        // Alone, it loads and its policy is the host's.
        Engine engine2;
        PluginManager alone(&engine2);
        QVERIFY(alone.loadFile(other).isLoaded());
        QCOMPARE(alone.accessPolicyOwner(), str("openpolicy"));
        QVERIFY(engine2.hasService(str("open/ping")));
    }

    void viewersAndEditorsThroughAHost()
    {
        qputenv(tokensVariable, m_tokens.toLocal8Bit());
        Host host;
        HostOptions options;
        options.port = 0;
        options.defaultPluginDirs = false;
        options.pluginDirs = {QStringLiteral(OBJECTSYNC_EXAMPLE_PLUGIN_DIR)};
        options.scene = str("dom");
        QCOMPARE(host.start(options).errorMessage(), QString());
        SObject *text = host.engine()->root()->children().first();
        const QString topic = QStringLiteral("a/%1/text").arg(text->id());
        const QString before = host.engine()->topic(topic)->value().toString();
        const auto urlWith = [&](const QString &token) {
            QUrl url = host.endpoint()->url();
            url.setQuery(str("token=") + token);
            return url;
        };

        RawClient viewer;
        const int viewerId = viewer.open(urlWith(str("vi-456")));
        QVERIFY(viewerId > 0);
        QCOMPARE(viewer.subscribe(topic).toString(), before); // viewers read
        QJsonObject answer =
            viewer.act(str("v1"), {setCommand(QStringLiteral("%1_1").arg(viewerId), topic,
                                              str("string"), str("defaced"))});
        QCOMPARE(answer.value(str("type")).toString(), str("reject"));
        QCOMPARE(answer.value(str("reason")).toString(),
                 str("command 0: viewers may not change anything"));
        QCOMPARE(host.engine()->topic(topic)->value().toString(), before);
        QVERIFY(viewer.request(str("undo"), {})
                    .value(str("error"))
                    .toString()
                    .contains(str("viewers may not call")));

        RawClient editor;
        const int editorId = editor.open(urlWith(str("ed-123")));
        QVERIFY(editorId > 0);
        QCOMPARE(editor.subscribe(topic).toString(), before);
        answer = editor.act(str("e1"), {setCommand(QStringLiteral("%1_1").arg(editorId), topic,
                                                   str("string"), str("edited"))});
        QCOMPARE(answer.value(str("type")).toString(), str("update"));
        QCOMPARE(host.engine()->topic(topic)->value().toString(), str("edited"));

        // An unknown token gets nothing but a close.
        RawClient stranger;
        QSignalSpy closed(&stranger.socket, &QWebSocket::disconnected);
        stranger.socket.open(urlWith(str("guess")));
        QTRY_COMPARE(closed.count(), 1);
        QCOMPARE(stranger.socket.closeCode(), QWebSocketProtocol::CloseCodePolicyViolated);
        QVERIFY(stranger.messages.isEmpty());
    }

private:
    QTemporaryDir m_dir;
    QString m_tokens;
    int m_counter = 0;
};

QTEST_GUILESS_MAIN(TstTokenAuth)
#include "tst_tokenauth.moc"
