// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/engine.h>
#include <objectsync/inspectorwindow.h>

#include <QPointer>
#include <initializer_list>

class QAction;
class QDockWidget;
class QLabel;
class QLineEdit;
class QMenu;
class QSortFilterProxyModel;
class QTableView;
class QTimer;
class QToolButton;
class QTreeView;

namespace objectsync {

class AttributeDelegate;
class AttributeModel;
class ClientModel;
class ObjectFilterProxy;
class ObjectTreeModel;
class PluginModel;
class RoomListModel;
class Server;
class SObject;
class TopicModel;
class TransitionLogModel;
class TypeComboBox;

/*! The window's parts and the wiring between them and the engine. */
class InspectorWindowPrivate
{
public:
    InspectorWindowPrivate(InspectorWindow *q, Engine *engine);

    // The window's frame and what its parts share (inspectorwindow.cpp).
    /*! A column of \a rows without margins; \a stretching takes the spare height. */
    static QWidget *panel(QWidget *parent, std::initializer_list<QWidget *> rows,
                          QWidget *stretching);
    void setupMenus();
    /*! Connects the window to the engine shown. */
    void attachEngine();
    /*! Shows \a next in every view: the tree from its root, nothing selected, an empty log. */
    void setEngine(Engine *next);
    void scheduleRefresh();
    void message(const QString &text, int timeout = 8000);

    // The object actions: toolbar, context menu and their state (inspectoractions.cpp).
    void setupActions();
    void updateActions();
    void showTreeContextMenu(const QPoint &pos);

    // The object tree and its selection (inspectortreepanel.cpp).
    QWidget *setupTreePanel();
    /*! The selected object if it is alive. */
    SObject *selectedObject() const;
    QString treeSelectionId() const;
    void onTreeSelectionChanged();
    void onTreeUpdatesApplied();
    void applyTreeFilter();

    // The selected object's header and attributes (inspectorattributepanel.cpp).
    QWidget *setupAttributePanel();
    void showObject(const QString &id);
    void updateHeader();

    // The transition log, client and plugin docks (inspectordocks.cpp).
    void setupDocks();
    void updateDockTitles();
    /*! Shows the clients of \a server (none when null) and follows them. */
    void followClients(Server *server);

    // Every topic of the engine (inspectortopicpanel.cpp); after setupDocks().
    void setupTopicPanel();

    // The room selector and the Rooms menu (inspectorrooms.cpp).
    void setupRooms();
    /*! Shows the open room \a name, whose engine is \a roomEngine. */
    void showRoomEngine(const QString &name, Engine *roomEngine);
    void refreshRoomList();
    /*! Selects the row of the room shown, without acting on it. */
    void selectRoomRow();
    void onRoomRowChosen(const QModelIndex &index);
    void updateRoomActions();
    void showRoomError(const QString &title, const QString &text);

    /*! The File menu (workspace files); in inspectorworkspace.cpp. */
    void setupFileMenu();
    void updateWorkspaceActions();
    void showWorkspaceError(const QString &title, const QString &text);

    InspectorWindow *q;
    QPointer<Engine> engine;

    ObjectTreeModel *treeModel = nullptr;
    ObjectFilterProxy *treeProxy = nullptr;
    QTreeView *treeView = nullptr;
    QLineEdit *treeFilter = nullptr;
    QTimer *treeFilterTimer = nullptr;

    AttributeModel *attributeModel = nullptr;
    AttributeDelegate *attributeDelegate = nullptr;
    QTreeView *attributeView = nullptr;
    QLabel *objectHeader = nullptr;

    TransitionLogModel *logModel = nullptr;
    QSortFilterProxyModel *logProxy = nullptr;
    QTreeView *logView = nullptr;
    QLineEdit *logFilter = nullptr;
    QToolButton *logPause = nullptr;
    QLabel *logHeld = nullptr;
    bool logFollow = true;
    bool logScrollPending = false;

    ClientModel *clientModel = nullptr;
    QTableView *clientView = nullptr;
    PluginModel *pluginModel = nullptr;
    QTableView *pluginView = nullptr;
    QDockWidget *logDock = nullptr;
    QDockWidget *clientDock = nullptr;
    QDockWidget *pluginDock = nullptr;
    TopicModel *topicModel = nullptr;
    QSortFilterProxyModel *topicProxy = nullptr;
    QTreeView *topicView = nullptr;
    QLineEdit *topicFilter = nullptr;
    QDockWidget *topicDock = nullptr;
    QPointer<Server> clientServer; //!< the server whose clients are listed, with rooms

    QAction *undoAction = nullptr;
    QAction *redoAction = nullptr;
    QAction *createAction = nullptr;
    QAction *destroyAction = nullptr;
    TypeComboBox *typeCombo = nullptr;

    QAction *saveAsAction = nullptr;
    QAction *openAction = nullptr;
    InspectorWorkspaceActions workspaceActions;
    QString workspacePath;
    QLabel *workspaceLabel = nullptr;

    InspectorRooms rooms;
    QString currentRoom;
    RoomListModel *roomModel = nullptr;
    QTableView *roomView = nullptr;
    QDockWidget *roomDock = nullptr;
    QMenu *roomMenu = nullptr;
    QAction *newRoomAction = nullptr;
    QAction *closeRoomAction = nullptr;
    QLabel *roomLabel = nullptr;
    QTimer *roomTimer = nullptr;
    bool selectingRoomRow = false;

    QString selectedId;
    bool applyingTreeUpdates = false;
    bool refreshScheduled = false;
};

} // namespace objectsync
