// SPDX-License-Identifier: MIT
// The inspector's table models against a live engine: the attribute table (checked by
// QAbstractItemModelTester while seeded random activity runs, edits and refused edits), the
// transition log's bounds, pause and summaries, and the clients table.
#include "tst_inspectormodels.h"

#include "randomactivity.h"

#include "attributemodel.h"
#include "clientmodel.h"
#include "jsontext.h"
#include "transitionlogmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

using namespace objectsync;
using namespace inspectortest;

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
            static_cast<void>(engine.tryTransition([&] { activity.edit(o); }));
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
    QVERIFY(engine.undo(item).ok());
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
    QVERIFY(engine.tryTransition([&] { item->count->set(7); }, 3, QStringLiteral("act-1")).ok());
    engine.moveObject(item, engine.root());
    QVERIFY(engine.undo().ok());
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
