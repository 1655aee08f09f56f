// SPDX-License-Identifier: MIT
// Save As and Open on a running host with a client connected: the host continues in the new
// file, the client follows the swapped content as updates, and a bad file changes nothing.
#include "core/endpoint.h"
#include "core/host.h"
#include "core/pluginmanager.h"

#include <objectsync/client.h>
#include <objectsync/engine.h>
#include <objectsync/server.h>
#include <objectsync/workspace.h>

#include <QSignalSpy>
#include <QtTest>

using namespace objectsync;

namespace {

HostOptions baseOptions()
{
    HostOptions options;
    options.port = 0;
    options.serveWeb = false;
    options.defaultPluginDirs = false;
    options.pluginDirs = {QStringLiteral(OBJECTSYNC_EXAMPLE_PLUGIN_DIR)};
    options.scene = QStringLiteral("taskboard");
    return options;
}

/*! Where the client's mirror differs from the engine; empty when it matches. */
QString mirrorDifference(const Client &client, const Engine &engine)
{
    QStringList hostIds = engine.objectIds();
    QStringList clientIds = client.objectIds();
    hostIds.sort();
    clientIds.sort();
    if (hostIds != clientIds)
        return QStringLiteral("objects: host %1, client %2")
            .arg(hostIds.join(QLatin1Char(',')), clientIds.join(QLatin1Char(',')));
    const QJsonObject mirrored = client.snapshot();
    for (auto it = mirrored.begin(); it != mirrored.end(); ++it) {
        const Topic *topic = engine.topic(it.key());
        if (!topic)
            return QStringLiteral("the client still has %1").arg(it.key());
        if (topic->value() != it.value())
            return QStringLiteral("%1 differs").arg(it.key());
    }
    return {};
}

QString boardId(const Engine &engine)
{
    return engine.root()->children().isEmpty() ? QString()
                                               : engine.root()->children().first()->id();
}

/*! Asks the host for a text object (dom plugin) saying \a text; returns its id. */
Result<QString> createText(Client &client, const QString &text)
{
    return client.createObject(QStringLiteral("TextObject"), QStringLiteral("root"),
                               {{QStringLiteral("text"), text}});
}

QString titleOf(const QString &board)
{
    return QStringLiteral("a/%1/title").arg(board);
}

} // namespace

class TstHostWorkspaceFiles : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // Another workspace, made by a host of its own: a board with a title of its own
        // and a second board.
        m_other = m_dir.filePath(QStringLiteral("other.osw"));
        HostOptions options = baseOptions();
        options.workspace = m_other;
        Host maker;
        QCOMPARE(maker.prepare(options).errorMessage(), QString());
        Engine *engine = maker.engine();
        engine->topicAs<StringTopic>(titleOf(boardId(*engine)))->set(QStringLiteral("Other board"));
        QCOMPARE(engine
                     ->tryTransition([&] {
                         engine->createObject(
                             QStringLiteral("TaskBoard"), nullptr, {},
                             {{QStringLiteral("title"), QStringLiteral("Second")}});
                     })
                     .errorMessage(),
                 QString());
        m_otherObjects = engine->objectIds();
        m_otherObjects.sort();
    }

    void saveAsThenOpen()
    {
        Host host;
        QCOMPARE(host.start(baseOptions()).errorMessage(), QString());
        Engine *engine = host.engine();
        Server *server = host.endpoint()->server();
        QVERIFY(!host.hasWorkspace());
        QVERIFY(!server->holdsUntilDurable());

        Client client;
        client.setFollow(Client::Follow::Everything);
        QSignalSpy confirmed(&client, &Client::actionConfirmed);
        client.open(QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(server->port())));
        QTRY_COMPARE(client.state(), Client::State::Connected);
        const QString board = boardId(*engine);
        QTRY_VERIFY(client.hasValue(titleOf(board)));
        QTRY_COMPARE(mirrorDifference(client, *engine), QString());

        // Save As on a host without a workspace: it has one from then on and holds back
        // what it sends until it is durable.
        QSignalSpy changed(&host, &Host::workspaceChanged);
        const QString first = m_dir.filePath(QStringLiteral("saved/first.osw"));
        QCOMPARE(host.saveWorkspaceAs(first).errorMessage(), QString());
        QVERIFY(host.hasWorkspace());
        QCOMPARE(host.workspacePath(), QFileInfo(first).absoluteFilePath());
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.at(0).at(0).toString(), QFileInfo(first).absoluteFilePath());
        QVERIFY(server->holdsUntilDurable());
        const QString savedId = createText(client, QStringLiteral("Saved")).valueOr({});
        QVERIFY(!savedId.isEmpty());
        QTRY_VERIFY(!confirmed.isEmpty());
        QVERIFY(engine->object(savedId));

        // Open the other file: its content replaces the host's; the client follows.
        QCOMPARE(host.openWorkspaceFile(m_other).errorMessage(), QString());
        QCOMPARE(host.workspacePath(), QFileInfo(m_other).absoluteFilePath());
        QCOMPARE(changed.size(), 2);
        QStringList ids = engine->objectIds();
        ids.sort();
        QCOMPARE(ids, m_otherObjects);
        QCOMPARE(engine->topic(titleOf(board))->value().toString(), QStringLiteral("Other board"));
        QTRY_COMPARE(mirrorDifference(client, *engine), QString());
        QCOMPARE(client.value(titleOf(board)).toString(), QStringLiteral("Other board"));
        // The plugins started again and know the client is there.
        QTRY_VERIFY(engine->topic(QStringLiteral("taskboard/online"))
                        ->value()
                        .toObject()
                        .contains(QString::number(client.clientId())));
        QVERIFY(!client.objectIds().contains(savedId));
        // The client keeps working on the new content.
        const int confirmations = int(confirmed.size());
        const QString editedId = createText(client, QStringLiteral("Edited")).valueOr({});
        QVERIFY(!editedId.isEmpty());
        QTRY_COMPARE(confirmed.size(), confirmations + 1);
        QVERIFY(engine->object(editedId));
        QTRY_COMPARE(mirrorDifference(client, *engine), QString());

        // Bad files: a message, and nothing changes.
        const QString garbage = m_dir.filePath(QStringLiteral("garbage.osw"));
        QFile file(garbage);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("this is not a workspace");
        file.close();
        const QJsonObject before = engine->serialize(engine->root());
        const quint64 durableBefore = server->durableSequence();
        for (const QString &bad : {garbage, m_dir.filePath(QStringLiteral("missing.osw"))}) {
            const QString error = host.openWorkspaceFile(bad).errorMessage();
            QVERIFY2(error.startsWith(QStringLiteral("cannot open workspace '%1'").arg(bad)),
                     qPrintable(error));
            QCOMPARE(engine->serialize(engine->root()), before);
            QCOMPARE(host.workspacePath(), QFileInfo(m_other).absoluteFilePath());
            QVERIFY(server->holdsUntilDurable());
        }
        QCOMPARE(changed.size(), 2);
        QCOMPARE(server->durableSequence(), durableBefore);
        // Saving where the folder cannot be made fails the same way.
        QVERIFY(!host.saveWorkspaceAs(garbage + QStringLiteral("/inside.osw")));
        QCOMPARE(host.workspacePath(), QFileInfo(m_other).absoluteFilePath());
        client.close();
    }

    void filesKeepWhatWasWrittenThere()
    {
        // first.osw holds the text made while it was open, other.osw its own title and
        // the text made after the switch.
        for (const auto &[file, text] :
             {std::pair{QStringLiteral("saved/first.osw"), QStringLiteral("Saved")},
              std::pair{QStringLiteral("other.osw"), QStringLiteral("Edited")}}) {
            HostOptions options = baseOptions();
            options.workspace = m_dir.filePath(file);
            Host host;
            QCOMPARE(host.prepare(options).errorMessage(), QString());
            const Engine *engine = host.engine();
            QStringList texts;
            for (const SObject *o : engine->root()->children())
                if (const Topic *t = engine->topic(QStringLiteral("a/%1/text").arg(o->id())))
                    texts.append(t->value().toString());
            QCOMPARE(texts, QStringList{text});
            QCOMPARE(engine->topic(titleOf(boardId(*engine)))->value().toString(),
                     file == QLatin1String("other.osw") ? QStringLiteral("Other board")
                                                        : QStringLiteral("Team board"));
        }
    }

private:
    QTemporaryDir m_dir;
    QString m_other;
    QStringList m_otherObjects;
};

QTEST_GUILESS_MAIN(TstHostWorkspaceFiles)
#include "tst_hostworkspacefiles.moc"
