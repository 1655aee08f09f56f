// SPDX-License-Identifier: MIT
// The inspector's models against a live engine: structure checked by QAbstractItemModelTester
// while seeded random activity runs, and the copy compared with the engine after each turn.
#include "testobjects.h"

#include "attributemodel.h"
#include "clientmodel.h"
#include "jsontext.h"
#include "objectfilterproxy.h"
#include "objecttreemodel.h"
#include "transitionlogmodel.h"

#include <QAbstractItemModelTester>
#include <QMimeData>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QtTest>

using namespace objectsync;

namespace {

quint32 testSeed()
{
    bool ok = false;
    const quint32 seed = qEnvironmentVariable("OBJECTSYNC_TEST_SEED").toUInt(&ok);
    return ok ? seed : 20240611u;
}

/*! Random but reproducible engine activity: creations, destructions, moves (some refused),
 *  edits, grouped and rolled-back transitions, undo and redo. */
class Activity
{
public:
    Activity(Engine &engine, quint32 seed) : m_engine(engine), m_rng(seed) {}

    SObject *randomObject(bool includeRoot)
    {
        QStringList ids = m_engine.objectIds();
        ids.sort(); // hash order is not reproducible
        if (!includeRoot)
            ids.removeAll(m_engine.root()->id());
        if (ids.isEmpty())
            return nullptr;
        return m_engine.object(ids.at(int(m_rng.bounded(quint32(ids.size())))));
    }

    void create(SObject *parent)
    {
        if (m_rng.bounded(2))
            m_engine.createObject<Group>(parent);
        else
            m_engine.createObject<Item>(parent);
    }

    void edit(SObject *o)
    {
        if (auto *item = dynamic_cast<Item *>(o)) {
            switch (m_rng.bounded(4)) {
            case 0:
                item->count->set(qint64(m_rng.bounded(1000)));
                break;
            case 1:
                item->name->set(QStringLiteral("n%1").arg(m_rng.bounded(100)));
                break;
            case 2:
                item->style->changeValue(QStringLiteral("color"),
                                         QStringLiteral("c%1").arg(m_rng.bounded(10)));
                break;
            default:
                item->list->append(int(m_rng.bounded(10)));
                break;
            }
        } else if (auto *group = dynamic_cast<Group *>(o)) {
            group->title->set(QStringLiteral("t%1").arg(m_rng.bounded(100)));
        }
    }

    /*! One random step; returns what it did (for failure messages). */
    QString step()
    {
        const quint32 r = m_rng.bounded(100);
        SObject *a = randomObject(true);
        SObject *b = randomObject(false);
        if (r < 28 || !b) {
            m_engine.tryTransition([&] { create(a); });
            return QStringLiteral("create under %1").arg(a->id());
        }
        if (r < 40) {
            const QString id = b->id();
            m_engine.tryTransition([&] { m_engine.destroyObject(b); });
            return QStringLiteral("destroy %1").arg(id);
        }
        if (r < 62) {
            const QString what = QStringLiteral("move %1 to %2").arg(b->id(), a->id());
            m_engine.tryTransition([&] { m_engine.moveObject(b, a); }); // cycles are refused
            return what;
        }
        if (r < 80) {
            m_engine.tryTransition([&] { edit(b); });
            return QStringLiteral("edit %1").arg(b->id());
        }
        if (r < 86) {
            m_engine.tryTransition([&] {
                create(a);
                SObject *c = randomObject(false);
                if (c && !a->isDescendantOf(c))
                    m_engine.moveObject(c, a);
                edit(randomObject(false));
            });
            return QStringLiteral("grouped transition");
        }
        if (r < 92) {
            m_engine.tryTransition([&] {
                create(a);
                if (!b->isDescendantOf(a) && b->parent() != a && !a->isDescendantOf(b))
                    m_engine.moveObject(b, a);
                m_engine.destroyObject(randomObject(false));
                throw Error(QStringLiteral("rolled back on purpose"));
            });
            return QStringLiteral("rolled back transition");
        }
        SObject *scope = m_rng.bounded(3) ? m_engine.root() : a;
        if (r < 97)
            m_engine.undo(scope);
        else
            m_engine.redo(scope);
        return QStringLiteral("undo/redo");
    }

    QRandomGenerator &rng() { return m_rng; }

private:
    Engine &m_engine;
    QRandomGenerator m_rng;
};

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

void processTurn()
{
    QCoreApplication::processEvents();
    QCoreApplication::processEvents();
}

} // namespace

class TstInspectorModels : public QObject
{
    Q_OBJECT
private slots:
    void treeModelUnderRandomActivity_data();
    void treeModelUnderRandomActivity();
    void treeModelLoadsLazilyUnderRandomActivity();
    void treeModelBatchesOneTurn();
    void treeModelKeepsPersistentIndexesOnMoves();
    void treeModelFetchWhileUpdatesPending();
    void dropMovesObjects();
    void dropRefusesCycles();
    void filterByIdTypeAndValue();
    void attributeModelUnderRandomActivity();
    void attributeModelEdits_data();
    void attributeModelEdits();
    void attributeModelRefusedEdit();
    void transitionLogIsBoundedAndPausable();
    void transitionLogSummaries();
    void clientModelTracksClients();
};

/*! A tree built before any model looks at it: groups, nested groups and items. */
static void buildTree(Engine &engine, int groups, int itemsPerGroup)
{
    auto t = engine.transaction();
    for (int g = 0; g < groups; ++g) {
        auto *group = engine.createObject<Group>();
        auto *nested = engine.createObject<Group>(group);
        for (int i = 0; i < itemsPerGroup; ++i)
            engine.createObject<Item>(i % 2 ? group : nested);
    }
}

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
    QVERIFY(engine.undo().isEmpty());
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
    QVERIFY(engine.undo().isEmpty());
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

void TstInspectorModels::attributeModelUnderRandomActivity()
{
    Engine engine;
    AttributeModel model(&engine);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const quint32 seed = testSeed() + 2;
    Activity activity(engine, seed);
    auto *item = engine.createObject<Item>();
    const QString id = item->id();
    model.setObjectId(id);
    QCOMPARE(model.rowCount(), 8);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    for (int i = 0; i < 300; ++i) {
        if (SObject *o = engine.object(id); o && activity.rng().bounded(3) == 0)
            engine.tryTransition([&] { activity.edit(o); });
        else if (o && activity.rng().bounded(40) == 0)
            engine.destroyObject(o);
        else if (!o)
            engine.createObject<Item>(nullptr, id); // comes back (and the rows with it)
        activity.step();
        if (activity.rng().bounded(2) == 0)
            continue;
        processTurn();
        const SObject *o = engine.object(id);
        QCOMPARE(model.rowCount(), o ? int(o->attributeNames().size()) : 0);
        for (int r = 0; o && r < model.rowCount(); ++r) {
            const Topic *t = o->attribute(o->attributeNames().at(r));
            QCOMPARE(model.index(r, AttributeModel::ValueColumn).data(Qt::EditRole).toString(),
                     t->type() == TopicType::Event ? QString()
                                                   : jsontext::toText(t->type(), t->value()));
        }
    }
    QVERIFY(changed.count() > 0);
}

void TstInspectorModels::attributeModelEdits_data()
{
    QTest::addColumn<QString>("attribute");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected"); // the value as JSON, compact
    QTest::newRow("string") << "name"
                            << "hello world"
                            << "\"hello world\"";
    QTest::newRow("int max") << "count"
                             << "9223372036854775807"
                             << "9223372036854775807";
    QTest::newRow("int min") << "count"
                             << "-9223372036854775808"
                             << "-9223372036854775808";
    QTest::newRow("float") << "weight"
                           << "2.25"
                           << "2.25";
    QTest::newRow("dict") << "style"
                          << "{\"a\": [1, 2]}"
                          << "{\"a\":[1,2]}";
    QTest::newRow("list") << "list"
                          << "[3, \"x\", null]"
                          << "[3,\"x\",null]";
    QTest::newRow("set") << "set"
                         << "[\"b\", \"c\"]"
                         << "[\"b\",\"c\"]";
    QTest::newRow("generic number") << "any"
                                    << "42"
                                    << "42";
    QTest::newRow("generic object") << "any"
                                    << "{\"k\": false}"
                                    << "{\"k\":false}";
}

void TstInspectorModels::attributeModelEdits()
{
    QFETCH(QString, attribute);
    QFETCH(QString, text);
    QFETCH(QString, expected);
    Engine engine;
    auto *item = engine.createObject<Item>();
    AttributeModel model(&engine);
    model.setObjectId(item->id());
    QSignalSpy committed(&engine, &Engine::transitionCommitted);
    QSignalSpy refused(&model, &AttributeModel::editRefused);
    const QModelIndex cell = model.index(model.rowOf(attribute), AttributeModel::ValueColumn);
    QVERIFY(cell.flags() & Qt::ItemIsEditable);
    QVERIFY(model.setData(cell, text));
    QCOMPARE(refused.count(), 0);
    QCOMPARE(jsontext::compact(item->attribute(attribute)->value()), expected);
    QCOMPARE(committed.count(), 1);
    // Undoable like any change.
    QVERIFY(engine.undo(item).isEmpty());
    QVERIFY(jsontext::compact(item->attribute(attribute)->value()) != expected);
}

void TstInspectorModels::attributeModelRefusedEdit()
{
    Engine engine;
    auto *item = engine.createObject<Item>();
    auto *group = engine.createObject<Group>();
    AttributeModel model(&engine);
    model.setObjectId(item->id());
    QSignalSpy committed(&engine, &Engine::transitionCommitted);
    QSignalSpy refused(&model, &AttributeModel::editRefused);
    const auto cell = [&](const QString &name) {
        return model.index(model.rowOf(name), AttributeModel::ValueColumn);
    };
    // Text that is not a value of the topic's type.
    QVERIFY(!model.setData(cell(QStringLiteral("count")), QStringLiteral("9223372036854775808")));
    QVERIFY(!model.setData(cell(QStringLiteral("count")), QStringLiteral("1.5")));
    QVERIFY(!model.setData(cell(QStringLiteral("weight")), QStringLiteral("inf")));
    QVERIFY(!model.setData(cell(QStringLiteral("style")), QStringLiteral("[1]")));
    QVERIFY(!model.setData(cell(QStringLiteral("set")), QStringLiteral("[1, 1]")));
    QVERIFY(!model.setData(cell(QStringLiteral("list")), QStringLiteral("[1,")));
    QCOMPARE(refused.count(), 6);
    QVERIFY(refused.at(4).at(0).toString().contains(QStringLiteral("twice")));
    // Events have no value to edit.
    QVERIFY(!(cell(QStringLiteral("ping")).flags() & Qt::ItemIsEditable));
    // A value the engine (a behaviour) refuses.
    model.setObjectId(group->id());
    QVERIFY(!model.setData(cell(QStringLiteral("title")), QStringLiteral("forbidden")));
    QCOMPARE(refused.count(), 7);
    QVERIFY2(refused.at(6).at(0).toString().contains(QStringLiteral("cannot be \"forbidden\"")),
             qPrintable(refused.at(6).at(0).toString()));
    QCOMPARE(group->title->get(), QStringLiteral("group"));
    QCOMPARE(item->count->get(), 0);
    QCOMPARE(committed.count(), 0);
    // Setting the value it already has records nothing.
    QVERIFY(model.setData(cell(QStringLiteral("title")), QStringLiteral("group")));
    QCOMPARE(committed.count(), 0);
}

void TstInspectorModels::transitionLogIsBoundedAndPausable()
{
    Engine engine;
    TransitionLogModel log(&engine);
    log.setUpdateInterval(0); // once per turn
    QAbstractItemModelTester tester(&log, QAbstractItemModelTester::FailureReportingMode::QtTest);
    log.setCapacity(50);
    auto *item = engine.createObject<Item>();
    for (int i = 1; i <= 200; ++i) {
        item->count->set(i);
        if (i % 7 == 0)
            processTurn();
    }
    processTurn();
    QVERIFY(log.rowCount() <= 50);
    QVERIFY(log.rowCount() >= 45);
    // The newest transition is last.
    const QModelIndex last = log.index(log.rowCount() - 1, TransitionLogModel::SummaryColumn);
    QVERIFY2(last.data().toString().contains(QStringLiteral("= 200")),
             qPrintable(last.data().toString()));

    log.setPaused(true);
    const int rows = log.rowCount();
    const quint64 lastSequence =
        log.index(rows - 1, 0).data(TransitionLogModel::SequenceRole).toULongLong();
    for (int i = 0; i < 10; ++i)
        item->count->add(1);
    processTurn();
    QCOMPARE(log.rowCount(), rows);
    QCOMPARE(log.heldCount(), 10);
    log.setPaused(false);
    QCOMPARE(log.heldCount(), 0);
    QCOMPARE(log.index(log.rowCount() - 1, 0).data(TransitionLogModel::SequenceRole).toULongLong(),
             lastSequence + 10);
    QVERIFY(log.rowCount() <= 50);
    log.clear();
    QCOMPARE(log.rowCount(), 0);
}

void TstInspectorModels::transitionLogSummaries()
{
    Engine engine;
    TransitionLogModel log(&engine);
    log.setUpdateInterval(0);
    auto *group = engine.createObject<Group>();
    auto *item = engine.createObject<Item>(group);
    engine.tryTransition([&] { item->count->set(7); }, 3, QStringLiteral("act-1"));
    engine.moveObject(item, engine.root());
    engine.undo();
    processTurn();
    QCOMPARE(log.rowCount(), 5);
    const auto cell = [&](int row, int column) { return log.index(row, column).data().toString(); };
    QVERIFY2(cell(0, TransitionLogModel::SummaryColumn)
                 .startsWith(QStringLiteral("create ") + group->id()),
             qPrintable(cell(0, TransitionLogModel::SummaryColumn)));
    QCOMPARE(cell(2, TransitionLogModel::OriginColumn), QStringLiteral("client 3"));
    QCOMPARE(cell(2, TransitionLogModel::ActionColumn), QStringLiteral("act-1"));
    QCOMPARE(cell(2, TransitionLogModel::SummaryColumn),
             QStringLiteral("a/%1/count = 7").arg(item->id()));
    QCOMPARE(cell(3, TransitionLogModel::SummaryColumn),
             QStringLiteral("move %1 to %2").arg(item->id(), engine.root()->id()));
    QCOMPARE(cell(4, TransitionLogModel::KindColumn), QStringLiteral("undo"));
    QCOMPARE(cell(1, TransitionLogModel::OriginColumn), QStringLiteral("host"));
    QVERIFY(log.index(1, 0).data(Qt::ToolTipRole).toString().contains(QStringLiteral("new topic")));
}

void TstInspectorModels::clientModelTracksClients()
{
    ClientModel clients;
    QAbstractItemModelTester tester(&clients,
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    clients.addClient(1, QStringLiteral("127.0.0.1:5000"));
    clients.addClient(2, QStringLiteral("10.0.0.2:6000"));
    clients.updateStats(2, {QStringLiteral("_objects"), QStringLiteral("a/0_1/x")}, 1536, 42);
    clients.updateStats(7, {}, 1, 2); // stats before the connection was announced
    QCOMPARE(clients.rowCount(), 3);
    const int row = clients.rowOf(2);
    QCOMPARE(clients.index(row, ClientModel::AddressColumn).data().toString(),
             QStringLiteral("10.0.0.2:6000"));
    QVERIFY(clients.index(row, ClientModel::SubscriptionsColumn)
                .data()
                .toString()
                .contains(QStringLiteral("2 topic")));
    QCOMPARE(
        clients.index(row, ClientModel::BytesInColumn).data(ClientModel::SortRole).toLongLong(),
        1536);
    QCOMPARE(
        clients.index(row, ClientModel::BytesOutColumn).data(ClientModel::SortRole).toLongLong(),
        42);
    clients.removeClient(1);
    clients.removeClient(99); // unknown: ignored
    QCOMPARE(clients.rowCount(), 2);
    QCOMPARE(clients.rowOf(1), -1);
}

QTEST_MAIN(TstInspectorModels)
#include "tst_inspectormodels.moc"
