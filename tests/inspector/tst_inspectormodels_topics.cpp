// SPDX-License-Identifier: MIT
// The inspector's topics table against a live engine: checked by QAbstractItemModelTester
// while seeded random activity (objects, plugin topics added and removed) runs; edits, the
// read-only system topics, subscriber counts and switching engines.
#include "tst_inspectormodels.h"

#include "randomactivity.h"

#include "attributemodel.h"
#include "clientmodel.h"
#include "jsontext.h"
#include "topicmodel.h"

#include <objectsync/names.h>

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>
#include <algorithm>

using namespace objectsync;
using namespace inspectortest;

namespace {
QStringList sortedTopicNames(const Engine &engine)
{
    QStringList names = engine.topicNames();
    std::sort(names.begin(), names.end());
    return names;
}

QStringList modelNames(const TopicModel &model)
{
    QStringList names;
    for (int r = 0; r < model.rowCount(); ++r)
        names.append(model.index(r, TopicModel::NameColumn).data().toString());
    return names;
}
} // namespace

void TstInspectorModels::topicModelUnderRandomActivity()
{
    Engine engine;
    TopicModel model(&engine);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const quint32 seed = testSeed() + 3;
    Activity activity(engine, seed);
    QCOMPARE(modelNames(model), sortedTopicNames(engine));
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QStringList pluginTopics;
    for (int i = 0; i < 400; ++i) {
        const QString did = activity.step();
        const quint32 r = activity.rng().bounded(10);
        if (r == 0) { // a plugin adds a topic of its own
            const QString name = QStringLiteral("plugin/t%1").arg(i);
            engine.addTopic<IntTopic>(name, i);
            pluginTopics.append(name);
        } else if (r == 1 && !pluginTopics.isEmpty()) {
            engine.removeTopic(pluginTopics.takeFirst());
        } else if (r == 2 && !pluginTopics.isEmpty()) {
            engine.topicAs<IntTopic>(pluginTopics.last())->add(1);
        }
        if (activity.rng().bounded(2) == 0)
            continue;
        processTurn();
        QVERIFY2(modelNames(model) == sortedTopicNames(engine), qPrintable(did));
        for (int row = 0; row < model.rowCount(); row += 7) {
            const Topic *t = engine.topic(model.topicNameAt(row));
            QVERIFY(t);
            QCOMPARE(model.index(row, TopicModel::ValueColumn).data(Qt::EditRole).toString(),
                     t->type() == TopicType::Event ? QString()
                                                   : jsontext::toText(t->type(), t->value()));
        }
    }
    // The rows followed the topic list one by one; only large batches (an undo bringing
    // back a subtree) start again.
    QVERIFY(inserted.count() > 0);
    QVERIFY(removed.count() > 0);
    QVERIFY(reset.count() < inserted.count() / 10);
}

void TstInspectorModels::topicModelLastChangeAndValues()
{
    Engine engine;
    auto *item = engine.createObject<Item>();
    auto *counter = engine.addTopic<IntTopic>(QStringLiteral("plugin/counter"), 1);
    TopicModel model(&engine);
    const int row = model.rowOf(counter->name());
    QVERIFY(row >= 0);
    QCOMPARE(model.index(row, TopicModel::TypeColumn).data().toString(), QStringLiteral("int"));
    QCOMPARE(model.index(row, TopicModel::ValueColumn).data().toString(), QStringLiteral("1"));
    QVERIFY(model.index(row, TopicModel::LastChangeColumn).data().toString().isEmpty());
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    counter->add(4);
    item->count->set(3);
    QCOMPARE(changed.count(), 0); // announced once per turn, not inside the engine's signal
    processTurn();
    QCOMPARE(model.index(row, TopicModel::ValueColumn).data().toString(), QStringLiteral("5"));
    QVERIFY(!model.index(row, TopicModel::LastChangeColumn).data().toString().isEmpty());
    const auto changedRows = [&] {
        QSet<int> rows;
        for (const QList<QVariant> &args : changed)
            rows.insert(args.at(0).toModelIndex().row());
        return rows;
    }();
    QCOMPARE(
        changedRows,
        (QSet<int>{row, model.rowOf(names::attributeTopic(item->id(), QStringLiteral("count")))}));
    // Untouched topics have no last change.
    const int nameRow = model.rowOf(names::attributeTopic(item->id(), QStringLiteral("name")));
    QVERIFY(model.index(nameRow, TopicModel::LastChangeColumn).data().toString().isEmpty());
}

void TstInspectorModels::topicModelEditsAndReadOnlySystemTopics()
{
    Engine engine;
    auto *item = engine.createObject<Item>();
    auto *group = engine.createObject<Group>();
    auto *plugin = engine.addTopic<DictTopic>(QStringLiteral("plugin/settings"), QJsonObject());
    TopicModel model(&engine);
    QSignalSpy committed(&engine, &Engine::transitionCommitted);
    QSignalSpy refused(&model, &TopicModel::editRefused);
    const auto cell = [&](const QString &name) {
        return model.index(model.rowOf(name), TopicModel::ValueColumn);
    };

    // A plugin topic and an attribute, with the type-aware parsing of the attribute editors.
    QVERIFY(model.setData(cell(plugin->name()), QStringLiteral("{\"k\": [1]}")));
    QCOMPARE(jsontext::compact(plugin->value()), QStringLiteral("{\"k\":[1]}"));
    const QString countTopic = names::attributeTopic(item->id(), QStringLiteral("count"));
    QVERIFY(model.setData(cell(countTopic), QStringLiteral("12")));
    QCOMPARE(item->count->get(), 12);
    QCOMPARE(committed.count(), 2);
    QVERIFY(!model.setData(cell(countTopic), QStringLiteral("1.5")));
    QVERIFY(!model.setData(cell(plugin->name()), QStringLiteral("[1]")));
    // A value a behaviour refuses.
    QVERIFY(!model.setData(cell(names::attributeTopic(group->id(), QStringLiteral("title"))),
                           QStringLiteral("forbidden")));
    QCOMPARE(refused.count(), 3);
    QCOMPARE(committed.count(), 2);
    QCOMPARE(item->count->get(), 12);

    // The engine's own topics are read-only, and so are events.
    for (const QString &name : {names::topicList, names::objects, names::objectTypes}) {
        const QModelIndex c = cell(name);
        QVERIFY2(c.isValid(), qPrintable(name));
        QVERIFY(c.data(TopicModel::SystemRole).toBool());
        QVERIFY(!(c.flags() & Qt::ItemIsEditable));
        QVERIFY(!model.setData(c, QStringLiteral("{}")));
    }
    QVERIFY(!(cell(names::attributeTopic(item->id(), QStringLiteral("ping"))).flags() &
              Qt::ItemIsEditable));
    QVERIFY(cell(countTopic).flags() & Qt::ItemIsEditable);
    QVERIFY(!cell(countTopic).data(TopicModel::SystemRole).toBool());
    QCOMPARE(committed.count(), 2);
    QCOMPARE(engine.objectCount(), 3);
}

void TstInspectorModels::topicModelSubscriberCounts()
{
    Engine engine;
    auto *a = engine.addTopic<IntTopic>(QStringLiteral("plugin/a"), 0);
    auto *b = engine.addTopic<IntTopic>(QStringLiteral("plugin/b"), 0);
    TopicModel model(&engine);
    ClientModel clients;
    QObject::connect(&clients, &ClientModel::subscriptionsChanged, &model,
                     [&] { model.setSubscriberCounts(clients.subscriberCounts()); });
    const auto count = [&](const Topic *t) {
        return model.index(model.rowOf(t->name()), TopicModel::SubscribersColumn).data().toInt();
    };
    QCOMPARE(count(a), 0);
    clients.addClient(1, QStringLiteral("127.0.0.1:1"));
    clients.addClient(2, QStringLiteral("127.0.0.1:2"));
    clients.updateStats(1, {a->name(), b->name()}, 10, 10);
    clients.updateStats(2, {a->name()}, 10, 10);
    QCOMPARE(count(a), 2);
    QCOMPARE(count(b), 1);
    clients.updateStats(2, {a->name()}, 20, 30); // only bytes: the counts stay
    QCOMPARE(count(a), 2);
    clients.removeClient(1);
    QCOMPARE(count(a), 1);
    QCOMPARE(count(b), 0);
    clients.clear();
    QCOMPARE(count(a), 0);
}

void TstInspectorModels::topicModelSwitchesEngines()
{
    auto first = std::make_unique<Engine>();
    Engine second;
    first->addTopic<IntTopic>(QStringLiteral("plugin/first"), 1);
    second.addTopic<IntTopic>(QStringLiteral("plugin/second"), 2);
    second.createObject<Item>();
    TopicModel model(first.get());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(model.rowOf(QStringLiteral("plugin/first")) >= 0);
    first->topicAs<IntTopic>(QStringLiteral("plugin/first"))->add(1);
    model.setEngine(&second);
    QCOMPARE(modelNames(model), sortedTopicNames(second));
    QCOMPARE(model.rowOf(QStringLiteral("plugin/first")), -1);
    // Only the engine shown reaches the model; the other one may even go away.
    first->addTopic<IntTopic>(QStringLiteral("plugin/late"), 1);
    first.reset();
    processTurn();
    QCOMPARE(modelNames(model), sortedTopicNames(second));
    second.addTopic<IntTopic>(QStringLiteral("plugin/third"), 3);
    processTurn();
    QCOMPARE(modelNames(model), sortedTopicNames(second));
    model.setEngine(nullptr);
    QCOMPARE(model.rowCount(), 0);
}

void TstInspectorModels::attributeEntriesUnderRandomActivity()
{
    Engine engine;
    auto *item = engine.createObject<Item>();
    AttributeModel model(&engine);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setObjectId(item->id());
    QRandomGenerator rng(testSeed() + 4);
    const QModelIndex style = model.index(model.rowOf(QStringLiteral("style")), 0);
    const QModelIndex list = model.index(model.rowOf(QStringLiteral("list")), 0);
    for (int i = 0; i < 300; ++i) {
        const QString key = QStringLiteral("k%1").arg(rng.bounded(6));
        static_cast<void>(engine.tryTransition([&] {
            switch (rng.bounded(6)) {
            case 0:
                item->style->add(key, i);
                break;
            case 1:
                item->style->pop(key);
                break;
            case 2:
                item->style->changeValue(key, QJsonArray{i});
                break;
            case 3:
                item->list->insert(qint64(rng.bounded(quint32(item->list->size() + 1))), i);
                break;
            case 4:
                item->list->pop();
                break;
            default:
                item->style->set(QJsonObject{{key, i}});
            }
        }));
        if (rng.bounded(2) == 0)
            continue;
        processTurn();
        QCOMPARE(model.rowCount(style), int(item->style->size()));
        for (int r = 0; r < model.rowCount(style); ++r) {
            const QString k = model.index(r, AttributeModel::NameColumn, style).data().toString();
            QCOMPARE(k, item->style->keys().at(r));
            QCOMPARE(model.index(r, AttributeModel::ValueColumn, style).data(Qt::EditRole),
                     QVariant(jsontext::compact(item->style->value(k))));
        }
        QCOMPARE(model.rowCount(list), int(item->list->size()));
        for (int r = 0; r < model.rowCount(list); ++r)
            QCOMPARE(model.index(r, AttributeModel::ValueColumn, list).data(Qt::EditRole),
                     QVariant(jsontext::compact(item->list->at(r))));
    }
}

void TstInspectorModels::attributeEntryEditsAreFineGrained()
{
    Engine engine;
    auto *item = engine.createObject<Item>();
    AttributeModel model(&engine);
    model.setObjectId(item->id());
    QSignalSpy committed(&engine, &Engine::transitionCommitted);
    const auto lastChanges = [&] {
        return qvariant_cast<TransitionPtr>(committed.last().at(0))->changes;
    };
    const QModelIndex style = model.index(model.rowOf(QStringLiteral("style")), 0);
    const QModelIndex list = model.index(model.rowOf(QStringLiteral("list")), 0);
    QCOMPARE(model.rowCount(style), 1);
    const QModelIndex color = model.index(0, AttributeModel::ValueColumn, style);
    QVERIFY(color.data(AttributeModel::EntryRole).toBool());
    QVERIFY(color.flags() & Qt::ItemIsEditable);

    // Editing one dict entry: exactly one change_value.
    QVERIFY(model.setData(color, QStringLiteral("\"blue\"")));
    QCOMPARE(committed.count(), 1);
    QCOMPARE(lastChanges().size(), 1);
    QCOMPARE(lastChanges().first().type, ChangeType::ChangeValue);
    QCOMPARE(lastChanges().first().key, QStringLiteral("color"));
    QCOMPARE(item->style->value(QStringLiteral("color")).toString(), QStringLiteral("blue"));
    // Adding and removing one: add, pop.
    QVERIFY(model.addEntry(style, QStringLiteral("size"), QStringLiteral("3")));
    QCOMPARE(lastChanges().size(), 1);
    QCOMPARE(lastChanges().first().type, ChangeType::Add);
    processTurn();
    QCOMPARE(model.rowCount(style), 2);
    QVERIFY(model.removeEntry(model.index(0, 0, style))); // "color"
    QCOMPARE(lastChanges().size(), 1);
    QCOMPARE(lastChanges().first().type, ChangeType::Pop);
    QCOMPARE(item->style->get(), (QJsonObject{{QStringLiteral("size"), 3}}));
    QVERIFY(!model.addEntry(style, QStringLiteral("size"), QStringLiteral("4"))); // taken

    // A list: append (an insert at the end), replace one item, pop one.
    QVERIFY(model.addEntry(list, QString(), QStringLiteral("{\"x\": 1}")));
    QCOMPARE(lastChanges().size(), 1);
    QCOMPARE(lastChanges().first().type, ChangeType::Insert);
    processTurn();
    QCOMPARE(model.rowCount(list), 3);
    QCOMPARE(model.index(2, 0, list).data().toString(), QStringLiteral("[2]"));
    QVERIFY(model.setData(model.index(1, AttributeModel::ValueColumn, list), QStringLiteral("7")));
    QCOMPARE(item->list->get(), (QJsonArray{1, 7, QJsonObject{{QStringLiteral("x"), 1}}}));
    for (const Change &c : lastChanges())
        QVERIFY(c.type != ChangeType::Set);
    QVERIFY(model.removeEntry(model.index(0, 0, list)));
    QCOMPARE(lastChanges().size(), 1);
    QCOMPARE(lastChanges().first().type, ChangeType::Pop);
    QCOMPARE(item->list->get(), (QJsonArray{7, QJsonObject{{QStringLiteral("x"), 1}}}));
    // Text that is not JSON changes nothing.
    const int before = int(committed.count());
    QVERIFY(!model.setData(model.index(0, AttributeModel::ValueColumn, list), QStringLiteral("{")));
    QCOMPARE(committed.count(), before);
}
