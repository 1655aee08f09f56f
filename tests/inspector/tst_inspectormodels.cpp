// SPDX-License-Identifier: MIT
// The inspector's object tree model against a live engine: structure checked by
// QAbstractItemModelTester while seeded random activity runs, and the copy compared with the
// engine after each turn; lazy loading, batching, persistent indexes, drag and drop, and the
// filter.
#include "tst_inspectormodels.h"

#include "randomactivity.h"

#include "attributemodel.h"
#include "objectfilterproxy.h"
#include "objecttreemodel.h"
#include "transitionlogmodel.h"

#include <QAbstractItemModelTester>
#include <QMimeData>
#include <QSignalSpy>
#include <QtTest>

using namespace objectsync;
using namespace inspectortest;

namespace {

/*! Compares the loaded part of the tree model with the engine; empty when they agree. */
QString compareLoaded(const Engine &engine, const QAbstractItemModel &model,
                      const QModelIndex &index)
{
    const QString id = index.data(ObjectTreeModel::ObjectIdRole).toString();
    const SObject *o = engine.object(id);
    if (!o)
        return QStringLiteral("%1 is shown but does not exist").arg(id);
    if (index.data(ObjectTreeModel::TypeNameRole).toString() != o->typeName())
        return QStringLiteral("%1 shows the wrong type").arg(id);
    const int rows = model.rowCount(index);
    if (model.canFetchMore(index)) {
        if (rows != 0)
            return QStringLiteral("%1 is not loaded but has rows").arg(id);
        return {};
    }
    if (rows != o->children().size())
        return QStringLiteral("%1 shows %2 children, has %3")
            .arg(id)
            .arg(rows)
            .arg(o->children().size());
    for (int r = 0; r < rows; ++r) {
        const QModelIndex child = model.index(r, 0, index);
        if (child.data(ObjectTreeModel::ObjectIdRole).toString() != o->children().at(r)->id())
            return QStringLiteral("row %1 under %2 shows %3, should be %4")
                .arg(r)
                .arg(id, child.data(ObjectTreeModel::ObjectIdRole).toString(),
                     o->children().at(r)->id());
        if (child.parent() != index)
            return QStringLiteral("the parent of %1 is wrong").arg(o->children().at(r)->id());
        const QString error = compareLoaded(engine, model, child);
        if (!error.isEmpty())
            return error;
    }
    return {};
}

QString compareTree(const Engine &engine, const ObjectTreeModel &model)
{
    if (model.rowCount() != 1)
        return QStringLiteral("the root is not the one top-level row");
    return compareLoaded(engine, model, model.index(0, 0));
}

int countLoaded(const QAbstractItemModel &model, const QModelIndex &parent)
{
    int n = 0;
    for (int r = 0; r < model.rowCount(parent); ++r)
        n += 1 + countLoaded(model, model.index(r, 0, parent));
    return n;
}

/*! The loaded indexes that can still load children. */
QModelIndexList unloaded(const QAbstractItemModel &model, const QModelIndex &parent)
{
    QModelIndexList out;
    for (int r = 0; r < model.rowCount(parent); ++r) {
        const QModelIndex i = model.index(r, 0, parent);
        if (model.canFetchMore(i))
            out.append(i);
        out += unloaded(model, i);
    }
    return out;
}

/*! A tree built before any model looks at it: groups, nested groups and items. */
void buildTree(Engine &engine, int groups, int itemsPerGroup)
{
    auto t = engine.transaction();
    for (int g = 0; g < groups; ++g) {
        auto *group = engine.createObject<Group>();
        auto *nested = engine.createObject<Group>(group);
        for (int i = 0; i < itemsPerGroup; ++i)
            engine.createObject<Item>(i % 2 ? group : nested);
    }
}

} // namespace

void TstInspectorModels::treeModelUnderRandomActivity_data()
{
    QTest::addColumn<bool>("throughProxy");
    QTest::newRow("model") << false;
    QTest::newRow("filter proxy") << true;
}

void TstInspectorModels::treeModelUnderRandomActivity()
{
    QFETCH(bool, throughProxy);
    Engine engine;
    buildTree(engine, 4, 4);
    ObjectTreeModel model(&engine);
    ObjectFilterProxy proxy(&engine);
    proxy.setSourceModel(&model);
    QAbstractItemModel *tested = throughProxy ? static_cast<QAbstractItemModel *>(&proxy) : &model;
    QAbstractItemModelTester tester(tested, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(tested, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(tested, &QAbstractItemModel::rowsRemoved);
    // The tester would load children while handling rowsInserted (a nested insertion it then
    // reports); this test loads them itself, at random, between turns and while updates wait.
    tester.setUseFetchMore(false);
    const quint32 seed = testSeed() + (throughProxy ? 100 : 0);
    Activity activity(engine, seed);
    bool sawUnloaded = false;
    for (int i = 0; i < 300; ++i) {
        const QString what = activity.step();
        const auto where = [&](const QString &error) {
            return qPrintable(
                QStringLiteral("seed %1, step %2 (%3): %4").arg(seed).arg(i).arg(what, error));
        };
        if (QTest::currentTestFailed())
            QFAIL(where(QString()));
        const quint32 r = activity.rng().bounded(4);
        if (r == 0) {
            const QModelIndexList candidates = unloaded(*tested, QModelIndex());
            sawUnloaded = sawUnloaded || !candidates.isEmpty();
            if (!candidates.isEmpty())
                tested->fetchMore(
                    candidates.at(int(activity.rng().bounded(quint32(candidates.size())))));
        } else if (r == 1 || i == 299) {
            processTurn();
            if (QTest::currentTestFailed())
                QFAIL(where(QString()));
            QVERIFY(!model.hasPendingUpdates());
            const QString error = compareTree(engine, model);
            QVERIFY2(error.isEmpty(), where(error));
        }
    }
    QVERIFY(sawUnloaded);
    model.fetchAll();
    QVERIFY2(compareTree(engine, model).isEmpty(), qPrintable(compareTree(engine, model)));
    QCOMPARE(countLoaded(*tested, QModelIndex()), int(engine.objectCount()));
    QCOMPARE(model.resetCount(), 0);
    // The activity really changed the tree while it was shown.
    QVERIFY(inserted.count() > 10);
    QVERIFY(removed.count() > 10);
}

void TstInspectorModels::treeModelLoadsLazilyUnderRandomActivity()
{
    Engine engine;
    buildTree(engine, 6, 5);
    ObjectTreeModel model(&engine);
    QVERIFY(model.canFetchMore(model.index(0, 0)));
    model.fetchMore(model.index(0, 0));
    QCOMPARE(countLoaded(model, QModelIndex()), 7); // the root and its groups only
    const quint32 seed = testSeed() + 1;
    Activity activity(engine, seed);
    int fetchesWithPending = 0;
    for (int i = 0; i < 600; ++i) {
        const QString what = activity.step();
        const quint32 r = activity.rng().bounded(10);
        if (r < 3) {
            // Load some children, sometimes while updates are still waiting.
            const QModelIndexList candidates = unloaded(model, QModelIndex());
            if (!candidates.isEmpty()) {
                fetchesWithPending += model.hasPendingUpdates() ? 1 : 0;
                model.fetchMore(
                    candidates.at(int(activity.rng().bounded(quint32(candidates.size())))));
            }
        } else if (r < 7) {
            processTurn();
            const QString error = compareTree(engine, model);
            QVERIFY2(
                error.isEmpty(),
                qPrintable(
                    QStringLiteral("seed %1, step %2 (%3): %4").arg(seed).arg(i).arg(what, error)));
        }
    }
    processTurn();
    QVERIFY(fetchesWithPending > 0);
    model.fetchAll();
    QVERIFY2(compareTree(engine, model).isEmpty(), qPrintable(compareTree(engine, model)));
    QCOMPARE(countLoaded(model, QModelIndex()), int(engine.objectCount()));
    QCOMPARE(model.resetCount(), 0);
}

void TstInspectorModels::treeModelBatchesOneTurn()
{
    Engine engine;
    ObjectTreeModel model(&engine);
    model.fetchAll();
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    Group *group = nullptr;
    {
        auto t = engine.transaction();
        group = engine.createObject<Group>();
        for (int i = 0; i < 50; ++i)
            engine.createObject<Item>(group);
    }
    for (int i = 0; i < 20; ++i)
        engine.createObject<Item>();
    // Nothing reaches the views before the event loop turns.
    QCOMPARE(inserted.count(), 0);
    QVERIFY(model.hasPendingUpdates());
    processTurn();
    // The group arrives with its children left to load on demand; the 20 items that follow
    // join one insertion.
    QCOMPARE(inserted.count(), 2);
    QCOMPARE(inserted.at(0).at(1).toInt(), 0);
    QCOMPARE(inserted.at(0).at(2).toInt(), 0);
    QCOMPARE(inserted.at(1).at(1).toInt(), 1);
    QCOMPARE(inserted.at(1).at(2).toInt(), 20);
    QVERIFY(compareTree(engine, model).isEmpty());

    // Destroying a loaded group removes its children in one go, then the group.
    const QModelIndex groupIndex = model.indexOf(group->id());
    QVERIFY(model.canFetchMore(groupIndex));
    model.fetchMore(groupIndex);
    QCOMPARE(model.rowCount(groupIndex), 50);
    inserted.clear();
    engine.destroyObject(group);
    processTurn();
    QCOMPARE(removed.count(), 2);
    QVERIFY(compareTree(engine, model).isEmpty());
    QCOMPARE(model.repairCount(), 0);
}

void TstInspectorModels::treeModelKeepsPersistentIndexesOnMoves()
{
    Engine engine;
    ObjectTreeModel model(&engine);
    auto *g1 = engine.createObject<Group>();
    auto *g2 = engine.createObject<Group>();
    auto *item = engine.createObject<Item>(g1);
    model.fetchAll();
    QPersistentModelIndex kept(model.indexOf(item->id()));
    QVERIFY(kept.isValid());

    engine.createObject<Item>(g1); // rows around it change
    engine.moveObject(item, g2);   // then it moves
    processTurn();
    QVERIFY(kept.isValid());
    QCOMPARE(kept.data(ObjectTreeModel::ObjectIdRole).toString(), item->id());
    QCOMPARE(kept.parent().data(ObjectTreeModel::ObjectIdRole).toString(), g2->id());

    // Undo brings it back, and the index still follows it.
    QVERIFY(engine.undo().ok());
    processTurn();
    QVERIFY(kept.isValid());
    QCOMPARE(kept.parent().data(ObjectTreeModel::ObjectIdRole).toString(), g1->id());
    QVERIFY(compareTree(engine, model).isEmpty());
}

void TstInspectorModels::treeModelFetchWhileUpdatesPending()
{
    Engine engine;
    ObjectTreeModel model(&engine);
    auto *g1 = engine.createObject<Group>();
    auto *g2 = engine.createObject<Group>();
    engine.createObject<Item>(g2);
    auto *moving = engine.createObject<Item>(g1);
    model.fetchAll();
    const QString movingId = moving->id();

    // g3 gets children before it is loaded; one of them was loaded elsewhere.
    auto *g3 = engine.createObject<Group>();
    processTurn();
    engine.createObject<Item>(g3);
    engine.moveObject(moving, g3);
    engine.createObject<Item>(g3);
    const QModelIndex g3Index = model.indexOf(g3->id());
    QVERIFY(g3Index.isValid());
    model.fetchMore(g3Index); // sees the engine ahead of the model
    processTurn();
    QVERIFY2(compareTree(engine, model).isEmpty(), qPrintable(compareTree(engine, model)));
    QCOMPARE(model.indexOf(movingId).parent(), model.indexOf(g3->id()));
    QCOMPARE(model.resetCount(), 0);
}

void TstInspectorModels::modelsSwitchEngines()
{
    auto first = std::make_unique<Engine>();
    Engine second;
    first->createObject<Item>();
    first->createObject<Item>();
    auto *group = second.createObject<Group>();
    auto *nested = second.createObject<Item>(group);
    processTurn();

    ObjectTreeModel tree(first.get());
    AttributeModel attributes(first.get());
    TransitionLogModel log(first.get());
    log.setUpdateInterval(0);
    tree.setEagerFetching(true); // the whole tree of the next engine is loaded too
    attributes.setObjectId(first->root()->children().first()->id());
    QVERIFY(attributes.rowCount() > 0);
    first->createObject<Item>();
    processTurn();
    QCOMPARE(tree.rowCount(tree.index(0, 0)), 3);
    QCOMPARE(log.rowCount(), 1);

    tree.setEngine(&second);
    attributes.setEngine(&second);
    log.setEngine(&second);
    QCOMPARE(tree.engine(), &second);
    // (A tester watching the reset would load rows from inside it, which it then reports as
    // a change during the reset: it watches from here on.)
    QAbstractItemModelTester treeTester(&tree,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY2(compareTree(second, tree).isEmpty(), qPrintable(compareTree(second, tree)));
    QVERIFY(tree.indexOf(nested->id()).isValid());
    QCOMPARE(attributes.rowCount(), 0);
    QCOMPARE(attributes.objectId(), QString());
    QCOMPARE(log.rowCount(), 0);

    // Only the engine shown reaches the models now; the other one may even go away.
    first->createObject<Item>();
    first.reset();
    processTurn();
    QCOMPARE(tree.rowCount(tree.index(0, 0)), 1);
    QCOMPARE(log.rowCount(), 0);
    attributes.setObjectId(nested->id());
    nested->count->set(7);
    second.createObject<Item>(group);
    processTurn();
    QVERIFY2(compareTree(second, tree).isEmpty(), qPrintable(compareTree(second, tree)));
    QCOMPARE(tree.rowCount(tree.indexOf(group->id())), 2);
    QCOMPARE(
        attributes.index(attributes.rowOf(QStringLiteral("count")), AttributeModel::ValueColumn)
            .data()
            .toString(),
        QStringLiteral("7"));
    QCOMPARE(log.rowCount(), 2);

    tree.setEngine(nullptr);
    QCOMPARE(tree.rowCount(), 0);
    QCOMPARE(tree.resetCount(), 0);
}

void TstInspectorModels::dropMovesObjects()
{
    Engine engine;
    ObjectTreeModel model(&engine);
    auto *g1 = engine.createObject<Group>();
    auto *g2 = engine.createObject<Group>();
    auto *item = engine.createObject<Item>(g1);
    engine.createObject<Item>(g2);
    processTurn();
    model.fetchMore(model.index(0, 0));
    model.fetchMore(model.indexOf(g1->id()));
    QVERIFY(model.canFetchMore(model.indexOf(g2->id())));

    std::unique_ptr<QMimeData> data(model.mimeData({model.indexOf(item->id())}));
    QVERIFY(data);
    QSignalSpy committed(&engine, &Engine::transitionCommitted);
    QVERIFY(model.dropMimeData(data.get(), Qt::MoveAction, -1, -1, model.indexOf(g2->id())));
    QCOMPARE(item->parent(), g2);
    QCOMPARE(committed.count(), 1);
    processTurn();
    // The target was loaded first, so the row moved and stays loaded.
    QVERIFY(model.indexOf(item->id()).isValid());
    QVERIFY(compareTree(engine, model).isEmpty());
    QVERIFY(engine.undo().ok());
    QCOMPARE(item->parent(), g1);
}

void TstInspectorModels::dropRefusesCycles()
{
    Engine engine;
    ObjectTreeModel model(&engine);
    auto *outer = engine.createObject<Group>();
    auto *inner = engine.createObject<Group>(outer);
    model.fetchAll();
    QSignalSpy refused(&model, &ObjectTreeModel::moveRefused);
    QSignalSpy committed(&engine, &Engine::transitionCommitted);
    std::unique_ptr<QMimeData> data(model.mimeData({model.indexOf(outer->id())}));
    QVERIFY(!model.dropMimeData(data.get(), Qt::MoveAction, -1, -1, model.indexOf(inner->id())));
    QCOMPARE(refused.count(), 1);
    QVERIFY2(refused.at(0).at(0).toString().contains(QStringLiteral("own subtree")),
             qPrintable(refused.at(0).at(0).toString()));
    QCOMPARE(committed.count(), 0);
    QCOMPARE(inner->parent(), outer);
    QCOMPARE(outer->parent(), engine.root());
    // The root cannot be dragged at all.
    QVERIFY(!(model.flags(model.index(0, 0)) & Qt::ItemIsDragEnabled));
    QVERIFY(model.flags(model.indexOf(outer->id())) & Qt::ItemIsDragEnabled);
}

void TstInspectorModels::filterByIdTypeAndValue()
{
    Engine engine;
    ObjectTreeModel model(&engine);
    ObjectFilterProxy proxy(&engine);
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    tester.setUseFetchMore(false);
    auto *group = engine.createObject<Group>();
    auto *item = engine.createObject<Item>(group);
    item->name->set(QStringLiteral("needle in a haystack"));
    engine.createObject<Item>();
    model.setEagerFetching(true);
    model.setTrackAttributeChanges(true);
    processTurn();

    const auto visible = [&](const QString &id) {
        const QModelIndex source = model.indexOf(id);
        return source.isValid() && proxy.mapFromSource(source).isValid();
    };
    proxy.setFilterText(QStringLiteral("value:NEEDLE"));
    QVERIFY(visible(item->id()));
    QVERIFY(visible(group->id())); // ancestors stay to show where it is
    QCOMPARE(countLoaded(proxy, QModelIndex()), 3);

    proxy.setFilterText(QStringLiteral("type:group"));
    QVERIFY(visible(group->id()));
    QVERIFY(!visible(item->id()));

    proxy.setFilterText(QStringLiteral("id:") + item->id());
    QVERIFY(visible(item->id()));
    QCOMPARE(countLoaded(proxy, QModelIndex()), 3);

    // A value that starts matching shows up after the next turn.
    proxy.setFilterText(QStringLiteral("fresh"));
    QVERIFY(!visible(item->id()));
    item->name->set(QStringLiteral("fresh value"));
    processTurn();
    QVERIFY(visible(item->id()));

    proxy.setFilterText(QString());
    QCOMPARE(countLoaded(proxy, QModelIndex()), int(engine.objectCount()));
}

QTEST_MAIN(TstInspectorModels)
