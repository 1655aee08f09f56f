// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/result.h>

#include <QList>
#include <QMainWindow>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <functional>
#include <memory>

namespace objectsync {

class Engine;
class InspectorWindowPrivate;
class RoomDirectory;
class Server;

/*! One plugin as the host sees it, for the inspector's plugin list. */
struct InspectorPluginInfo
{
    QString file;    //!< the plugin's file
    QString id;      //!< its name from the metadata (empty when it could not be read)
    QString version; //!< its version from the metadata
    QString state;   //!< e.g. "loaded" or "refused"
    QString error;   //!< why it was refused or failed; empty when fine
};

/*!
 * What the File menu does with workspace files, supplied by the application that owns the
 * engine's workspace (the inspector itself knows no files). Each function gets the chosen
 * path and returns success, otherwise the Error saying why (its message is shown to the user).
 * An action without a function is disabled.
 */
struct InspectorWorkspaceActions
{
    /*! Writes the current state to a new workspace file and continues there. */
    std::function<Result<void>(const QString &path)> saveAs;
    /*! Continues in an existing workspace file, whose content replaces the current one. */
    std::function<Result<void>(const QString &path)> open;
};

/*!
 * The rooms of a host, for the room selector (InspectorWindow::setRooms()). Both must outlive
 * the window.
 */
struct InspectorRooms
{
    /*! Lists, opens and closes the rooms. */
    RoomDirectory *directory = nullptr;
    /*! The server of the open room \a name, whose clients the clients list shows while the
     *  room is shown; null when it has none (the list is then empty). */
    std::function<Server *(const QString &name)> serverOf;
};

/*!
 * A live view of an Engine: the object tree, the selected object's attributes with editors,
 * creation, destruction and moves of objects, undo and redo per subtree, the connected
 * clients, the plugins and a log of committed transitions.
 *
 * Everything the window does to the engine goes through the engine's public API as ordinary
 * transitions, so it is validated, broadcast and undoable like a client's change. Engine
 * signals are collected and applied to the views once per event-loop turn.
 *
 * The engine must outlive the window or be destroyed on the window's thread; the window
 * stops showing it when it goes away. A host with rooms (setRooms()) has an engine per room:
 * the window shows one room at a time, and every view follows when another is chosen.
 */
class InspectorWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit InspectorWindow(Engine *engine, QWidget *parent = nullptr);
    ~InspectorWindow() override;

    /*! The engine shown (the room's, with rooms). */
    Engine *engine() const;
    /*! The id of the selected object; empty when none is selected. */
    QString selectedObjectId() const;
    /*! Reveals the object \a id in the tree (loading and expanding its ancestors) and
     *  selects it. False when it does not exist or is hidden by the filter. */
    bool selectObject(const QString &id);

    /*! Enables File > Save As and File > Open with the application's functions. */
    void setWorkspaceActions(const InspectorWorkspaceActions &actions);
    /*! The workspace file shown; empty when there is none. */
    QString workspacePath() const;

    /*!
     * Adds the room selector: a list of every room of \a rooms with its clients, and the Rooms
     * menu (New room, Close room). The window shows the room whose engine it shows (the
     * default room when its engine is no room's); from then on the clients list follows the
     * server of the room shown, so the client slots are not needed. The host tells the window
     * about changes through refreshRooms() and roomClosed(). A null directory removes the
     * selector. With rooms, File > Save As and Open act on the default room only.
     */
    void setRooms(const InspectorRooms &rooms);
    /*! The name of the room shown; empty without rooms. */
    QString currentRoom() const;

public slots:
    /*! A client connected (\a id as in the protocol's hello). */
    void clientConnected(int id, const QString &address);
    void clientDisconnected(int id);
    /*! New figures for a client: its subscribed topics and the bytes it sent and received. */
    void clientStatsChanged(int id, const QStringList &subscriptions, qint64 bytesIn,
                            qint64 bytesOut);
    /*! Replaces the plugin list. */
    void setPlugins(const QList<objectsync::InspectorPluginInfo> &plugins);
    /*! Shows \a path as the current workspace file in the status bar (empty: the state is
     *  kept in memory only). */
    void setWorkspacePath(const QString &path);

    /*! Saves the workspace as \a path through the application's function; on success
     *  the window shows the new file, on failure a message box says why. */
    Result<void> saveWorkspaceAs(const QString &path);
    /*! Opens the workspace \a path in place of the current content; a failure is shown in
     *  a message box and leaves everything as it was. */
    Result<void> openWorkspace(const QString &path);
    /*! Asks for a file name, then saveWorkspaceAs() (File > Save As...). */
    void chooseSaveWorkspaceAs();
    /*! Asks for a workspace file, then openWorkspace() (File > Open...). */
    void chooseOpenWorkspace();

    /*! Shows room \a name in every view, opening it when it is closed. On failure nothing
     *  changes and the status bar says why. */
    Result<void> showRoom(const QString &name);
    /*! Opens the new room \a name and shows it. Refused for a name that is not valid (see
     *  isValidRoomName()) or that a room has already. */
    Result<void> createRoom(const QString &name);
    /*! Closes the open room \a name; the default room cannot be closed. When it is shown,
     *  the default room is shown instead. */
    Result<void> closeRoom(const QString &name);
    /*! Reads the list of rooms again: the host calls it when a room opened or closed and
     *  when clients came or went. */
    void refreshRooms();
    /*! The host closed room \a name (by RoomDirectory::close() or after its idle timeout):
     *  when it is shown, the default room is shown instead. */
    void roomClosed(const QString &name);
    /*! Asks for a name, then createRoom() (Rooms > New Room...); a refusal is shown in a
     *  message box. */
    void chooseNewRoom();
    /*! closeRoom() of the room shown (Rooms > Close Room). */
    void closeCurrentRoom();

    /*! Undoes the latest transition recorded for the selected subtree (the root's when
     *  nothing is selected). A refusal is shown in the status bar. */
    void undo();
    void redo();
    /*! Creates an object of \a typeName under the selected object (the root when none) and
     *  selects it. */
    void createObject(const QString &typeName);
    /*! Destroys the selected object and its subtree, then selects its parent. */
    void destroySelected();

signals:
    void selectedObjectChanged(const QString &id);
    /*! The workspace file shown changed (setWorkspacePath(), or a successful Save As or
     *  Open). */
    void workspacePathChanged(const QString &path);
    /*! The views show room \a name now. */
    void currentRoomChanged(const QString &name);

private:
    friend class InspectorWindowPrivate;
    std::unique_ptr<InspectorWindowPrivate> d;
};

} // namespace objectsync

Q_DECLARE_METATYPE(objectsync::InspectorPluginInfo)
