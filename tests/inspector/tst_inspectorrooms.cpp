// SPDX-License-Identifier: MIT
// The room selector on a real host with rooms and C++ clients in them, the window made and
// wired by openInspector() as objectsync-host does it: the list with its clients, switching
// every view, edits reaching only the room shown, and rooms created and closed from the window
// or closed by the host.
#include "core/endpoint.h"
#include "core/host.h"
#include "core/roommanager.h"
#include "gui/window.h"

#include "objecttreemodel.h"
#include "roomlistmodel.h"

#include <objectsync/client.h>
#include <objectsync/engine.h>
#include <objectsync/inspectorwindow.h>
#include <objectsync/server.h>
#include <objectsync/sobject.h>

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QInputDialog>
#include <QLineEdit>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>
#include <QTreeView>
#include <QtTest>

using namespace objectsync;

namespace {

QString str(const char *s)
{
    return QString::fromUtf8(s);
}

/*! A host whose default room and fixed room "b" are built from the scene "dom" (one text
 *  object each), its rooms kept in a folder, and its inspector. */
class Fixture
{
public:
    explicit Fixture(int roomIdleTimeoutMs = 0)
    {
        HostOptions options;
        options.port = 0;
        options.serveWeb = false;
        options.defaultPluginDirs = false;
        options.pluginDirs = {str(OBJECTSYNC_EXAMPLE_PLUGIN_DIR)};
        options.scene = str("dom");
        options.fixedRooms = {{str("b"), str("dom")}};
        options.workspaceDir = dir.path();
        options.roomIdleTimeoutMs = roomIdleTimeoutMs;
        started = host.start(options).errorMessage();
        if (!started.isEmpty())
            return;
        window = openInspector(host);
        w = qobject_cast<InspectorWindow *>(window.get());
    }

    template<class T> T *child(const char *name) const
    {
        return w->findChild<T *>(QLatin1String(name));
    }
    QAbstractItemModel *rooms() const { return child<QTableView>("roomTable")->model(); }
    QAbstractItemModel *clients() const { return child<QTableView>("clientTable")->model(); }
    QAbstractItemModel *tree() const { return child<QTreeView>("objectTree")->model(); }
    QAction *action(const char *name) const { return child<QAction>(name); }

    /*! The cell of room \a name in column \a column of the room list (invalid if unlisted). */
    QModelIndex roomCell(const QString &name, int column) const
    {
        for (int r = 0; r < rooms()->rowCount(); ++r)
            if (rooms()->index(r, 0).data().toString() == name)
                return rooms()->index(r, column);
        return {};
    }
    int clientsOf(const QString &name) const
    {
        const QModelIndex cell = roomCell(name, RoomListModel::ClientsColumn);
        return cell.isValid() ? cell.data().toInt() : -1;
    }
    QString stateOf(const QString &name) const
    {
        return roomCell(name, RoomListModel::StateColumn).data().toString();
    }
    /*! Chooses room \a name in the list with the mouse, as a user does. */
    void click(const QString &name) const
    {
        auto *view = child<QTableView>("roomTable");
        const QModelIndex cell = roomCell(name, RoomListModel::NameColumn);
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(cell).center());
    }
    /*! The ids of the objects under the root, as the tree shows them. */
    QStringList treeTopLevel() const
    {
        QStringList ids;
        const QModelIndex root = tree()->index(0, 0);
        for (int r = 0; r < tree()->rowCount(root); ++r)
            ids.append(tree()->index(r, 0, root).data(ObjectTreeModel::ObjectIdRole).toString());
        return ids;
    }
    static QStringList childIds(const Engine *engine)
    {
        QStringList ids;
        for (const SObject *o : engine->root()->children())
            ids.append(o->id());
        return ids;
    }
    /*! A client connected to room \a room. */
    std::unique_ptr<Client> connect(const QString &room) const
    {
        auto client = std::make_unique<Client>();
        client->setFollow(Client::Follow::Everything);
        client->open(QUrl(
            str("ws://127.0.0.1:%1/rooms/%2").arg(host.endpoint()->server()->port()).arg(room)));
        return client;
    }

    QTemporaryDir dir;
    Host host;
    QString started;
    std::unique_ptr<QObject> window; // destroyed before the host
    InspectorWindow *w = nullptr;
};

bool connected(const std::unique_ptr<Client> &client)
{
    return client->state() == Client::State::Connected;
}

} // namespace

class TstInspectorRooms : public QObject
{
    Q_OBJECT
private slots:
    void listsRoomsWithTheirClients();
    void switchingShowsTheRoomEverywhere();
    void editsChangeOnlyTheRoomShown();
    void createsAndClosesRooms();
    void refusesBadRoomNames();
    void followsRoomsTheHostCloses();
};

void TstInspectorRooms::listsRoomsWithTheirClients()
{
    Fixture f;
    QCOMPARE(f.started, QString());
    QVERIFY(f.w);
    QVERIFY(f.child<QDockWidget>("roomDock")->isVisible());
    QCOMPARE(f.w->currentRoom(), defaultRoomName);
    // Before any client, the fixed room is listed closed.
    QCOMPARE(f.rooms()->rowCount(), 2);
    QCOMPARE(f.rooms()->index(0, 0).data().toString(), defaultRoomName);
    QCOMPARE(f.stateOf(str("b")), str("closed"));

    const auto inDefault = f.connect(defaultRoomName);
    const auto inB1 = f.connect(str("b"));
    const auto inB2 = f.connect(str("b"));
    QTRY_VERIFY(connected(inDefault) && connected(inB1) && connected(inB2));
    QTRY_COMPARE(f.clientsOf(defaultRoomName), 1);
    QTRY_COMPARE(f.clientsOf(str("b")), 2);
    QCOMPARE(f.stateOf(str("b")), str("open"));
    QCOMPARE(f.roomCell(str("b"), RoomListModel::ObjectsColumn).data().toInt(),
             int(f.host.rooms()->find(str("b"))->objectCount()));

    inB1->close();
    QTRY_COMPARE(f.clientsOf(str("b")), 1);
    inDefault->close();
    QTRY_COMPARE(f.clientsOf(defaultRoomName), 0);
}

void TstInspectorRooms::switchingShowsTheRoomEverywhere()
{
    Fixture f;
    QCOMPARE(f.started, QString());
    const auto inDefault = f.connect(defaultRoomName);
    const auto inB1 = f.connect(str("b"));
    const auto inB2 = f.connect(str("b"));
    QTRY_VERIFY(connected(inDefault) && connected(inB1) && connected(inB2));
    Engine *b = f.host.rooms()->find(str("b"));
    QVERIFY(b);
    // Room b gets an object the default room does not have.
    const QString extra = b->createObject(str("DivObject"))->id();
    QTRY_COMPARE(f.clients()->rowCount(), 1);
    QCOMPARE(f.clients()->index(0, 0).data().toInt(), inDefault->clientId());
    QCOMPARE(f.treeTopLevel(), Fixture::childIds(f.host.engine()));
    QVERIFY(!f.action("closeRoomAction")->isEnabled());

    QSignalSpy switched(f.w, &InspectorWindow::currentRoomChanged);
    f.click(str("b"));
    QCOMPARE(switched.count(), 1);
    QCOMPARE(f.w->currentRoom(), str("b"));
    QCOMPARE(f.w->engine(), b);
    QVERIFY(f.w->windowTitle().endsWith(str("room b")));
    QTRY_COMPARE(f.treeTopLevel(), Fixture::childIds(b));
    QVERIFY(f.treeTopLevel().contains(extra));
    QVERIFY(f.w->selectObject(extra));
    QVERIFY(!f.w->selectObject(str("no such object")));
    QCOMPARE(f.clients()->rowCount(), 2);
    QTRY_COMPARE(f.child<QDockWidget>("clientDock")->windowTitle(), str("Clients (2)"));
    QCOMPARE(f.roomCell(str("b"), 0).data(Qt::FontRole).value<QFont>().bold(), true);
    QVERIFY(f.action("closeRoomAction")->isEnabled());
    QVERIFY(!f.action("saveAsAction")->isEnabled()); // the workspace is the default room's

    // The log shows room b's transitions only; a client leaving b leaves the list.
    auto *log = f.child<QTreeView>("transitionLog")->model();
    QCOMPARE(log->rowCount(), 0);
    f.host.engine()->createObject(str("DivObject"));
    b->createObject(str("DivObject"));
    QTRY_COMPARE(log->rowCount(), 1);
    QTest::qWait(200);
    QCOMPARE(log->rowCount(), 1);
    inB2->close();
    QTRY_COMPARE(f.clients()->rowCount(), 1);
    QCOMPARE(f.clients()->index(0, 0).data().toInt(), inB1->clientId());

    f.click(defaultRoomName);
    QCOMPARE(f.w->currentRoom(), defaultRoomName);
    QCOMPARE(f.w->engine(), f.host.engine());
    QVERIFY(Fixture::childIds(f.host.engine()) != Fixture::childIds(b));
    QTRY_COMPARE(f.treeTopLevel(), Fixture::childIds(f.host.engine()));
    QCOMPARE(f.clients()->rowCount(), 1);
    QCOMPARE(f.clients()->index(0, 0).data().toInt(), inDefault->clientId());
    QVERIFY(f.action("saveAsAction")->isEnabled());
}

void TstInspectorRooms::editsChangeOnlyTheRoomShown()
{
    Fixture f;
    QCOMPARE(f.started, QString());
    const auto inB = f.connect(str("b"));
    QTRY_VERIFY(connected(inB));
    Engine *b = f.host.rooms()->find(str("b"));
    Engine *home = f.host.engine();
    // Both rooms were built from the same scene: the same text object in each.
    const QString id = Fixture::childIds(b).constFirst();
    QCOMPARE(Fixture::childIds(home), QStringList{id});
    const QString topic = b->object(id)->attribute(str("text"))->name();
    const auto textIn = [&](Engine *engine) {
        return engine->object(id)->attribute(str("text"))->value().toString();
    };
    QCOMPARE(textIn(home), str("Hello ObjectSync!"));

    QVERIFY(f.w->showRoom(str("b")));
    QVERIFY(f.w->selectObject(id));
    auto *attributes = f.child<QTreeView>("attributeView");
    QModelIndex cell;
    for (int r = 0; r < attributes->model()->rowCount(); ++r)
        if (attributes->model()->index(r, 0).data().toString() == str("text"))
            cell = attributes->model()->index(r, 2);
    QVERIFY(cell.isValid());
    attributes->setCurrentIndex(cell);
    attributes->edit(cell);
    auto *editor = qobject_cast<QLineEdit *>(attributes->indexWidget(cell));
    QVERIFY(editor);
    editor->selectAll();
    QTest::keyClicks(editor, str("only in b"));
    QTest::keyClick(editor, Qt::Key_Return);

    QTRY_COMPARE(textIn(b), str("only in b"));
    QTRY_COMPARE(inB->value(topic).toString(), str("only in b"));
    QCOMPARE(textIn(home), str("Hello ObjectSync!"));

    // Undo in the window undoes in room b, too.
    QVERIFY(f.action("undoAction")->isEnabled());
    f.action("undoAction")->trigger();
    QCOMPARE(textIn(b), str("Hello ObjectSync!"));
    QVERIFY(!home->canUndo(home->root()));
}

void TstInspectorRooms::createsAndClosesRooms()
{
    Fixture f;
    QCOMPARE(f.started, QString());
    RoomManager *rooms = f.host.rooms();
    QVERIFY(!f.action("closeRoomAction")->isEnabled()); // the default room is shown

    // New Room asks for a name.
    QTimer::singleShot(0, f.w, [] {
        auto *dialog = qobject_cast<QInputDialog *>(QApplication::activeModalWidget());
        QVERIFY(dialog);
        dialog->setTextValue(str("c"));
        dialog->accept();
    });
    f.action("newRoomAction")->trigger();
    Engine *c = rooms->find(str("c"));
    QVERIFY(c);
    QCOMPARE(f.w->currentRoom(), str("c"));
    QCOMPARE(f.w->engine(), c);
    QCOMPARE(f.stateOf(str("c")), str("open"));
    QVERIFY(f.action("closeRoomAction")->isEnabled());

    // An object created in the window goes to room c (and keeps its file when it closes).
    const qsizetype homeObjects = f.host.engine()->objectCount();
    f.w->createObject(str("DivObject"));
    const QString created = f.w->selectedObjectId();
    QVERIFY(c->object(created));
    QCOMPARE(f.host.engine()->objectCount(), homeObjects);

    f.action("closeRoomAction")->trigger();
    QCOMPARE(rooms->find(str("c")), nullptr);
    QCOMPARE(f.w->currentRoom(), defaultRoomName);
    QCOMPARE(f.w->engine(), f.host.engine());
    QTRY_COMPARE(f.treeTopLevel(), Fixture::childIds(f.host.engine()));
    QCOMPARE(f.stateOf(str("c")), str("closed"));
    QVERIFY(!f.action("closeRoomAction")->isEnabled());
    QVERIFY(!f.w->closeRoom(defaultRoomName));

    // Choosing the closed room opens it again from its file.
    f.click(str("c"));
    c = rooms->find(str("c"));
    QVERIFY(c);
    QCOMPARE(f.w->engine(), c);
    QVERIFY(c->object(created));
    QCOMPARE(f.stateOf(str("c")), str("open"));
}

void TstInspectorRooms::refusesBadRoomNames()
{
    Fixture f;
    QCOMPARE(f.started, QString());
    const int listed = f.rooms()->rowCount();
    const Result<void> invalid = f.w->createRoom(str("not a name!"));
    QVERIFY(!invalid);
    QCOMPARE(invalid.error().code(), ErrorCode::InvalidArgument);
    const Result<void> taken = f.w->createRoom(str("b"));
    QVERIFY(!taken);
    QCOMPARE(taken.error().code(), ErrorCode::Conflict);
    QCOMPARE(f.host.rooms()->openRooms(), QStringList{defaultRoomName});
    QCOMPARE(f.rooms()->rowCount(), listed);
    QCOMPARE(f.w->currentRoom(), defaultRoomName);
}

void TstInspectorRooms::followsRoomsTheHostCloses()
{
    Fixture f(300); // rooms without clients close after 0.3 s
    QCOMPARE(f.started, QString());
    RoomManager *rooms = f.host.rooms();

    // Closed by the host while shown, with a client in it.
    const auto inB = f.connect(str("b"));
    QTRY_VERIFY(connected(inB));
    QVERIFY(f.w->showRoom(str("b")));
    QCOMPARE(f.clients()->rowCount(), 1);
    QVERIFY(rooms->close(str("b")));
    QCOMPARE(f.w->currentRoom(), defaultRoomName);
    QCOMPARE(f.w->engine(), f.host.engine());
    QCOMPARE(f.clients()->rowCount(), 0);
    QTRY_COMPARE(inB->state(), Client::State::Disconnected);
    QCOMPARE(f.stateOf(str("b")), str("closed"));

    // Closed after its idle timeout: nobody connected to the room the window opened.
    QVERIFY(f.w->createRoom(str("quiet")));
    QCOMPARE(f.w->engine(), rooms->find(str("quiet")));
    QTRY_COMPARE(rooms->find(str("quiet")), nullptr);
    QCOMPARE(f.w->currentRoom(), defaultRoomName);
    QCOMPARE(f.w->engine(), f.host.engine());
    QTRY_COMPARE(f.treeTopLevel(), Fixture::childIds(f.host.engine()));
}

QTEST_MAIN(TstInspectorRooms)
#include "tst_inspectorrooms.moc"
