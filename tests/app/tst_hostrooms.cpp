// SPDX-License-Identifier: MIT
// Rooms over real sockets: two rooms of one host never see each other's changes, undo or
// client ids; bad names, rooms the host does not serve, too many rooms and rooms the access
// policy refuses are each a clear HTTP status with nothing created; a room without clients is
// closed after the idle timeout with everything in its file, and opens again from it.
#include "../transport/rawwebsocket.h"
#include "../web/httpclient.h"
#include "core/endpoint.h"
#include "core/host.h"
#include "core/roommanager.h"

#include <objectsync/access.h>
#include <objectsync/client.h>
#include <objectsync/engine.h>
#include <objectsync/names.h>
#include <objectsync/server.h>

#include <QDir>
#include <QFuture>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace objectsync;

namespace {

QString str(const char *s)
{
    return QString::fromUtf8(s);
}

QString textOf(const QString &objectId)
{
    return names::attributeTopic(objectId, str("text"));
}

HostOptions roomOptions()
{
    HostOptions options;
    options.port = 0;
    options.defaultPluginDirs = false;
    options.pluginDirs = {str(OBJECTSYNC_EXAMPLE_PLUGIN_DIR)};
    options.roomMode = HostOptions::RoomMode::Open;
    return options;
}

/*! A client of \a path on \a port, connected and following everything. */
std::unique_ptr<Client> connectTo(quint16 port, const QString &path)
{
    auto client = std::make_unique<Client>();
    client->setFollow(Client::Follow::Everything);
    client->open(QUrl(QStringLiteral("ws://127.0.0.1:%1%2").arg(port).arg(path)));
    if (!QTest::qWaitFor([&] { return client->state() == Client::State::Connected; }, 10000))
        return nullptr;
    if (!QTest::qWaitFor([&] { return client->hasValue(names::objects); }, 10000))
        return nullptr;
    return client;
}

/*! Creates a text object under the root and waits for its confirmation; its id or empty. */
QString createText(Client &client, const QString &text)
{
    auto action = client.action();
    const Result<QString> created =
        client.createObject(str("TextObject"), names::rootId, {{str("text"), text}});
    const Result<QString> sent = action.commit();
    if (!created || !sent)
        return {};
    if (!QTest::qWaitFor([&] { return client.pendingCount() == 0; }, 10000))
        return {};
    return *created;
}

/*! The status of a WebSocket handshake to \a target. */
int handshakeStatus(quint16 port, const QByteArray &target)
{
    testing::RawWebSocket ws;
    if (!ws.connectTo(port))
        return -1;
    return ws.handshake(target);
}

QStringList roomNames(const Host &host)
{
    QStringList names;
    for (const RoomInfo &room : host.rooms()->list())
        names.append(room.name);
    return names;
}

/*! Refuses room "secret", and remembers what it was asked. */
class RoomPolicy : public AccessPolicy
{
public:
    AccessDecision authenticate(const ConnectionRequest &request) override
    {
        authenticated.append(request.room);
        return AccessDecision::allow();
    }
    Result<void> mayEnterRoom(const ConnectionRequest &request, bool exists) override
    {
        asked.append(QStringLiteral("%1:%2").arg(request.room).arg(exists));
        if (request.room == QLatin1String("secret"))
            return Error(ErrorCode::PermissionDenied, str("not for you"));
        return {};
    }
    Result<void> mayWrite(const AccessClient &client, const Change &) override
    {
        writers.append(client.room);
        return {};
    }
    QStringList authenticated;
    QStringList asked;
    QStringList writers;
};

} // namespace

class TstHostRooms : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void twoRoomsNeverMeet()
    {
        Host host;
        QCOMPARE(host.start(roomOptions()).errorMessage(), QString());
        const quint16 port = host.endpoint()->server()->port();

        const auto a1 = connectTo(port, str("/"));
        const auto a2 = connectTo(port, str("/"));
        const auto b1 = connectTo(port, str("/rooms/b"));
        const auto b2 = connectTo(port, str("/rooms/b/"));
        QVERIFY(a1 && a2 && b1 && b2);
        // Client ids are per room.
        QCOMPARE(a1->clientId(), 1);
        QCOMPARE(a2->clientId(), 2);
        QCOMPARE(b1->clientId(), 1);
        QCOMPARE(b2->clientId(), 2);

        const QString inA = createText(*a1, str("in a"));
        QVERIFY(!inA.isEmpty());
        const QString inB = createText(*b1, str("in b"));
        QVERIFY(!inB.isEmpty());
        QTRY_COMPARE(a2->value(textOf(inA)).toString(), str("in a"));
        QTRY_COMPARE(b2->value(textOf(inB)).toString(), str("in b"));
        // The same id in both rooms (client 1's first object) holds each room's own text.
        QCOMPARE(inA, inB);

        QVERIFY(b1->set(textOf(inB), str("b edited")).ok());
        QTRY_COMPARE(b2->value(textOf(inB)).toString(), str("b edited"));
        QTest::qWait(200); // time for a stray update to reach room a
        QCOMPARE(a1->value(textOf(inA)).toString(), str("in a"));
        QCOMPARE(a2->value(textOf(inA)).toString(), str("in a"));

        Engine *engineA = host.engine();
        Engine *engineB = host.rooms()->find(str("b"));
        QVERIFY(engineB && engineB != engineA);
        QCOMPARE(host.rooms()->nameOf(engineB), str("b"));
        QCOMPARE(engineB->objectCount(), engineA->objectCount());

        // Undo in room b takes back b's edit and nothing of room a.
        QVERIFY(engineB->canUndo());
        QCOMPARE(engineB->undo().errorMessage(), QString());
        QTRY_COMPARE(b2->value(textOf(inB)).toString(), str("in b"));
        QCOMPARE(engineA->topic(textOf(inA))->value().toString(), str("in a"));
        QCOMPARE(a2->value(textOf(inA)).toString(), str("in a"));

        // GET /rooms lists both, with their clients.
        const RawHttpResponse listed = get(port, "/rooms");
        QCOMPARE(listed.status, 200);
        const QJsonArray rooms = QJsonDocument::fromJson(listed.body).array();
        QCOMPARE(rooms.size(), 2);
        QCOMPARE(rooms.at(0)[str("name")].toString(), str("default"));
        QCOMPARE(rooms.at(0)[str("clients")].toInt(), 2);
        QCOMPARE(rooms.at(1)[str("name")].toString(), str("b"));
        QCOMPARE(rooms.at(1)[str("clients")].toInt(), 2);
        QCOMPARE(rooms.at(1)[str("state")].toString(), str("open"));
        QCOMPARE(rooms.at(1)[str("objects")].toInt(), int(engineB->objectCount()));
    }

    void refusalsAreHttpErrorsAndCreateNothing()
    {
        Host host;
        HostOptions options = roomOptions();
        options.maxRooms = 2; // the default room and one more
        options.workspaceDir = m_dir.filePath(str("refusals"));
        QCOMPARE(host.start(options).errorMessage(), QString());
        const auto policy = std::make_shared<RoomPolicy>();
        host.endpoint()->server()->setAccessPolicy(policy);
        const quint16 port = host.endpoint()->server()->port();

        QCOMPARE(handshakeStatus(port, "/rooms/bad%20name"), 400);
        QCOMPARE(handshakeStatus(port, "/rooms/"), 400);
        QCOMPARE(handshakeStatus(port, "/rooms/.."), 400);
        QCOMPARE(handshakeStatus(port, "/rooms/" + QByteArray(65, 'x')), 400);
        QCOMPARE(handshakeStatus(port, "/rooms/secret"), 403);
        QCOMPARE(roomNames(host), QStringList{str("default")});
        QVERIFY(QDir(options.workspaceDir).entryList(QDir::Files).isEmpty());
        QCOMPARE(policy->asked, QStringList{str("secret:0")});

        const auto one = connectTo(port, str("/rooms/one"));
        QVERIFY(one);
        QCOMPARE(policy->authenticated, QStringList{str("one")});
        QVERIFY(!createText(*one, str("x")).isEmpty());
        QVERIFY(policy->writers.contains(str("one")));
        QCOMPARE(handshakeStatus(port, "/rooms/two"), 503); // --max-rooms
        QCOMPARE(roomNames(host), (QStringList{str("default"), str("one")}));
        QCOMPARE(QDir(options.workspaceDir).entryList({str("*.osw")}, QDir::Files),
                 QStringList{str("one.osw")});
        const ServerStats stats = host.endpoint()->server()->stats();
        QCOMPARE(stats.refused.value(str("room")), 6);
    }

    void fixedRoomsOnly()
    {
        Host host;
        HostOptions options = roomOptions();
        options.roomMode = HostOptions::RoomMode::Fixed;
        options.fixedRooms.insert(str("lobby"), str("dom"));
        QCOMPARE(host.start(options).errorMessage(), QString());
        const quint16 port = host.endpoint()->server()->port();

        QCOMPARE(handshakeStatus(port, "/rooms/elsewhere"), 404);
        QCOMPARE(handshakeStatus(port, "/rooms/lobby"), 101);
        QCOMPARE(handshakeStatus(port, "/rooms/default"), 101);
        // The lobby was built from its scene; the default room has none.
        QTRY_VERIFY(host.rooms()->find(str("lobby")));
        QVERIFY(host.rooms()->find(str("lobby"))->objectCount() > 1);
        QCOMPARE(host.engine()->objectCount(), 1);
        // Listed before it opens, and its pages are served under /rooms/lobby/.
        const RawHttpResponse page = get(port, "/rooms/lobby/");
        QCOMPARE(page.status, 200);
        QVERIFY(page.body.contains("<html"));
        const RawHttpResponse bare = get(port, "/rooms/lobby");
        QCOMPARE(bare.status, 308);
        QCOMPARE(bare.header("location"), QByteArray("/rooms/lobby/"));
    }

    void idleRoomClosesAndReopensFromItsFile()
    {
        const QString dir = m_dir.filePath(str("idle"));
        QString objectId;
        {
            Host host;
            HostOptions options = roomOptions();
            options.workspaceDir = dir;
            options.roomIdleTimeoutMs = 1000;
            QCOMPARE(host.start(options).errorMessage(), QString());
            const quint16 port = host.endpoint()->server()->port();
            QSignalSpy closed(host.rooms(), &RoomManager::roomClosed);

            auto client = connectTo(port, str("/rooms/quiet"));
            QVERIFY(client);
            objectId = createText(*client, str("kept"));
            QVERIFY(!objectId.isEmpty());
            QVERIFY(client->set(textOf(objectId), str("kept twice")).ok());
            QTRY_COMPARE(client->pendingCount(), 0);
            const int firstId = client->clientId();
            client.reset(); // the last client leaves

            QTRY_COMPARE_WITH_TIMEOUT(closed.size(), 1, 5000);
            QCOMPARE(closed.at(0).at(0).toString(), str("quiet"));
            QVERIFY(!host.rooms()->find(str("quiet")));
            QVERIFY(QFileInfo::exists(dir + str("/quiet.osw")));
            const QList<RoomInfo> listed = host.rooms()->list();
            QCOMPARE(listed.size(), 2);
            QCOMPARE(listed.at(1).name, str("quiet"));
            QVERIFY(!listed.at(1).open);

            // The next client finds everything, and gets a new id.
            auto again = connectTo(port, str("/rooms/quiet"));
            QVERIFY(again);
            QTRY_COMPARE(again->value(textOf(objectId)).toString(), str("kept twice"));
            QVERIFY(again->clientId() > firstId);
        }
        // Another host on the same folder: the file held everything.
        Host host;
        HostOptions options = roomOptions();
        options.workspaceDir = dir;
        QCOMPARE(host.start(options).errorMessage(), QString());
        const Result<Engine *> opened = host.rooms()->open(str("quiet"));
        QVERIFY2(opened, qPrintable(opened.errorMessage()));
        QCOMPARE((*opened)->topic(textOf(objectId))->value().toString(), str("kept twice"));
    }

    void hostCodeOpensAndClosesRooms()
    {
        Host host;
        QCOMPARE(host.start(roomOptions()).errorMessage(), QString());
        const quint16 port = host.endpoint()->server()->port();
        QCOMPARE(host.rooms()->close(str("default")).error().code(), ErrorCode::Refused);
        QCOMPARE(host.rooms()->open(str("no good")).error().code(), ErrorCode::InvalidArgument);
        const Result<Engine *> made = host.rooms()->open(str("made"));
        QVERIFY(made);

        auto client = connectTo(port, str("/rooms/made"));
        QVERIFY(client);
        QVERIFY(host.rooms()->close(str("made")).ok());
        QVERIFY(!host.rooms()->find(str("made")));
        QTRY_VERIFY(client->state() != Client::State::Connected);
        QCOMPARE(host.rooms()->close(str("made")).error().code(), ErrorCode::NotFound);
    }

    void pluginsServeEachRoomOnItsOwn()
    {
        Host host;
        QCOMPARE(host.start(roomOptions()).errorMessage(), QString());
        const quint16 port = host.endpoint()->server()->port();
        const auto inDefault = connectTo(port, str("/"));
        const auto inB = connectTo(port, str("/rooms/b"));
        const auto alsoInB = connectTo(port, str("/rooms/b"));
        QVERIFY(inDefault && inB && alsoInB);
        Engine *engineB = host.rooms()->find(str("b"));
        QVERIFY(engineB);

        // A service the plugin registered with its context's engine acts on the caller's room.
        const qsizetype before = host.engine()->objectCount();
        QFuture<Result<QJsonValue>> made =
            inB->request(str("taskboard/create_board"), {{str("title"), str("room b's board")}});
        QTRY_VERIFY(made.isFinished());
        QVERIFY2(made.result(), qPrintable(made.result().errorMessage()));
        const QString boardId = made.result()->toObject().value(str("id")).toString();
        QVERIFY(engineB->object(boardId));
        QCOMPARE(host.engine()->objectCount(), before);
        QVERIFY(!host.engine()->object(boardId) ||
                host.engine()->object(boardId)->typeName() != str("TaskBoard"));

        // Each room's presence lists its own clients (the plugin's clientConnected()).
        const auto online = [](Engine *engine) {
            return engine->topic(str("taskboard/online"))->value().toObject().keys();
        };
        QTRY_COMPARE(online(engineB), (QStringList{str("1"), str("2")}));
        QTRY_COMPARE(online(host.engine()), QStringList{str("1")});
        QCOMPARE(host.rooms()->nameOf(engineB), str("b"));
    }

private:
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TstHostRooms)
#include "tst_hostrooms.moc"
