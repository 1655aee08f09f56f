// SPDX-License-Identifier: MIT
// The worked example of docs/protocol.md against a real host: every message the document shows
// a client sending is sent as written, and every message it shows the host sending must arrive,
// in that order, equal as JSON (key order aside), and nothing else.
#include "rawwebsocket.h"

#include <objectsync/result.h>

#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

namespace {

/*! A message of the example: sent by the client (→) or by the host (←). */
struct Step
{
    bool fromClient = false;
    QJsonObject message;
    int line = 0; //!< where it starts in docs/protocol.md
};

/*! The line before each fenced block that belongs to the example. */
const QString marker = QStringLiteral("<!-- checked by tests/protocolexample -->");

/*!
 * Reads the example from the blocks of \a markdown that follow the marker. In a block, a line
 * starting with "→" or "←" begins a message; its JSON may go on over the following lines.
 * An error saying where when something does not parse.
 */
objectsync::Result<QList<Step>> readExample(const QString &markdown)
{
    using objectsync::Error;
    using objectsync::ErrorCode;
    const QStringList lines = markdown.split(QLatin1Char('\n'));
    QList<Step> steps;
    QString text;
    const auto finish = [&]() -> objectsync::Result<void> {
        if (steps.isEmpty() || text.isEmpty())
            return {};
        QJsonParseError parse;
        const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &parse);
        if (!doc.isObject())
            return Error(
                ErrorCode::InvalidArgument,
                QStringLiteral("line %1: %2").arg(steps.last().line).arg(parse.errorString()));
        steps.last().message = doc.object();
        text.clear();
        return {};
    };
    for (qsizetype i = 0; i < lines.size(); ++i) {
        if (lines.at(i).trimmed() != marker)
            continue;
        if (i + 1 >= lines.size() || !lines.at(i + 1).startsWith(QLatin1String("```"))) {
            return Error(
                ErrorCode::InvalidArgument,
                QStringLiteral("line %1: the marker is not followed by a block").arg(i + 1));
        }
        for (i += 2; i < lines.size() && !lines.at(i).startsWith(QLatin1String("```")); ++i) {
            const QString line = lines.at(i).trimmed();
            if (line.startsWith(QStringLiteral("→")) || line.startsWith(QStringLiteral("←"))) {
                if (objectsync::Result<void> done = finish(); !done)
                    return done.error();
                steps.append({line.startsWith(QStringLiteral("→")), {}, int(i) + 1});
                text = line.mid(1);
            } else if (!steps.isEmpty()) {
                text += QLatin1Char('\n') + line;
            } else if (!line.isEmpty()) {
                return Error(ErrorCode::InvalidArgument,
                             QStringLiteral("line %1: text before the first message").arg(i + 1));
            }
        }
        if (objectsync::Result<void> done = finish(); !done)
            return done.error();
    }
    return steps;
}

} // namespace

class TstProtocolExample : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QFile doc(QStringLiteral(OBJECTSYNC_SOURCE_DIR "/docs/protocol.md"));
        QVERIFY(doc.open(QIODevice::ReadOnly));
        const auto example = readExample(QString::fromUtf8(doc.readAll()));
        QVERIFY2(example, qPrintable(example.errorMessage()));
        m_steps = *example;
        // The example shows each part of a conversation.
        QStringList kinds;
        for (const Step &s : std::as_const(m_steps))
            kinds.append((s.fromClient ? QStringLiteral("→") : QStringLiteral("←")) +
                         s.message.value(QStringLiteral("type")).toString());
        for (const char *kind :
             {"←hello", "→subscribe", "←init", "→action", "←update", "→request", "←response"})
            QVERIFY2(kinds.contains(QString::fromUtf8(kind)), kind);

        // A host with the counter plugin alone, keeping nothing on disk.
        QVERIFY(m_plugins.isValid());
        QVERIFY(QFile::link(QStringLiteral(OBJECTSYNC_COUNTER_PLUGIN),
                            m_plugins.filePath(QStringLiteral("libobjectsync_counter.so"))));
        m_host.start(QStringLiteral(OBJECTSYNC_HOST_EXE),
                     {QStringLiteral("--headless"), QStringLiteral("--no-workspace"),
                      QStringLiteral("--no-default-plugins"), QStringLiteral("--plugin-dir"),
                      m_plugins.path(), QStringLiteral("--port"), QStringLiteral("0")});
        static const QRegularExpression listening(
            QStringLiteral("^ObjectSync host listening on ws://127\\.0\\.0\\.1:(\\d+)/$"),
            QRegularExpression::MultilineOption);
        QString out;
        QVERIFY(QTest::qWaitFor(
            [&] {
                out += QString::fromLocal8Bit(m_host.readAllStandardOutput());
                return listening.match(out).hasMatch() || m_host.state() == QProcess::NotRunning;
            },
            30000));
        m_port = quint16(listening.match(out).captured(1).toUInt());
        QVERIFY2(m_port != 0,
                 qPrintable(out + QString::fromLocal8Bit(m_host.readAllStandardError())));
    }

    void cleanupTestCase()
    {
        m_host.terminate();
        if (!m_host.waitForFinished(10000))
            m_host.kill();
    }

    void theHostAnswersAsDocumented()
    {
        testing::RawWebSocket client;
        QVERIFY(client.connectTo(m_port));
        QCOMPARE(client.handshake(), 101);
        qsizetype received = 0;
        for (const Step &step : std::as_const(m_steps)) {
            if (step.fromClient) {
                client.sendFrame(0x1, QJsonDocument(step.message).toJson(QJsonDocument::Compact));
                continue;
            }
            const bool arrived =
                client.readUntil([&] { return client.messages.size() > received; });
            const QByteArray expected = QJsonDocument(step.message).toJson(QJsonDocument::Compact);
            QVERIFY2(arrived, qPrintable(QStringLiteral("line %1: nothing arrived; expected %2")
                                             .arg(step.line)
                                             .arg(QString::fromUtf8(expected))));
            const QJsonObject actual = client.messages.at(received++);
            QVERIFY2(actual == step.message,
                     qPrintable(QStringLiteral("line %1:\n  expected %2\n  received %3")
                                    .arg(step.line)
                                    .arg(QString::fromUtf8(expected),
                                         QString::fromUtf8(QJsonDocument(actual).toJson(
                                             QJsonDocument::Compact)))));
        }
        // Nothing more than the example shows.
        client.readUntil([] { return false; }, 300);
        QCOMPARE(client.messages.size(), received);
    }

private:
    QList<Step> m_steps;
    QTemporaryDir m_plugins;
    QProcess m_host;
    quint16 m_port = 0;
};

QTEST_GUILESS_MAIN(TstProtocolExample)
#include "tst_protocolexample.moc"
