// SPDX-License-Identifier: MIT
// Serializing subtrees and restoring them with the same ids or new ones.
#include "testtypes.h"

#include <QtTest>

using namespace objectsync;
using namespace testing;

namespace {

/*! A small tree: A{count 7, label}, children B and C; B refers to C (inside) and to E
 *  (outside); C's dict refers to A. */
struct Fixture
{
    Engine engine;
    NodeObject *a = nullptr;
    NodeObject *b = nullptr;
    NodeObject *c = nullptr;
    NodeObject *e = nullptr;

    Fixture()
    {
        engine.registerType<NodeObject>();
        e = engine.createObject<NodeObject>(nullptr, QStringLiteral("E"));
        a = engine.createObject<NodeObject>(nullptr, QStringLiteral("A"));
        b = engine.createObject<NodeObject>(a, QStringLiteral("B"));
        c = engine.createObject<NodeObject>(a, QStringLiteral("C"));
        a->count->set(7);
        a->label->set(QStringLiteral("the A"));
        a->items->append(QJsonObject{{"k", 1}});
        b->ref.set(c);
        b->refList.append(e);
        b->refList.append(c);
        b->refSet.add(c);
        c->refDict.add(QStringLiteral("up"), a);
        c->addTag(QStringLiteral("t"));
        c->x->set(1.25);
    }
};

} // namespace

class TstSerialization : public QObject
{
    Q_OBJECT
private slots:
    void init() { hookLog().clear(); }
    void shape();
    void roundTripKeep();
    void keepRefusesIdsInUse();
    void remapMakesACopy();
    void deserializeIsOneUndoableTransition();
    void restoredObjectsAreNotBuilt();
    void badDataChangesNothing_data();
    void badDataChangesNothing();
    void unknownAttributesAreIgnored();
};

void TstSerialization::shape()
{
    Fixture f;
    const QJsonObject a = f.engine.serialize(f.a);
    QCOMPARE(a.value(QStringLiteral("id")), QJsonValue(QStringLiteral("A")));
    QCOMPARE(a.value(QStringLiteral("type")), QJsonValue(QStringLiteral("NodeObject")));
    const QJsonObject attributes = a.value(QStringLiteral("attributes")).toObject();
    QCOMPARE(attributes.value(QStringLiteral("count")), QJsonValue(7));
    QCOMPARE(attributes.value(QStringLiteral("label")), QJsonValue(QStringLiteral("the A")));
    QVERIFY(!attributes.contains(QStringLiteral("ping"))); // events have no value
    QCOMPARE(attributes.size(), 11);
    const QJsonArray children = a.value(QStringLiteral("children")).toArray();
    QCOMPARE(children.size(), 2);
    QCOMPARE(children.at(1).toObject().value(QStringLiteral("tags")), QJsonValue(QJsonArray{"t"}));
    QCOMPARE(f.engine.serialize(nullptr), QJsonObject());
    QCOMPARE(f.engine.serialize(f.engine.root()).value(QStringLiteral("type")),
             QJsonValue(QStringLiteral("Root")));
}

void TstSerialization::roundTripKeep()
{
    Fixture f;
    const QJsonObject data = f.engine.serialize(f.a);
    const QJsonObject whole = f.engine.serialize(f.engine.root());
    const QJsonObject topics = snapshot(f.engine);
    f.engine.destroyObject(f.a);
    QVERIFY(!f.engine.object(QStringLiteral("B")));
    SObject *restored = f.engine.deserialize(data, nullptr, IdMode::Keep);
    QVERIFY(restored);
    QCOMPARE(restored->id(), QStringLiteral("A"));
    QCOMPARE(f.engine.serialize(restored), data);
    QCOMPARE(f.engine.serialize(f.engine.root()), whole);
    QCOMPARE(snapshot(f.engine), topics);
    auto *b = f.engine.objectAs<NodeObject>(QStringLiteral("B"));
    QCOMPARE(b->ref.get(), f.engine.object(QStringLiteral("C")));
    QCOMPARE(b->refList.objects().first(), f.e);
}

void TstSerialization::keepRefusesIdsInUse()
{
    Fixture f;
    const QJsonObject data = f.engine.serialize(f.a);
    const QJsonObject before = snapshot(f.engine);
    TransitionRecorder recorder(&f.engine);
    QVERIFY_THROWS_EXCEPTION(Error, f.engine.deserialize(data, f.e, IdMode::Keep));
    QCOMPARE(snapshot(f.engine), before);
    QCOMPARE(recorder.count(), 0);
    QCOMPARE(f.engine.objectCount(), 5);
}

void TstSerialization::remapMakesACopy()
{
    Fixture f;
    const QJsonObject data = f.engine.serialize(f.a);
    auto *copy = static_cast<NodeObject *>(f.engine.deserialize(data, f.e, IdMode::Remap));
    QVERIFY(copy);
    QVERIFY(copy != f.a);
    QVERIFY(copy->id() != QStringLiteral("A"));
    QCOMPARE(copy->parent(), f.e);
    QCOMPARE(copy->count->get(), 7);
    QCOMPARE(copy->items->get(), (QJsonArray{QJsonObject{{"k", 1}}}));
    QCOMPARE(copy->children().size(), 2);
    auto *b2 = static_cast<NodeObject *>(copy->children().at(0));
    auto *c2 = static_cast<NodeObject *>(copy->children().at(1));
    QVERIFY(b2->id() != QStringLiteral("B") && c2->id() != QStringLiteral("C"));
    // References inside the subtree point into the copy, those outside stay.
    QCOMPARE(b2->ref.get(), c2);
    QCOMPARE(b2->refList.objects(), (QList<SObject *>{f.e, c2}));
    QCOMPARE(b2->refSet.objects(), (QList<SObject *>{c2}));
    QCOMPARE(c2->refDict.get(QStringLiteral("up")), copy);
    QVERIFY(c2->hasTag(QStringLiteral("t")));
    QCOMPARE(c2->x->get(), 1.25);
    // Non-reference attributes keep their text even if it looks like an id.
    f.a->label->set(QStringLiteral("B"));
    auto *copy2 = static_cast<NodeObject *>(
        f.engine.deserialize(f.engine.serialize(f.a), nullptr, IdMode::Remap));
    QCOMPARE(copy2->label->get(), QStringLiteral("B"));
    // The originals are untouched.
    QCOMPARE(f.b->ref.get(), f.c);
    QCOMPARE(f.engine.objectCount(), 11);
}

void TstSerialization::deserializeIsOneUndoableTransition()
{
    Fixture f;
    const QJsonObject data = f.engine.serialize(f.a);
    const QJsonObject before = snapshot(f.engine);
    TransitionRecorder recorder(&f.engine);
    f.engine.deserialize(data, f.e, IdMode::Remap);
    QCOMPARE(recorder.count(), 1);
    QVERIFY(f.engine.canUndo(f.e));
    QCOMPARE(f.engine.undo(f.e).errorMessage(), QString());
    QCOMPARE(snapshot(f.engine), before);
}

void TstSerialization::restoredObjectsAreNotBuilt()
{
    Engine engine;
    auto *a = engine.createObject<NodeObject>(nullptr, QStringLiteral("A"), {{"children", 1}});
    const QJsonObject data = engine.serialize(a);
    hookLog().clear();
    SObject *copy = engine.deserialize(data, nullptr, IdMode::Remap);
    QCOMPARE(copy->children().size(), 1); // build() would have made another child
    const QString childId = copy->children().first()->id();
    QCOMPARE(hookLog(), (QStringList{"preBuild:" + copy->id(), "preBuild:" + childId,
                                     "init:" + copy->id(), "init:" + childId}));
}

void TstSerialization::badDataChangesNothing_data()
{
    QTest::addColumn<QJsonObject>("data");
    const QJsonObject good{{"id", "N"},
                           {"type", "NodeObject"},
                           {"attributes", QJsonObject{}},
                           {"tags", QJsonArray{}},
                           {"children", QJsonArray{}}};
    auto with = [&](const QString &key, const QJsonValue &v) {
        QJsonObject o = good;
        o.insert(key, v);
        return o;
    };
    QTest::newRow("type null") << with(QStringLiteral("type"), QJsonValue());
    QTest::newRow("type not a string") << with(QStringLiteral("type"), 5);
    QTest::newRow("unknown type") << with(QStringLiteral("type"), QStringLiteral("Nope"));
    QTest::newRow("root type") << with(QStringLiteral("type"), QStringLiteral("Root"));
    QTest::newRow("attributes not an object") << with(QStringLiteral("attributes"), QJsonArray{});
    QTest::newRow("wrong attribute type")
        << with(QStringLiteral("attributes"), QJsonObject{{"count", "seven"}});
    QTest::newRow("set attribute with duplicates")
        << with(QStringLiteral("attributes"), QJsonObject{{"flags", QJsonArray{1, 1}}});
    QTest::newRow("tags not an array") << with(QStringLiteral("tags"), QStringLiteral("t"));
    QTest::newRow("tags with duplicates") << with(QStringLiteral("tags"), QJsonArray{"t", "t"});
    QTest::newRow("children not an array") << with(QStringLiteral("children"), QJsonObject{});
    QTest::newRow("child not an object") << with(QStringLiteral("children"), QJsonArray{1});
    QTest::newRow("bad child") << with(QStringLiteral("children"),
                                       QJsonArray{QJsonObject{{"id", "M"}, {"type", "Nope"}}});
    QTest::newRow("id in use") << with(QStringLiteral("id"), QStringLiteral("root"));
    QTest::newRow("id with a slash") << with(QStringLiteral("id"), QStringLiteral("a/b"));
    QTest::newRow("duplicate ids") << with(
        QStringLiteral("children"), QJsonArray{QJsonObject{{"id", "N"}, {"type", "NodeObject"}}});
    QJsonObject deep = good;
    for (int i = 0; i < 300; ++i)
        deep = QJsonObject{{"type", "NodeObject"}, {"children", QJsonArray{deep}}};
    QTest::newRow("nested too deeply") << deep;
}

void TstSerialization::badDataChangesNothing()
{
    QFETCH(QJsonObject, data);
    Engine engine;
    engine.registerType<NodeObject>();
    engine.createObject<NodeObject>(nullptr, QStringLiteral("existing"));
    const QJsonObject before = snapshot(engine);
    TransitionRecorder recorder(&engine);
    QVERIFY_THROWS_EXCEPTION(Error, engine.deserialize(data, nullptr, IdMode::Keep));
    QCOMPARE(snapshot(engine), before);
    QCOMPARE(recorder.count(), 0);
    QCOMPARE(engine.objectCount(), 2);
    // With new ids, what was wrong with the ids themselves no longer matters.
    const QByteArray tag = QTest::currentDataTag();
    if (tag != "id in use" && tag != "duplicate ids" && tag != "id with a slash") {
        QVERIFY_THROWS_EXCEPTION(Error, engine.deserialize(data, nullptr, IdMode::Remap));
        QCOMPARE(snapshot(engine), before);
    }
}

void TstSerialization::unknownAttributesAreIgnored()
{
    Engine engine;
    engine.registerType<NodeObject>();
    const QJsonObject data{{"id", "N"},
                           {"type", "NodeObject"},
                           {"attributes", QJsonObject{{"count", 3}, {"extra", 1}}}};
    auto *n = static_cast<NodeObject *>(engine.deserialize(data, nullptr));
    QCOMPARE(n->count->get(), 3);
    QCOMPARE(n->label->get(), QStringLiteral("node")); // not in the data: the initial value
    QVERIFY(!engine.topic(QStringLiteral("a/N/extra")));
}

QTEST_GUILESS_MAIN(TstSerialization)
#include "tst_serialization.moc"
