// SPDX-License-Identifier: MIT
#pragma once

/*!
 * \file room.h Rooms: independent object trees served by one host, each with its own engine,
 * undo history, clients and workspace file. A client chooses its room by the path of its
 * WebSocket URL: `ws://host:8765/rooms/<name>`; every other path (`/` first of all) is the
 * default room, so clients that know nothing of rooms keep working.
 */

#include <objectsync/global.h>
#include <objectsync/result.h>

#include <QList>
#include <QString>

namespace objectsync {

class Engine;

/*! The name of the room reached at `/` (and at `/rooms/default`). */
inline const QString defaultRoomName = QStringLiteral("default");

/*! True when \a name can name a room: 1 to 64 characters of `A-Z a-z 0-9 . _ -`, and not
 *  only dots. */
OBJECTSYNC_EXPORT bool isValidRoomName(QStringView name);

/*!
 * The room a WebSocket URL path asks for: the name in `/rooms/<name>` (a trailing `/` is
 * allowed), defaultRoomName for every path outside `/rooms`. An InvalidArgument error says why
 * a path under `/rooms` names no valid room.
 */
OBJECTSYNC_EXPORT Result<QString> roomOfPath(const QString &path);

/*! What the host knows of a room (RoomDirectory::list()). */
struct OBJECTSYNC_EXPORT RoomInfo
{
    QString name;
    bool open = false; //!< loaded in memory; false: kept on disk only
    int clients = 0;   //!< clients connected now (0 when closed)
    int objects = 0;   //!< objects in its tree, the root included (0 when closed)
};

/*!
 * The rooms of a host, for plugins (PluginContext::rooms()) and the inspector. Every call
 * happens on the engine's thread.
 */
class OBJECTSYNC_EXPORT RoomDirectory
{
public:
    /*! The open room \a name, opening it (from its file, or new from the room scene) when it
     *  is not. Host code may open any valid name, whatever the host's room mode; only
     *  --max-rooms applies. */
    virtual Result<Engine *> open(const QString &name) = 0;
    /*! The open room \a name, or null. */
    virtual Engine *find(const QString &name) const = 0;
    /*! The name of the room whose engine is \a engine; empty for an engine of no room. */
    virtual QString nameOf(const Engine *engine) const = 0;
    /*! Every room, open or kept on disk, sorted by name, the default room first. */
    virtual QList<RoomInfo> list() const = 0;
    /*! Closes room \a name: its clients are disconnected (1001), its journal is written and
     *  it is unloaded; it opens again from its file on the next connection. The default room
     *  cannot be closed. */
    virtual Result<void> close(const QString &name) = 0;

protected:
    virtual ~RoomDirectory() = default;
};

} // namespace objectsync
