// SPDX-License-Identifier: MIT
#pragma once

#include "hostoptions.h"

#include <objectsync/access.h>
#include <objectsync/room.h>

#include <QObject>
#include <QPointer>
#include <map>
#include <memory>

namespace objectsync {

class Engine;
class Host;
class Server;

/*!
 * The rooms of a host besides its default room (which is the Host's own engine, server and
 * workspace): each an Engine with the plugins' declarations, a Server that never listens (the
 * host's listening server hands it the room's clients) and, when rooms are kept on disk, a
 * Workspace file of its own in the rooms folder.
 *
 * The listening server asks resolve() for every WebSocket; a room that is not open is opened
 * when the host's room mode, --max-rooms and the access policy (AccessPolicy::mayEnterRoom())
 * allow it. A room on disk with no client for the idle timeout is closed once its journal is
 * written, and opens again from its file on the next connection.
 */
class RoomManager : public QObject, public RoomDirectory
{
    Q_OBJECT
public:
    explicit RoomManager(Host *host);
    ~RoomManager() override;

    /*! Takes the room options of \a options (mode, --room, scenes, folder, idle timeout, max);
     *  call before the first room opens. */
    void configure(const HostOptions &options);
    /*! The folder of the rooms' files; empty when rooms live in memory. */
    QString directory() const { return m_options.workspaceDir; }
    /*! The file of room \a name (empty in memory, and for the default room). */
    QString fileOf(const QString &name) const;

    /*! For Server::setRoomResolver(): the server of the room \a request asks for. */
    Result<Server *> resolve(const ConnectionRequest &request);
    /*! The server of the open room \a name (the host's for the default room), or null. */
    Server *serverOf(const QString &name) const;
    /*! Names of the open rooms, the default room first. */
    QStringList openRooms() const;
    /*! Closes every room (the host is stopping): their journals are written. */
    void closeAll();

    // RoomDirectory
    Result<Engine *> open(const QString &name) override;
    Engine *find(const QString &name) const override;
    QString nameOf(const Engine *engine) const override;
    QList<RoomInfo> list() const override;
    Result<void> close(const QString &name) override;

signals:
    void roomOpened(const QString &name);
    void roomClosed(const QString &name);
    /*! A room's clients came or went (for lists of rooms with their clients). */
    void roomClientsChanged(const QString &name);

private:
    struct Room;
    Result<void> build(Room &room);
    void onClientsChanged(Room *room);
    void closeRoom(QString name, bool idle);
    QString sceneFor(const QString &name) const;

    Host *m_host;
    HostOptions m_options;
    std::map<QString, std::unique_ptr<Room>> m_rooms;
    /*! Rooms closed while clients were still being closed: kept until they are gone. */
    std::vector<std::unique_ptr<Room>> m_closing;
};

} // namespace objectsync
