// SPDX-License-Identifier: MIT
// The room selector: the Rooms dock listing a host's rooms with their clients, the Rooms menu
// (New Room, Close Room), and switching every view to another room's engine and clients.
#include "inspectorlogging.h"
#include "inspectorwindow_p.h"
#include "roomlistmodel.h"

#include <objectsync/room.h>

#include <QAction>
#include <QDockWidget>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>
#include <QTableView>
#include <QTimer>
#include <QToolButton>

namespace objectsync {

void InspectorWindowPrivate::setupRooms()
{
    newRoomAction = new QAction(QIcon::fromTheme(QStringLiteral("list-add")),
                                InspectorWindow::tr("&New Room…"), q);
    newRoomAction->setObjectName(QStringLiteral("newRoomAction"));
    newRoomAction->setToolTip(InspectorWindow::tr("Open a new room and show it"));
    QObject::connect(newRoomAction, &QAction::triggered, q, &InspectorWindow::chooseNewRoom);

    closeRoomAction = new QAction(QIcon::fromTheme(QStringLiteral("window-close")),
                                  InspectorWindow::tr("&Close Room"), q);
    closeRoomAction->setObjectName(QStringLiteral("closeRoomAction"));
    QObject::connect(closeRoomAction, &QAction::triggered, q, &InspectorWindow::closeCurrentRoom);

    roomModel = new RoomListModel(q);
    roomModel->setObjectName(QStringLiteral("roomModel"));
    roomView = new QTableView(q);
    roomView->setObjectName(QStringLiteral("roomTable"));
    roomView->setModel(roomModel);
    roomView->setSelectionMode(QAbstractItemView::SingleSelection);
    roomView->setSelectionBehavior(QAbstractItemView::SelectRows);
    roomView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    roomView->verticalHeader()->hide();
    roomView->verticalHeader()->setDefaultSectionSize(q->fontMetrics().height() + 6);
    roomView->horizontalHeader()->setSectionResizeMode(RoomListModel::NameColumn,
                                                       QHeaderView::Stretch);
    QObject::connect(roomView->selectionModel(), &QItemSelectionModel::currentRowChanged, q,
                     [this](const QModelIndex &current) { onRoomRowChosen(current); });

    auto *bar = new QWidget(q);
    auto *barLayout = new QHBoxLayout(bar);
    barLayout->setContentsMargins(0, 0, 0, 0);
    for (QAction *action : {newRoomAction, closeRoomAction}) {
        auto *button = new QToolButton(bar);
        button->setDefaultAction(action);
        button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        barLayout->addWidget(button);
    }
    barLayout->addStretch(1);

    roomDock = new QDockWidget(InspectorWindow::tr("Rooms"), q);
    roomDock->setObjectName(QStringLiteral("roomDock"));
    roomDock->setWidget(panel(roomDock, {bar, roomView}, roomView));
    q->addDockWidget(Qt::LeftDockWidgetArea, roomDock);
    roomDock->hide(); // until the window has rooms
    roomDock->toggleViewAction()->setVisible(false);

    roomMenu = q->menuBar()->addMenu(InspectorWindow::tr("&Rooms"));
    roomMenu->setObjectName(QStringLiteral("roomMenu"));
    roomMenu->addAction(newRoomAction);
    roomMenu->addAction(closeRoomAction);
    roomMenu->menuAction()->setVisible(false);

    roomLabel = new QLabel(q);
    roomLabel->setObjectName(QStringLiteral("roomLabel"));
    q->statusBar()->addPermanentWidget(roomLabel);
    roomLabel->hide();

    // Object counts change with every transition, and rooms kept on disk may appear: a slow
    // refresh keeps the figures roughly current between the host's notifications.
    roomTimer = new QTimer(q);
    roomTimer->setInterval(2000);
    QObject::connect(roomTimer, &QTimer::timeout, q, [this] {
        if (roomDock->isVisible())
            refreshRoomList();
    });
    updateRoomActions();
}

void InspectorWindowPrivate::updateRoomActions()
{
    const bool hasRooms = rooms.directory;
    newRoomAction->setEnabled(hasRooms);
    const bool closable =
        hasRooms && currentRoom != defaultRoomName && rooms.directory->find(currentRoom) != nullptr;
    closeRoomAction->setEnabled(closable);
    closeRoomAction->setToolTip(
        closable ? InspectorWindow::tr("Close room %1: its clients are disconnected and it is "
                                       "kept on disk until it opens again")
                       .arg(currentRoom)
                 : InspectorWindow::tr("The default room cannot be closed"));
    roomLabel->setText(hasRooms ? InspectorWindow::tr("Room: %1").arg(currentRoom) : QString());
}

void InspectorWindowPrivate::refreshRoomList()
{
    if (!rooms.directory)
        return;
    roomModel->setRooms(rooms.directory->list());
    roomDock->setWindowTitle(InspectorWindow::tr("Rooms (%1)").arg(roomModel->rowCount()));
    selectRoomRow();
    updateRoomActions();
}

void InspectorWindowPrivate::selectRoomRow()
{
    const int row = roomModel->rowOf(currentRoom);
    const QModelIndex current = roomView->selectionModel()->currentIndex();
    if (row < 0 || (current.isValid() && current.row() == row))
        return;
    selectingRoomRow = true;
    roomView->selectionModel()->setCurrentIndex(
        roomModel->index(row, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    selectingRoomRow = false;
}

void InspectorWindowPrivate::onRoomRowChosen(const QModelIndex &index)
{
    if (selectingRoomRow || !index.isValid())
        return;
    const QString name = index.data(RoomListModel::NameRole).toString();
    if (name != currentRoom && !q->showRoom(name))
        selectRoomRow(); // back to the room still shown
}

void InspectorWindowPrivate::showRoomEngine(const QString &name, Engine *roomEngine)
{
    const bool changed = name != currentRoom;
    currentRoom = name;
    setEngine(roomEngine);
    followClients(rooms.serverOf ? rooms.serverOf(name) : nullptr);
    roomModel->setCurrent(name);
    refreshRoomList();
    updateWorkspaceActions();
    if (changed)
        emit q->currentRoomChanged(name);
}

void InspectorWindowPrivate::showRoomError(const QString &title, const QString &text)
{
    qCWarning(lcInspector).noquote() << title << text;
    auto *box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Ok, q);
    box->setObjectName(QStringLiteral("roomError"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

// ---- the public API -----------------------------------------------------------------------

void InspectorWindow::setRooms(const InspectorRooms &rooms)
{
    const bool had = d->rooms.directory;
    d->rooms = rooms;
    const bool has = rooms.directory;
    if (has != had) {
        d->roomDock->setVisible(has);
        d->roomDock->toggleViewAction()->setVisible(has);
        d->roomMenu->menuAction()->setVisible(has);
        d->roomLabel->setVisible(has);
    }
    if (!has) {
        d->currentRoom.clear();
        d->followClients(nullptr);
        d->roomTimer->stop();
        d->roomModel->setRooms({});
        d->updateRoomActions();
        d->updateWorkspaceActions();
        return;
    }
    d->roomTimer->start();
    QString name = d->engine ? rooms.directory->nameOf(d->engine) : QString();
    if (name.isEmpty())
        name = defaultRoomName;
    d->currentRoom.clear(); // shown afresh, clients included
    if (Engine *roomEngine = rooms.directory->find(name))
        d->showRoomEngine(name, roomEngine);
}

QString InspectorWindow::currentRoom() const
{
    return d->currentRoom;
}

Result<void> InspectorWindow::showRoom(const QString &name)
{
    if (!d->rooms.directory)
        return Error(ErrorCode::Conflict, tr("this window shows no rooms"));
    Engine *roomEngine = d->rooms.directory->find(name);
    const bool opening = !roomEngine;
    if (opening) {
        const Result<Engine *> opened = d->rooms.directory->open(name);
        if (!opened) {
            d->message(tr("Room %1 could not be opened: %2").arg(name, opened.errorMessage()));
            d->selectRoomRow();
            return opened.error();
        }
        roomEngine = *opened;
    }
    d->showRoomEngine(name, roomEngine);
    d->message(opening ? tr("Opened room %1").arg(name) : tr("Showing room %1").arg(name));
    return {};
}

Result<void> InspectorWindow::createRoom(const QString &name)
{
    if (!d->rooms.directory)
        return Error(ErrorCode::Conflict, tr("this window shows no rooms"));
    if (!isValidRoomName(name))
        return Error(ErrorCode::InvalidArgument,
                     tr("\"%1\" is not a valid room name: use 1 to 64 letters, digits, '.', '_' "
                        "or '-' (not only dots)")
                         .arg(name.left(80)));
    for (const RoomInfo &room : d->rooms.directory->list()) {
        if (room.name == name)
            return Error(ErrorCode::Conflict,
                         tr("there is a room named %1 already: select it in the list").arg(name));
    }
    const Result<Engine *> opened = d->rooms.directory->open(name);
    if (!opened)
        return opened.error();
    d->showRoomEngine(name, *opened);
    d->message(tr("Created room %1").arg(name));
    return {};
}

Result<void> InspectorWindow::closeRoom(const QString &name)
{
    const QString room = name; // a copy: it may be currentRoom(), which changes below
    if (!d->rooms.directory)
        return Error(ErrorCode::Conflict, tr("this window shows no rooms"));
    if (room == defaultRoomName)
        return Error(ErrorCode::Refused, tr("the default room cannot be closed"));
    if (!d->rooms.directory->find(room))
        return Error(ErrorCode::NotFound, tr("room %1 is not open").arg(room));
    // Away from it first: its engine goes with it.
    if (room == d->currentRoom)
        d->showRoomEngine(defaultRoomName, d->rooms.directory->find(defaultRoomName));
    if (const Result<void> closed = d->rooms.directory->close(room); !closed) {
        d->message(tr("Room %1 could not be closed: %2").arg(room, closed.errorMessage()));
        return closed;
    }
    d->refreshRoomList();
    d->message(tr("Closed room %1").arg(room));
    return {};
}

void InspectorWindow::refreshRooms()
{
    d->refreshRoomList();
}

void InspectorWindow::roomClosed(const QString &name)
{
    const QString room = name; // a copy: it may be currentRoom(), which changes below
    if (d->rooms.directory && room == d->currentRoom && room != defaultRoomName) {
        d->showRoomEngine(defaultRoomName, d->rooms.directory->find(defaultRoomName));
        d->message(tr("Room %1 was closed; showing the default room").arg(room));
    }
    d->refreshRoomList();
}

void InspectorWindow::chooseNewRoom()
{
    if (!d->rooms.directory)
        return;
    bool ok = false;
    const QString name =
        QInputDialog::getText(this, tr("New Room"),
                              tr("Name of the room (letters, digits, '.', '_' or '-'):"),
                              QLineEdit::Normal, QString(), &ok)
            .trimmed();
    if (!ok || name.isEmpty())
        return;
    if (const Result<void> created = createRoom(name); !created)
        d->showRoomError(tr("New room failed"), created.errorMessage());
}

void InspectorWindow::closeCurrentRoom()
{
    if (const Result<void> closed = closeRoom(d->currentRoom); !closed)
        d->message(tr("Close room refused: %1").arg(closed.errorMessage()));
}

} // namespace objectsync
