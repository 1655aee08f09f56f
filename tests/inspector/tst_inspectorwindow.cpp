// SPDX-License-Identifier: MIT
// The inspector window driven through its real widgets (offscreen).
#include "testobjects.h"

#include "objecttreemodel.h"

#include <objectsync/inspectorwindow.h>

#include <QAbstractItemView>
#include <QComboBox>
#include <QDockWidget>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTableView>
#include <QToolBar>
#include <QToolButton>
#include <QTreeView>
#include <QtTest>

using namespace objectsync;

namespace {

/*! The index of object \a id among the rows \a model has loaded. */
QModelIndex findObject(const QAbstractItemModel *model, const QString &id,
                       const QModelIndex &parent = {})
{
    for (int r = 0; r < model->rowCount(parent); ++r) {
        const QModelIndex i = model->index(r, 0, parent);
        if (i.data(ObjectTreeModel::ObjectIdRole).toString() == id)
            return i;
        const QModelIndex found = findObject(model, id, i);
        if (found.isValid())
            return found;
    }
    return {};
}

int countRows(const QAbstractItemModel *model, const QModelIndex &parent = {})
{
    int n = 0;
    for (int r = 0; r < model->rowCount(parent); ++r)
        n += 1 + countRows(model, model->index(r, 0, parent));
    return n;
}

class Fixture
{
public:
    Fixture()
    {
        engine.registerType<Item>();
        engine.registerType<Group>();
        window = std::make_unique<InspectorWindow>(&engine);
        window->show();
    }

    template<class T> T *child(const char *name) const
    {
        return window->findChild<T *>(QLatin1String(name));
    }
    QTreeView *tree() const { return child<QTreeView>("objectTree"); }
    QTreeView *attributes() const { return child<QTreeView>("attributeView"); }
    QString status() const { return window->statusBar()->currentMessage(); }
    QWidget *toolButton(const char *action) const
    {
        return child<QToolBar>("mainToolBar")->widgetForAction(child<QAction>(action));
    }

    /*! The value cell of attribute \a name in the attribute panel. */
    QModelIndex valueCell(const QString &name) const
    {
        const QAbstractItemModel *m = attributes()->model();
        for (int r = 0; r < m->rowCount(); ++r)
            if (m->index(r, 0).data().toString() == name)
                return m->index(r, 2);
        return {};
    }

    /*! Opens the editor of attribute \a name. */
    QLineEdit *openEditor(const QString &name) const
    {
        const QModelIndex cell = valueCell(name);
        if (!cell.isValid())
            return nullptr;
        attributes()->setCurrentIndex(cell);
        attributes()->edit(cell);
        return qobject_cast<QLineEdit *>(attributes()->indexWidget(cell));
    }

    Engine engine;
    std::unique_ptr<InspectorWindow> window;
};

TransitionPtr transitionAt(const QSignalSpy &spy, int i)
{
    return qvariant_cast<TransitionPtr>(spy.at(i).at(0));
}

} // namespace

class TstInspectorWindow : public QObject
{
    Q_OBJECT
private slots:
    void editAttributeThroughEditor();
    void refusedEditShowsWhyAndChangesNothing();
    void invalidTextCannotBeCommitted();
    void engineChangeAppearsInEditor();
    void undoAndRedoFromToolbarAndShortcuts();
    void createAndDestroyFromUi();
    void dropMovesAndRefusedCycleShowsWhy();
    void selectionFollowsExternalMoves();
    void filterShowsMatchesWithAncestors();
    void transitionLogPausesAndFilters();
    void clientAndPluginPanels();
    void survivesEngineDestruction();
    void noRoomSelectorWithoutRooms();
    void topicsPanelFiltersEditsAndCountsSubscribers();
};

void TstInspectorWindow::editAttributeThroughEditor()
{
    Fixture f;
    auto *item = f.engine.createObject<Item>();
    QVERIFY(f.window->selectObject(item->id()));
    QCOMPARE(f.window->selectedObjectId(), item->id());
    QLineEdit *editor = f.openEditor(QStringLiteral("count"));
    QVERIFY(editor);
    QCOMPARE(editor->text(), QStringLiteral("0"));

    QSignalSpy committed(&f.engine, &Engine::transitionCommitted);
    editor->selectAll();
    QTest::keyClicks(editor, QStringLiteral("42"));
    QTest::keyClick(editor, Qt::Key_Return);
    QTRY_COMPARE(item->count->get(), 42);
    QCOMPARE(committed.count(), 1);
    const TransitionPtr t = transitionAt(committed, 0);
    QCOMPARE(t->origin, 0);
    QCOMPARE(t->changes.size(), 1);
    QCOMPARE(t->changes.first().topicName, item->count->name());
    QCOMPARE(t->changes.first().value.toInteger(), 42);
    QTRY_COMPARE(f.valueCell(QStringLiteral("count")).data().toString(), QStringLiteral("42"));

    // A dict through its JSON editor.
    editor = f.openEditor(QStringLiteral("style"));
    QVERIFY(editor);
    editor->selectAll();
    QTest::keyClicks(editor, QStringLiteral("{\"color\": \"blue\", \"size\": 3}"));
    QTest::keyClick(editor, Qt::Key_Return);
    QTRY_COMPARE(item->style->value(QStringLiteral("color")).toString(), QStringLiteral("blue"));
    QCOMPARE(item->style->value(QStringLiteral("size")).toInteger(), 3);
}

void TstInspectorWindow::refusedEditShowsWhyAndChangesNothing()
{
    Fixture f;
    auto *group = f.engine.createObject<Group>();
    QVERIFY(f.window->selectObject(group->id()));
    QLineEdit *editor = f.openEditor(QStringLiteral("title"));
    QVERIFY(editor);
    QSignalSpy committed(&f.engine, &Engine::transitionCommitted);
    editor->selectAll();
    QTest::keyClicks(editor, QStringLiteral("forbidden"));
    QTest::keyClick(editor, Qt::Key_Return);
    QTRY_VERIFY(f.status().contains(QStringLiteral("cannot be \"forbidden\"")));
    QVERIFY(f.status().startsWith(QStringLiteral("Edit refused")));
    QCOMPARE(group->title->get(), QStringLiteral("group"));
    QCOMPARE(committed.count(), 0);
    QCOMPARE(f.valueCell(QStringLiteral("title")).data().toString(), QStringLiteral("group"));
}

void TstInspectorWindow::invalidTextCannotBeCommitted()
{
    Fixture f;
    auto *item = f.engine.createObject<Item>();
    QVERIFY(f.window->selectObject(item->id()));
    QSignalSpy committed(&f.engine, &Engine::transitionCommitted);

    QLineEdit *editor = f.openEditor(QStringLiteral("set"));
    QVERIFY(editor);
    editor->selectAll();
    QTest::keyClicks(editor, QStringLiteral("[1, 1]"));
    QVERIFY(!editor->hasAcceptableInput());
    QVERIFY(editor->toolTip().contains(QStringLiteral("twice")));
    QVERIFY(f.status().contains(QStringLiteral("twice")));
    QTest::keyClick(editor, Qt::Key_Return); // refused: the editor stays open
    QCoreApplication::processEvents();
    QCOMPARE(f.attributes()->indexWidget(f.valueCell(QStringLiteral("set"))), editor);
    QTest::keyClick(editor, Qt::Key_Escape);

    // The integer editor takes no letters and nothing beyond 64 bits.
    editor = f.openEditor(QStringLiteral("count"));
    QVERIFY(editor);
    editor->selectAll();
    QTest::keyClicks(editor, QStringLiteral("12ab"));
    QCOMPARE(editor->text(), QStringLiteral("12"));
    editor->selectAll();
    QTest::keyClicks(editor, QStringLiteral("9223372036854775808"));
    QVERIFY(!editor->hasAcceptableInput());
    QTest::keyClick(editor, Qt::Key_Escape);
    QCoreApplication::processEvents();
    QCOMPARE(committed.count(), 0);
    QCOMPARE(item->count->get(), 0);
    QCOMPARE(item->set->get(), QJsonArray{QStringLiteral("a")});
}

void TstInspectorWindow::engineChangeAppearsInEditor()
{
    Fixture f;
    auto *item = f.engine.createObject<Item>();
    QVERIFY(f.window->selectObject(item->id()));
    QLineEdit *editor = f.openEditor(QStringLiteral("name"));
    QVERIFY(editor);
    QCOMPARE(editor->text(), QStringLiteral("item"));

    // A change made the way a client's action arrives: its own transition with an origin.
    QVERIFY(f.engine
                .tryTransition([&] { item->name->set(QStringLiteral("from client")); }, 5,
                               QStringLiteral("5_1"))
                .ok());
    QTRY_COMPARE(editor->text(), QStringLiteral("from client"));
    QCOMPARE(f.valueCell(QStringLiteral("name")).data().toString(), QStringLiteral("from client"));

    // Once the user types, a later change no longer overwrites the text.
    editor->end(false);
    QTest::keyClicks(editor, QStringLiteral("!"));
    QVERIFY(f.engine.tryTransition([&] { item->name->set(QStringLiteral("again")); }, 5).ok());
    QCoreApplication::processEvents();
    QCoreApplication::processEvents();
    QCOMPARE(editor->text(), QStringLiteral("from client!"));
    QCOMPARE(f.valueCell(QStringLiteral("name")).data().toString(), QStringLiteral("again"));
}

void TstInspectorWindow::undoAndRedoFromToolbarAndShortcuts()
{
    Fixture f;
    auto *item = f.engine.createObject<Item>();
    QVERIFY(f.window->selectObject(item->id()));
    QWidget *undo = f.toolButton("undoAction");
    QWidget *redo = f.toolButton("redoAction");
    QVERIFY(undo && redo);
    QVERIFY(!undo->isEnabled()); // nothing happened in this object's subtree yet

    QVERIFY(f.attributes()->model()->setData(f.valueCell(QStringLiteral("count")),
                                             QStringLiteral("7")));
    QCOMPARE(item->count->get(), 7);
    QTRY_VERIFY(undo->isEnabled());
    QTest::mouseClick(undo, Qt::LeftButton);
    QCOMPARE(item->count->get(), 0);
    QVERIFY(f.status().contains(QStringLiteral("Undone in ") + item->id()));
    QTRY_VERIFY(redo->isEnabled());
    QTest::mouseClick(redo, Qt::LeftButton);
    QCOMPARE(item->count->get(), 7);

    // The standard shortcuts.
    f.window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(f.window.get()));
    f.tree()->setFocus();
    QTest::keySequence(f.window.get(), QKeySequence::Undo);
    QCOMPARE(item->count->get(), 0);
    QTest::keySequence(f.window.get(), QKeySequence::Redo);
    QCOMPARE(item->count->get(), 7);

    // Undo is per subtree: a change elsewhere is not undone from here.
    auto *other = f.engine.createObject<Item>();
    other->count->set(99);
    QTest::keySequence(f.window.get(), QKeySequence::Undo);
    QCOMPARE(other->count->get(), 99);
    QCOMPARE(item->count->get(), 0);
}

void TstInspectorWindow::createAndDestroyFromUi()
{
    Fixture f;
    auto *group = f.engine.createObject<Group>();
    QVERIFY(f.window->selectObject(group->id()));
    auto *types = f.child<QComboBox>("typeCombo");
    QVERIFY(types);
    QCOMPARE(types->findText(QStringLiteral("Root")), -1);
    types->setCurrentIndex(types->findText(QStringLiteral("Item")));
    QVERIFY(types->currentIndex() >= 0);

    const qsizetype before = f.engine.objectCount();
    QTest::mouseClick(f.toolButton("createAction"), Qt::LeftButton);
    QCOMPARE(f.engine.objectCount(), before + 1);
    QCOMPARE(group->children().size(), 1);
    const QString created = group->children().first()->id();
    QCOMPARE(group->children().first()->typeName(), QStringLiteral("Item"));
    // The new object is selected in the tree and its attributes are shown.
    QCOMPARE(f.window->selectedObjectId(), created);
    const QModelIndex current = f.tree()->selectionModel()->selectedRows().value(0);
    QCOMPARE(current.data(ObjectTreeModel::ObjectIdRole).toString(), created);
    QVERIFY(f.valueCell(QStringLiteral("count")).isValid());
    QVERIFY(f.status().contains(created));

    // Destroy it with the Delete key in the tree; its parent gets selected.
    f.window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(f.window.get()));
    f.tree()->setFocus();
    QTest::keyClick(f.tree(), Qt::Key_Delete);
    QVERIFY(!f.engine.object(created));
    QCOMPARE(f.window->selectedObjectId(), group->id());
    QTRY_VERIFY(!findObject(f.tree()->model(), created).isValid());

    // Undo in the parent brings it back.
    QTRY_VERIFY(f.toolButton("undoAction")->isEnabled());
    QTest::mouseClick(f.toolButton("undoAction"), Qt::LeftButton);
    QVERIFY(f.engine.object(created));
    QTRY_VERIFY(findObject(f.tree()->model(), created).isValid());

    // The root cannot be destroyed: the action is disabled and the slot says why.
    QVERIFY(f.window->selectObject(f.engine.root()->id()));
    QVERIFY(!f.toolButton("destroyAction")->isEnabled());
}

void TstInspectorWindow::dropMovesAndRefusedCycleShowsWhy()
{
    Fixture f;
    auto *outer = f.engine.createObject<Group>();
    auto *inner = f.engine.createObject<Group>(outer);
    auto *item = f.engine.createObject<Item>();
    QVERIFY(f.window->selectObject(inner->id()));
    QVERIFY(f.window->selectObject(item->id()));
    QAbstractItemModel *model = f.tree()->model(); // what the view drops on
    QSignalSpy committed(&f.engine, &Engine::transitionCommitted);

    std::unique_ptr<QMimeData> data(model->mimeData({findObject(model, outer->id())}));
    QVERIFY(data);
    QVERIFY(
        !model->dropMimeData(data.get(), Qt::MoveAction, -1, -1, findObject(model, inner->id())));
    QVERIFY2(f.status().contains(QStringLiteral("own subtree")), qPrintable(f.status()));
    QVERIFY(f.status().startsWith(QStringLiteral("Move refused")));
    QCOMPARE(committed.count(), 0);
    QCOMPARE(outer->parent(), f.engine.root());

    // A legal move: the selected item moves into the inner group and stays selected.
    data.reset(model->mimeData({findObject(model, item->id())}));
    QVERIFY(
        model->dropMimeData(data.get(), Qt::MoveAction, -1, -1, findObject(model, inner->id())));
    QCOMPARE(item->parent(), inner);
    QCOMPARE(committed.count(), 1);
    QTRY_COMPARE(
        findObject(model, item->id()).parent().data(ObjectTreeModel::ObjectIdRole).toString(),
        inner->id());
    QCOMPARE(f.window->selectedObjectId(), item->id());
    QCOMPARE(f.tree()
                 ->selectionModel()
                 ->selectedRows()
                 .value(0)
                 .data(ObjectTreeModel::ObjectIdRole)
                 .toString(),
             item->id());
}

void TstInspectorWindow::selectionFollowsExternalMoves()
{
    Fixture f;
    auto *g1 = f.engine.createObject<Group>();
    auto *g2 = f.engine.createObject<Group>();
    f.engine.createObject<Item>(g2); // g2 has children the tree has not loaded
    auto *item = f.engine.createObject<Item>(g1);
    QVERIFY(f.window->selectObject(item->id()));
    QSignalSpy selectionChanged(f.window.get(), &InspectorWindow::selectedObjectChanged);

    // Other objects come and go around it, then it moves into the unloaded group.
    f.engine.createObject<Item>(g1);
    f.engine.createObject<Item>();
    f.engine.moveObject(item, g2);
    QTRY_COMPARE(findObject(f.tree()->model(), item->id())
                     .parent()
                     .data(ObjectTreeModel::ObjectIdRole)
                     .toString(),
                 g2->id());
    QCOMPARE(f.window->selectedObjectId(), item->id());
    QCOMPARE(f.tree()
                 ->selectionModel()
                 ->selectedRows()
                 .value(0)
                 .data(ObjectTreeModel::ObjectIdRole)
                 .toString(),
             item->id());
    QVERIFY(f.valueCell(QStringLiteral("count")).isValid());
    QCOMPARE(selectionChanged.count(), 0);

    // When it is destroyed, nothing is selected any more.
    f.engine.destroyObject(item);
    QTRY_COMPARE(f.window->selectedObjectId(), QString());
    QCOMPARE(f.attributes()->model()->rowCount(), 0);
    QVERIFY(f.child<QLabel>("objectHeader")->text().contains(QStringLiteral("Select")));
}

void TstInspectorWindow::filterShowsMatchesWithAncestors()
{
    Fixture f;
    auto *group = f.engine.createObject<Group>();
    auto *sub = f.engine.createObject<Group>(group);
    auto *item = f.engine.createObject<Item>(sub);
    item->name->set(QStringLiteral("a needle"));
    for (int i = 0; i < 5; ++i)
        f.engine.createObject<Item>();
    QTest::keyClicks(f.child<QLineEdit>("objectFilter"), QStringLiteral("needle"));
    // root, group, sub and the matching item remain
    QTRY_COMPARE(countRows(f.tree()->model()), 4);
    QVERIFY(findObject(f.tree()->model(), item->id()).isValid());
    QVERIFY(f.tree()->isExpanded(findObject(f.tree()->model(), sub->id())));
    f.child<QLineEdit>("objectFilter")->clear();
    QTRY_COMPARE(countRows(f.tree()->model()), int(f.engine.objectCount()));
}

void TstInspectorWindow::transitionLogPausesAndFilters()
{
    Fixture f;
    auto *item = f.engine.createObject<Item>();
    item->count->set(1);
    QVERIFY(f.engine.tryTransition([&] { item->count->set(2); }, 4, QStringLiteral("4_9")).ok());
    auto *log = f.child<QTreeView>("transitionLog");
    QTRY_COMPARE(log->model()->rowCount(), 3);

    auto *pause = f.child<QToolButton>("logPause");
    QTest::mouseClick(pause, Qt::LeftButton);
    QVERIFY(pause->isChecked());
    item->count->set(3);
    item->count->set(4);
    QTRY_COMPARE(f.child<QLabel>("logHeld")->text(), QStringLiteral("2 held back"));
    QCOMPARE(log->model()->rowCount(), 3);
    QTest::mouseClick(pause, Qt::LeftButton);
    QCOMPARE(log->model()->rowCount(), 5);

    QTest::keyClicks(f.child<QLineEdit>("logFilter"), QStringLiteral("client 4"));
    QTRY_COMPARE(log->model()->rowCount(), 1);
    QCOMPARE(log->model()->index(0, 3).data().toString(), QStringLiteral("4_9"));
}

void TstInspectorWindow::clientAndPluginPanels()
{
    Fixture f;
    f.window->clientConnected(1, QStringLiteral("127.0.0.1:40000"));
    f.window->clientConnected(2, QStringLiteral("127.0.0.1:40001"));
    f.window->clientStatsChanged(2, {QStringLiteral("_topicsync/topic_list")}, 2048, 100);
    auto *clients = f.child<QTableView>("clientTable");
    QCOMPARE(clients->model()->rowCount(), 2);
    QCOMPARE(f.child<QDockWidget>("clientDock")->windowTitle(), QStringLiteral("Clients (2)"));
    f.window->clientDisconnected(1);
    QCOMPARE(clients->model()->rowCount(), 1);
    QCOMPARE(clients->model()->index(0, 1).data().toString(), QStringLiteral("127.0.0.1:40001"));
    QVERIFY(clients->model()->index(0, 2).data().toString().contains(QStringLiteral("topic_list")));

    f.window->setPlugins({{QStringLiteral("/p/libdom.so"), QStringLiteral("dom"),
                           QStringLiteral("1.0"), QStringLiteral("loaded"), QString()},
                          {QStringLiteral("/p/libold.so"), QString(), QString(),
                           QStringLiteral("refused"), QStringLiteral("built for API version 0")}});
    auto *plugins = f.child<QTableView>("pluginTable");
    QCOMPARE(plugins->model()->rowCount(), 2);
    QCOMPARE(plugins->model()->index(0, 0).data().toString(), QStringLiteral("libdom.so"));
    QCOMPARE(plugins->model()->index(1, 3).data().toString(), QStringLiteral("refused"));
    QCOMPARE(plugins->model()->index(1, 4).data().toString(),
             QStringLiteral("built for API version 0"));
    QVERIFY(f.child<QDockWidget>("pluginDock")->windowTitle().contains(QStringLiteral("1 failed")));
}

void TstInspectorWindow::survivesEngineDestruction()
{
    auto engine = std::make_unique<Engine>();
    auto *item = engine->createObject<Item>();
    InspectorWindow window(engine.get());
    window.show();
    QVERIFY(window.selectObject(item->id()));
    item->count->set(3);
    engine.reset(); // with updates still waiting
    QCoreApplication::processEvents();
    QCOMPARE(window.selectedObjectId(), QString());
    window.undo(); // nothing to act on, and no crash
    window.createObject(QStringLiteral("Item"));
    QVERIFY(!window.findChild<QAction *>(QStringLiteral("undoAction"))->isEnabled());
}

void TstInspectorWindow::noRoomSelectorWithoutRooms()
{
    Fixture f;
    QVERIFY(!f.child<QDockWidget>("roomDock")->isVisible());
    QVERIFY(!f.child<QDockWidget>("roomDock")->toggleViewAction()->isVisible());
    QVERIFY(!f.child<QAction>("newRoomAction")->isEnabled());
    QVERIFY(!f.child<QAction>("closeRoomAction")->isEnabled());
    QCOMPARE(f.window->currentRoom(), QString());
    QVERIFY(!f.window->showRoom(QStringLiteral("default")));
    QVERIFY(!f.window->createRoom(QStringLiteral("b")));
    QCOMPARE(f.window->engine(), &f.engine);
}

void TstInspectorWindow::topicsPanelFiltersEditsAndCountsSubscribers()
{
    Fixture f;
    auto *item = f.engine.createObject<Item>();
    auto *plugin = f.engine.addTopic<IntTopic>(QStringLiteral("plugin/level"), 1);
    auto *dock = f.child<QDockWidget>("topicDock");
    QVERIFY(dock);
    dock->raise();
    auto *view = f.child<QTreeView>("topicView");
    QAbstractItemModel *m = view->model();
    QTRY_COMPARE(m->rowCount(), f.engine.topicCount());

    // The filter keeps the topics whose name contains the text.
    f.child<QLineEdit>("topicFilter")->setText(QStringLiteral("PLUGIN/"));
    QCOMPARE(m->rowCount(), 1);
    const QModelIndex value = m->index(0, 2);
    QCOMPARE(m->index(0, 0).data().toString(), plugin->name());

    // Edited with the attribute editors.
    view->setCurrentIndex(value);
    view->edit(value);
    auto *editor = qobject_cast<QLineEdit *>(view->indexWidget(value));
    QVERIFY(editor);
    QVERIFY(editor->validator()); // the int editor
    editor->selectAll();
    QTest::keyClicks(editor, QStringLiteral("7"));
    QTest::keyClick(editor, Qt::Key_Return);
    QTRY_COMPARE(plugin->get(), 7);

    // System topics are read-only.
    f.child<QLineEdit>("topicFilter")->setText(QStringLiteral("_objects"));
    QVERIFY(m->rowCount() >= 1);
    QVERIFY(!(m->index(0, 2).flags() & Qt::ItemIsEditable));

    // Subscriber counts come from the clients list.
    f.child<QLineEdit>("topicFilter")->setText(QStringLiteral("/count"));
    QCOMPARE(m->rowCount(), 1);
    QCOMPARE(m->index(0, 3).data().toInt(), 0);
    f.window->clientConnected(1, QStringLiteral("127.0.0.1:40000"));
    f.window->clientConnected(2, QStringLiteral("127.0.0.1:40001"));
    f.window->clientStatsChanged(1, {item->count->name()}, 10, 10);
    f.window->clientStatsChanged(2, {item->count->name(), plugin->name()}, 10, 10);
    QCOMPARE(m->index(0, 3).data().toInt(), 2);
    f.window->clientDisconnected(2);
    QCOMPARE(m->index(0, 3).data().toInt(), 1);
}

QTEST_MAIN(TstInspectorWindow)
#include "tst_inspectorwindow.moc"
