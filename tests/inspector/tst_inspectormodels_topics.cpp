// SPDX-License-Identifier: MIT
// The inspector's topics table against a live engine: checked by QAbstractItemModelTester
// while seeded random activity (objects, plugin topics added and removed) runs; edits, the
// read-only system topics, subscriber counts and switching engines.
#include "tst_inspectormodels.h"

#include "randomactivity.h"

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
    // The rows followed the topic list one by one, never by starting again.
    QVERIFY(inserted.count() > 0);
    QVERIFY(removed.count() > 0);
    QCOMPARE(reset.count(), 0);
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
