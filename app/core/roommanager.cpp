// SPDX-License-Identifier: MIT
#include "roommanager.h"

#include "endpoint.h"
#include "host.h"
#include "logging.h"
#include "pluginmanager.h"

#include <objectsync/engine.h>
#include <objectsync/server.h>
#include <objectsync/workspace.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTimer>
#include <algorithm>

namespace objectsync {

namespace {

const QString roomFileSuffix = QStringLiteral(".osw");

} // namespace

struct RoomManager::Room
{
    QString name;
    std::unique_ptr<Engine> engine;
    std::unique_ptr<Workspace> workspace;
    std::unique_ptr<Server> server;
    QTimer idle;
    bool isNew = false;        //!< built from its scene when it opened
    quint64 builtSequence = 0; //!< the engine's sequence once built

    /*! Server first (it refers to the engine), then the workspace writes what is left, then
     *  the engine. */
    void tearDown()
    {
        server.reset();
        workspace.reset();
        engine.reset();
    }
    ~Room() { tearDown(); }
};

RoomManager::RoomManager(Host *host) : m_host(host) {}

RoomManager::~RoomManager()
{
    closeAll();
    m_closing.clear();
}

void RoomManager::configure(const HostOptions &options)
{
    m_options = options;
}

QString RoomManager::fileOf(const QString &name) const
{
    if (m_options.workspaceDir.isEmpty() || name == defaultRoomName)
        return {};
    return QDir(m_options.workspaceDir).absoluteFilePath(name + roomFileSuffix);
}

QString RoomManager::sceneFor(const QString &name) const
{
    const QString own = m_options.fixedRooms.value(name);
    if (!own.isEmpty())
        return own;
    return m_options.roomScene.isEmpty() ? m_options.scene : m_options.roomScene;
}

Server *RoomManager::serverOf(const QString &name) const
{
    if (name == defaultRoomName)
        return m_host->endpoint()->server();
    const auto it = m_rooms.find(name);
    return it == m_rooms.end() ? nullptr : it->second->server.get();
}

QStringList RoomManager::openRooms() const
{
    QStringList names{defaultRoomName};
    for (const auto &[name, room] : m_rooms)
        names.append(name);
    return names;
}

Result<Server *> RoomManager::resolve(const ConnectionRequest &request)
{
    const QString &name = request.room;
    const bool isOpen = name == defaultRoomName || m_rooms.count(name) > 0;
    if (!isOpen && m_options.roomMode == HostOptions::RoomMode::Fixed &&
        !m_options.fixedRooms.contains(name))
        return Error(ErrorCode::NotFound,
                     QStringLiteral("there is no room \"%1\" (this host serves only the rooms "
                                    "it was given)")
                         .arg(name));
    if (const std::shared_ptr<AccessPolicy> policy = m_host->endpoint()->server()->accessPolicy()) {
        Result<void> allowed = Error(ErrorCode::PermissionDenied,
                                     QStringLiteral("the access policy failed on a room"));
        try {
            allowed = policy->mayEnterRoom(request, isOpen);
        } catch (...) {
        }
        if (!allowed)
            return Error(ErrorCode::PermissionDenied,
                         QStringLiteral("the access policy refused room \"%1\": %2")
                             .arg(name, allowed.errorMessage()));
    }
    if (!isOpen) {
        if (const Result<Engine *> opened = open(name); !opened)
            return opened.error();
    }
    return serverOf(name);
}

Result<Engine *> RoomManager::open(const QString &name)
{
    if (Engine *engine = find(name))
        return engine;
    if (!isValidRoomName(name))
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("\"%1\" is not a valid room name").arg(name.left(80)));
    if (int(m_rooms.size()) + 1 >= m_options.maxRooms)
        return Error(ErrorCode::LimitExceeded,
                     QStringLiteral("too many rooms open (%1, see --max-rooms): room \"%2\" "
                                    "cannot be opened now")
                         .arg(m_options.maxRooms)
                         .arg(name));
    auto room = std::make_unique<Room>();
    room->name = name;
    if (const Result<void> built = build(*room); !built) {
        qCWarning(lcHost).noquote()
            << QStringLiteral("room %1 could not be opened: %2").arg(name, built.errorMessage());
        return Error(
            built.error().code(),
            QStringLiteral("room \"%1\" could not be opened: %2").arg(name, built.errorMessage()));
    }
    Engine *engine = room->engine.get();
    Room *r = room.get();
    m_rooms.emplace(name, std::move(room));
    qCInfo(lcHost).noquote() << QStringLiteral("opened room %1%2")
                                    .arg(name, r->workspace
                                                   ? QStringLiteral(" from ") + r->workspace->path()
                                                   : QString());
    onClientsChanged(r); // the idle clock runs until a client comes
    emit roomOpened(name);
    return engine;
}

Result<void> RoomManager::build(Room &room)
{
    PluginManager *plugins = m_host->pluginManager();
    room.engine = std::make_unique<Engine>();
    Engine *engine = room.engine.get();
    const QString file = fileOf(room.name);
    const auto fail = [&](const Error &error) {
        plugins->forget(engine);
        const QString path = room.workspace ? room.workspace->path() : QString();
        if (room.workspace)
            room.workspace->close();
        if (room.isNew && !path.isEmpty())
            QFile::remove(path); // nothing of it was kept
        room.tearDown();
        return error;
    };
    if (const Result<void> installed = plugins->installInto(engine, !file.isEmpty()); !installed)
        return fail(installed.error());
    room.isNew = true;
    if (!file.isEmpty()) {
        room.isNew = !QFileInfo::exists(file);
        room.workspace = std::make_unique<Workspace>(engine);
        if (const Result<void> opened = room.workspace->open(file); !opened) {
            room.isNew = false; // never remove a file that was there
            return fail(opened.error());
        }
        for (const QString &warning : room.workspace->warnings())
            qCWarning(lcHost).noquote() << QStringLiteral("room %1: %2").arg(room.name, warning);
        room.isNew = room.workspace->isNew();
        plugins->createTopics(engine);
    }
    engine->clearHistory();
    if (room.isNew) {
        if (const QString scene = sceneFor(room.name); !scene.isEmpty()) {
            if (const Result<void> built = plugins->buildScene(scene, engine); !built)
                return fail(built.error());
        }
    }

    Server *main = m_host->endpoint()->server();
    room.server = std::make_unique<Server>(engine);
    Server *server = room.server.get();
    server->setOptions(main->options());
    server->setAccessPolicy(main->accessPolicy());
    if (Workspace *workspace = room.workspace.get()) {
        connect(workspace, &Workspace::durable, server, &Server::setDurableSequence);
        connect(workspace, &Workspace::failed, this, [this, name = room.name](const QString &why) {
            qCCritical(lcHost).noquote()
                << QStringLiteral("room %1 stopped writing: %2; its changes are no longer kept")
                       .arg(name, why);
            if (Server *s = serverOf(name))
                s->setHoldUntilDurable(false);
        });
        server->setDurableSequence(workspace->durableSequence());
        server->setHoldUntilDurable(true);
        const QJsonValue next = workspace->value(Host::nextClientIdKey());
        if (next.isDouble())
            server->setNextClientId(next.toInt());
    }
    Room *r = &room;
    connect(server, &Server::clientConnected, this,
            [this, r, plugins](int id, const QString &address) {
                if (Workspace *w = r->workspace.get()) {
                    // Written with the next commit, before anything of the client's is
                    // acknowledged: ids are not given twice after a restart.
                    const int next = r->server->nextClientId();
                    if (w->value(Host::nextClientIdKey()) != QJsonValue(next))
                        w->setValue(Host::nextClientIdKey(), next);
                }
                plugins->clientConnectedTo(r->engine.get(), id, address);
                onClientsChanged(r);
            });
    connect(server, &Server::clientDisconnected, this, [this, r, plugins](int id) {
        plugins->clientDisconnectedFrom(r->engine.get(), id);
        onClientsChanged(r);
    });
    room.idle.setSingleShot(true);
    // Not from inside the timer's own signal: closing destroys the timer.
    connect(&room.idle, &QTimer::timeout, this, [this, name = room.name] {
        QMetaObject::invokeMethod(this, [this, name] { closeRoom(name, true); },
                                  Qt::QueuedConnection);
    });
    plugins->notifyStarted(engine);
    room.builtSequence = engine->lastSequence();
    return {};
}

void RoomManager::onClientsChanged(Room *room)
{
    const bool empty = room->server->clientIds().isEmpty();
    if (empty && room->workspace && m_options.roomIdleTimeoutMs > 0)
        room->idle.start(m_options.roomIdleTimeoutMs);
    else
        room->idle.stop();
    emit roomClientsChanged(room->name);
}

Engine *RoomManager::find(const QString &name) const
{
    if (name == defaultRoomName)
        return m_host->engine();
    const auto it = m_rooms.find(name);
    return it == m_rooms.end() ? nullptr : it->second->engine.get();
}

QString RoomManager::nameOf(const Engine *engine) const
{
    if (engine == m_host->engine())
        return defaultRoomName;
    for (const auto &[name, room] : m_rooms)
        if (room->engine.get() == engine)
            return name;
    return {};
}

QList<RoomInfo> RoomManager::list() const
{
    QStringList names = m_options.fixedRooms.keys();
    if (!m_options.workspaceDir.isEmpty()) {
        const QStringList files = QDir(m_options.workspaceDir)
                                      .entryList({QLatin1Char('*') + roomFileSuffix}, QDir::Files);
        for (const QString &file : files) {
            const QString name = file.chopped(roomFileSuffix.size());
            if (isValidRoomName(name))
                names.append(name);
        }
    }
    for (const auto &[name, room] : m_rooms)
        names.append(name);
    names.removeAll(defaultRoomName);
    names.sort();
    names.removeDuplicates();
    names.prepend(defaultRoomName);

    QList<RoomInfo> out;
    out.reserve(names.size());
    for (const QString &name : std::as_const(names)) {
        RoomInfo info;
        info.name = name;
        if (const Engine *engine = find(name)) {
            info.open = true;
            info.clients = int(serverOf(name)->clientIds().size());
            info.objects = int(engine->objectCount());
        }
        out.append(info);
    }
    return out;
}

Result<void> RoomManager::close(const QString &name)
{
    if (name == defaultRoomName)
        return Error(ErrorCode::Refused, QStringLiteral("the default room cannot be closed"));
    if (!m_rooms.count(name))
        return Error(ErrorCode::NotFound, QStringLiteral("room \"%1\" is not open").arg(name));
    closeRoom(name, false);
    return {};
}

void RoomManager::closeAll()
{
    while (!m_rooms.empty()) {
        // A copy: closeRoom() erases the key and still uses the name afterwards.
        const QString name = m_rooms.begin()->first;
        closeRoom(name, false);
    }
}

void RoomManager::closeRoom(QString name, bool idle) // a copy: the map entry goes
{
    const auto it = m_rooms.find(name);
    if (it == m_rooms.end())
        return;
    if (idle && !it->second->server->clientIds().isEmpty())
        return; // a client came in the meantime
    std::unique_ptr<Room> room = std::move(it->second);
    m_rooms.erase(it);
    room->idle.stop();
    room->server->disconnect(this);
    const bool hadClients = !room->server->clientIds().isEmpty();
    room->server->close(); // 1001 to every client: they may come back and reopen it
    QString removed;
    if (Workspace *workspace = room->workspace.get()) {
        const QString path = workspace->path();
        workspace->close(); // written and durable before the room goes
        // A room nobody changed is not worth a file: it is built again from its scene.
        if (room->isNew && room->engine->lastSequence() == room->builtSequence &&
            QFile::remove(path))
            removed = QStringLiteral(" (unchanged: its file was removed)");
    }
    m_host->pluginManager()->forget(room->engine.get());
    qCInfo(lcHost).noquote() << QStringLiteral("closed room %1%2%3")
                                    .arg(name,
                                         idle ? QStringLiteral(" after %1 s without clients")
                                                    .arg(m_options.roomIdleTimeoutMs / 1000)
                                              : QString(),
                                         removed);
    if (hadClients) {
        // Its clients take a moment to close; the room's engine stays until they are gone.
        Room *closing = room.get();
        m_closing.push_back(std::move(room));
        const int wait = qMax(100, closing->server->options().closeTimeoutMs + 100);
        QTimer::singleShot(wait, this, [this, closing] {
            std::erase_if(m_closing, [closing](const auto &r) { return r.get() == closing; });
        });
    }
    emit roomClosed(name);
}

} // namespace objectsync
