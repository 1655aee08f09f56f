// SPDX-License-Identifier: MIT
// The SObject tree: creation, destruction, moves, tags, hooks, references, services, events.
#include "testtypes.h"

#include <QtTest>

using namespace objectsync;
using namespace testing;

namespace {

Change emitChange(const QString &topic, const QJsonObject &args)
{
    Change c;
    c.topicName = topic;
    c.topicType = TopicType::Event;
    c.type = ChangeType::Emit;
    c.value = args;
    return c;
}

Change parentChange(const SObject *o, const QString &newParent)
{
    Change c;
    c.topicName = QStringLiteral("parent_id/") + o->id();
    c.topicType = TopicType::String;
    c.type = ChangeType::Set;
    c.value = newParent;
    return c;
}

/*! A type whose build() fails. */
class BrokenObject : public SObject
{
    OBJECTSYNC_OBJECT(BrokenObject, "broken")
protected:
    void preBuild(const QJsonObject &) override { addAttribute<IntTopic>(QStringLiteral("n")); }
    void build(const QJsonObject &) override { throw Error(QStringLiteral("cannot build")); }
};

/*! A type whose onDestroy() records into a topic of the engine. */
class CountingObject : public SObject
{
    OBJECTSYNC_OBJECT(CountingObject, "counting")
protected:
    void onDestroy() override { engine()->topicAs<IntTopic>(QStringLiteral("destroyed"))->add(1); }
};

} // namespace

class TstObjects : public QObject
{
    Q_OBJECT
private slots:
    void init() { hookLog().clear(); }
    void readmeExample();
    void createByTypeName();
    void createRefusals();
    void failedBuildChangesNothing();
    void createObjectEvent();
    void createObjectEventRefusals();
    void destroySubtree();
    void destroyRefusals();
    void destroyObjectEvent();
    void onDestroyMayChangeTopics();
    void moveByParentId();
    void moveRefusals();
    void tags();
    void hooksOrderForNewObjects();
    void hooksOrderForRestoredObjects();
    void references();
    void perObjectServices();
    void eventsBehaviourAndSideEffects();
    void treeSignals();
    void destroyAndRecreateSameIdInOneTransition();
    void attributeApi();
};

void TstObjects::readmeExample()
{
    Engine engine;
    TransitionRecorder recorder(&engine);
    auto *text = engine.createObject<TextObject>();
    QVERIFY(text);
    QVERIFY(engine.hasType(QStringLiteral("TextObject")));
    QCOMPARE(recorder.count(), 1); // the creation is one transition
    text->text->set(QStringLiteral("Hello ObjectSync!"));
    text->style->add(QStringLiteral("font-size"), QStringLiteral("30px"));
    text->style->add(QStringLiteral("border"), QStringLiteral("5px solid black"));
    text->style->add(QStringLiteral("background-color"), QStringLiteral("yellow"));
    QCOMPARE(recorder.count(), 5);

    const QString id = text->id();
    QVERIFY(id.startsWith(QStringLiteral("0_")));
    QCOMPARE(text->frontendType(), QStringLiteral("text"));
    QCOMPARE(text->typeName(), QStringLiteral("TextObject"));
    QCOMPARE(text->parent(), engine.root());
    QVERIFY(engine.root()->children().contains(text));
    QCOMPARE(engine.object(id), text);
    QCOMPARE(engine.objectAs<TextObject>(id), text);
    QCOMPARE(engine.topic(QStringLiteral("a/%1/text").arg(id))->value(),
             QJsonValue(QStringLiteral("Hello ObjectSync!")));
    QCOMPARE(engine.topic(QStringLiteral("a/%1/style").arg(id))->value(),
             QJsonValue(QJsonObject{{"font-size", "30px"},
                                    {"border", "5px solid black"},
                                    {"background-color", "yellow"}}));
    QCOMPARE(engine.topic(QStringLiteral("parent_id/%1").arg(id))->value(),
             QJsonValue(QStringLiteral("root")));
    QCOMPARE(engine.topic(QStringLiteral("tags/%1").arg(id))->value(), QJsonValue(QJsonArray()));
    QCOMPARE(engine.topic(QStringLiteral("_objects"))->value().toObject().value(id),
             QJsonValue(QStringLiteral("text")));
    QCOMPARE(engine.topic(QStringLiteral("_object_types"))->value().toObject().value(id),
             QJsonValue(QStringLiteral("TextObject")));
    const QJsonObject list =
        engine.topic(QStringLiteral("_topicsync/topic_list"))->value().toObject();
    QCOMPARE(
        list.value(QStringLiteral("a/%1/style").arg(id)).toObject().value(QStringLiteral("type")),
        QJsonValue(QStringLiteral("dict")));
    QCOMPARE(list.value(QStringLiteral("tags/%1").arg(id))
                 .toObject()
                 .value(QStringLiteral("is_stateful")),
             QJsonValue(false));

    // The creation transition: topics first, then the object goes live in _objects.
    const TransitionPtr creation = recorder.transitions.first();
    QCOMPARE(creation->changes.last().topicName, QStringLiteral("_objects"));
    QCOMPARE(creation->changes.last().key, id);
    QCOMPARE(creation->changes.first().key, QStringLiteral("parent_id/") + id);
}

void TstObjects::createByTypeName()
{
    Engine engine;
    engine.registerType<NodeObject>();
    QVERIFY_THROWS_EXCEPTION(Error, engine.registerType<NodeObject>());
    QVERIFY(engine.typeNames().contains(QStringLiteral("NodeObject")));
    QCOMPARE(engine.objectType(QStringLiteral("NodeObject"))->frontendType, QStringLiteral("node"));
    SObject *a = engine.createObject(QStringLiteral("NodeObject"), nullptr, QStringLiteral("a"));
    SObject *b = engine.createObject(QStringLiteral("NodeObject"), a, QStringLiteral("b"),
                                     {{"children", 2}});
    QCOMPARE(a->id(), QStringLiteral("a"));
    QCOMPARE(b->parent(), a);
    QCOMPARE(b->children().size(), 2);
    QVERIFY(b->children().at(0)->isDescendantOf(a));
    QVERIFY(!a->isDescendantOf(b));
    QCOMPARE(engine.objectCount(), 5);
    QVERIFY(engine.objectIds().contains(QStringLiteral("b")));
    QVERIFY(dynamic_cast<NodeObject *>(b));
    QVERIFY(engine.root()->isRoot());
    QVERIFY(!a->isRoot());
}

void TstObjects::createRefusals()
{
    Engine engine;
    engine.registerType<NodeObject>();
    engine.createObject(QStringLiteral("NodeObject"), nullptr, QStringLiteral("taken"));
    const QJsonObject before = snapshot(engine);
    TransitionRecorder recorder(&engine);
    QVERIFY_THROWS_EXCEPTION(Error, engine.createObject(QStringLiteral("Nope")));
    QVERIFY_THROWS_EXCEPTION(Error, engine.createObject(QStringLiteral("Root")));
    QVERIFY_THROWS_EXCEPTION(
        Error, engine.createObject(QStringLiteral("NodeObject"), nullptr, QStringLiteral("taken")));
    QVERIFY_THROWS_EXCEPTION(
        Error, engine.createObject(QStringLiteral("NodeObject"), nullptr, QStringLiteral("root")));
    QVERIFY_THROWS_EXCEPTION(
        Error, engine.createObject(QStringLiteral("NodeObject"), nullptr, QStringLiteral("a/b")));
    QVERIFY_THROWS_EXCEPTION(Error, engine.createObject(QStringLiteral("NodeObject"), nullptr,
                                                        QString(200, QLatin1Char('x'))));
    QVERIFY_THROWS_EXCEPTION(Error, engine.registerType(ObjectType{QStringLiteral("x"), {}, {}}));
    QCOMPARE(snapshot(engine), before);
    QCOMPARE(recorder.count(), 0);
    QCOMPARE(engine.objectCount(), 2);
}

void TstObjects::failedBuildChangesNothing()
{
    Engine engine;
    const QJsonObject before = snapshot(engine);
    TransitionRecorder recorder(&engine);
    QVERIFY_THROWS_EXCEPTION(Error, engine.createObject<BrokenObject>());
    QCOMPARE(snapshot(engine), before);
    QCOMPARE(recorder.count(), 0);
    QCOMPARE(engine.objectCount(), 1);
    QVERIFY(engine.root()->children().isEmpty());
}

void TstObjects::createObjectEvent()
{
    Engine engine;
    engine.registerType<NodeObject>();
    TransitionRecorder recorder(&engine);
    engine.applyChange(emitChange(QStringLiteral("create_object"),
                                  {{"type", "NodeObject"},
                                   {"parent_id", "root"},
                                   {"id", "1_1"},
                                   {"build_kwargs", QJsonObject{{"children", 1}}}}));
    auto *o = engine.objectAs<NodeObject>(QStringLiteral("1_1"));
    QVERIFY(o);
    QCOMPARE(o->children().size(), 1);
    QCOMPARE(recorder.count(), 1);
    QCOMPARE(recorder.last()->changes.first().topicName, QStringLiteral("create_object"));
    // Without an id the host makes one; the parent defaults to the root.
    engine.applyChange(emitChange(QStringLiteral("create_object"), {{"type", "NodeObject"}}));
    QCOMPARE(engine.root()->children().size(), 2);
    // From serialized data.
    const QJsonObject data = engine.serialize(o->children().first()); // a leaf
    engine.applyChange(emitChange(
        QStringLiteral("create_object"),
        {{"type", "NodeObject"}, {"parent_id", "1_1"}, {"id", "copy"}, {"serialized", data}}));
    QVERIFY(engine.object(QStringLiteral("copy")));
    QCOMPARE(engine.object(QStringLiteral("copy"))->parent(), o);
    // Undo removes what the event built, redo builds it again from the record.
    const int before = int(hookLog().count(QStringLiteral("build:1_1")));
    QCOMPARE(engine.undo().errorMessage(), QString());
    QVERIFY(!engine.object(QStringLiteral("copy")));
    QCOMPARE(engine.undo().errorMessage(), QString());
    QCOMPARE(engine.undo().errorMessage(), QString());
    QVERIFY(!engine.object(QStringLiteral("1_1")));
    QCOMPARE(engine.redo().errorMessage(), QString());
    QVERIFY(engine.objectAs<NodeObject>(QStringLiteral("1_1")));
    QCOMPARE(engine.object(QStringLiteral("1_1"))->children().size(), 1);
    QCOMPARE(int(hookLog().count(QStringLiteral("build:1_1"))), before);
}

void TstObjects::createObjectEventRefusals()
{
    Engine engine;
    engine.registerType<NodeObject>();
    const QJsonObject before = snapshot(engine);
    TransitionRecorder recorder(&engine);
    QVERIFY_THROWS_EXCEPTION(
        Error, engine.applyChange(emitChange(QStringLiteral("create_object"), {{"type", "Nope"}})));
    QVERIFY_THROWS_EXCEPTION(
        Error, engine.applyChange(emitChange(QStringLiteral("create_object"),
                                             {{"type", "NodeObject"}, {"parent_id", "missing"}})));
    QVERIFY_THROWS_EXCEPTION(
        Error, engine.applyChange(emitChange(QStringLiteral("create_object"),
                                             {{"type", "NodeObject"}, {"id", "root"}})));
    QVERIFY_THROWS_EXCEPTION(
        Error, engine.applyChange(
                   emitChange(QStringLiteral("create_object"),
                              {{"type", "NodeObject"}, {"serialized", QJsonObject{{"type", 5}}}})));
    QCOMPARE(snapshot(engine), before);
    QCOMPARE(recorder.count(), 0);
}

void TstObjects::destroySubtree()
{
    Engine engine;
    auto *a = engine.createObject<NodeObject>(nullptr, QStringLiteral("a"), {{"children", 2}});
    SObject *child = a->children().first();
    engine.createObject<NodeObject>(child, QStringLiteral("grandchild"));
    auto *keep = engine.createObject<NodeObject>(nullptr, QStringLiteral("keep"));
    QCOMPARE(engine.objectCount(), 6);
    const qsizetype topicsBefore = engine.topicCount();
    engine.destroyObject(a);
    QCOMPARE(engine.objectCount(), 2);
    QVERIFY(!engine.object(QStringLiteral("a")));
    QVERIFY(!engine.object(QStringLiteral("grandchild")));
    QCOMPARE(engine.object(QStringLiteral("keep")), keep);
    QCOMPARE(engine.root()->children(), (QList<SObject *>{keep}));
    QVERIFY(!engine.topic(QStringLiteral("a/a/count")));
    QVERIFY(!engine.topic(QStringLiteral("parent_id/grandchild")));
    QVERIFY(!engine.topic(QStringLiteral("tags/a")));
    QVERIFY(engine.topicCount() < topicsBefore);
    const QJsonObject objects = engine.topic(QStringLiteral("_objects"))->value().toObject();
    QCOMPARE(objects.keys(), (QStringList{"keep", "root"}));
    QCOMPARE(engine.topic(QStringLiteral("_object_types"))->value().toObject().keys(),
             (QStringList{"keep", "root"}));
    // Descendants go first (onDestroy order).
    const qsizetype g = hookLog().indexOf(QStringLiteral("destroy:grandchild"));
    const qsizetype p = hookLog().indexOf(QStringLiteral("destroy:a"));
    QVERIFY(g >= 0 && p > g);
}

void TstObjects::destroyRefusals()
{
    Engine engine;
    QVERIFY_THROWS_EXCEPTION(Error, engine.destroyObject(engine.root()));
    QVERIFY_THROWS_EXCEPTION(Error, engine.destroyObject(nullptr));
    Engine other;
    SObject *foreign = other.createObject<NodeObject>();
    QVERIFY_THROWS_EXCEPTION(Error, engine.destroyObject(foreign));
    QVERIFY_THROWS_EXCEPTION(Error, engine.moveObject(foreign, engine.root()));
    QVERIFY(other.object(foreign->id()));
    QVERIFY_THROWS_EXCEPTION(
        Error, engine.applyChange(emitChange(QStringLiteral("destroy_object"), {{"id", "root"}})));
    QVERIFY_THROWS_EXCEPTION(Error, engine.applyChange(emitChange(QStringLiteral("destroy_object"),
                                                                  {{"id", "missing"}})));
    // The objects dict cannot lose the root or a parent before its children.
    auto *a = engine.createObject<NodeObject>(nullptr, QStringLiteral("a"), {{"children", 1}});
    const QJsonObject before = snapshot(engine);
    Change pop;
    pop.topicName = QStringLiteral("_objects");
    pop.topicType = TopicType::Dict;
    pop.type = ChangeType::Pop;
    pop.key = QStringLiteral("root");
    QVERIFY_THROWS_EXCEPTION(Error, engine.applyChange(pop));
    pop.key = QStringLiteral("a");
    QVERIFY_THROWS_EXCEPTION(Error, engine.applyChange(pop));
    QCOMPARE(snapshot(engine), before);
    QCOMPARE(engine.object(QStringLiteral("a")), a);
    QCOMPARE(engine.root()->children().size(), 1);
}

void TstObjects::destroyObjectEvent()
{
    Engine engine;
    auto *a = engine.createObject<NodeObject>(nullptr, QStringLiteral("a"), {{"children", 2}});
    Q_UNUSED(a);
    TransitionRecorder recorder(&engine);
    engine.applyChange(emitChange(QStringLiteral("destroy_object"), {{"id", "a"}}));
    QCOMPARE(engine.objectCount(), 1);
    QCOMPARE(recorder.count(), 1);
    QCOMPARE(engine.undo().errorMessage(), QString());
    QCOMPARE(engine.objectCount(), 4);
    QCOMPARE(engine.object(QStringLiteral("a"))->children().size(), 2);
}

void TstObjects::onDestroyMayChangeTopics()
{
    Engine engine;
    auto *destroyed = engine.addTopic<IntTopic>(QStringLiteral("destroyed"));
    SObject *parent = engine.createObject<CountingObject>();
    engine.createObject<CountingObject>(parent);
    engine.createObject<CountingObject>(parent);
    TransitionRecorder recorder(&engine);
    engine.destroyObject(parent);
    QCOMPARE(destroyed->get(), 3);
    QCOMPARE(recorder.count(), 1);
    QCOMPARE(engine.undo().errorMessage(), QString());
    QCOMPARE(destroyed->get(), 0); // recorded, so undo reverts it
    QCOMPARE(engine.objectCount(), 4);
}

void TstObjects::moveByParentId()
{
    Engine engine;
    auto *a = engine.createObject<NodeObject>(nullptr, QStringLiteral("a"));
    auto *b = engine.createObject<NodeObject>(nullptr, QStringLiteral("b"));
    auto *c = engine.createObject<NodeObject>(a, QStringLiteral("c"));
    QList<std::pair<SObject *, SObject *>> moved;
    connect(&engine, &Engine::objectMoved, this,
            [&](SObject *o, SObject *oldParent) { moved.append(std::make_pair(o, oldParent)); });
    engine.applyChange(parentChange(c, QStringLiteral("b")));
    QCOMPARE(c->parent(), b);
    QVERIFY(a->children().isEmpty());
    QCOMPARE(b->children(), (QList<SObject *>{c}));
    QCOMPARE(c->parentIdTopic()->get(), QStringLiteral("b"));
    QCOMPARE(moved.size(), 1);
    QCOMPARE(moved.first().first, c);
    QCOMPARE(moved.first().second, a);
    engine.moveObject(c, a);
    QCOMPARE(c->parent(), a);
    c->setParent(engine.root());
    QCOMPARE(c->parent(), engine.root());
    QCOMPARE(engine.undo().errorMessage(), QString());
    QCOMPARE(c->parent(), a);
    QCOMPARE(engine.undo().errorMessage(), QString());
    QCOMPARE(c->parent(), b);
}

void TstObjects::moveRefusals()
{
    Engine engine;
    auto *a = engine.createObject<NodeObject>(nullptr, QStringLiteral("a"));
    auto *b = engine.createObject<NodeObject>(a, QStringLiteral("b"));
    auto *c = engine.createObject<NodeObject>(b, QStringLiteral("c"));
    const QJsonObject before = snapshot(engine);
    TransitionRecorder recorder(&engine);
    QVERIFY_THROWS_EXCEPTION(Error, engine.moveObject(a, c)); // into its own subtree
    QVERIFY_THROWS_EXCEPTION(Error, engine.moveObject(a, a)); // into itself
    QVERIFY_THROWS_EXCEPTION(Error, engine.moveObject(engine.root(), a));
    QVERIFY_THROWS_EXCEPTION(Error, engine.applyChange(parentChange(b, QStringLiteral("missing"))));
    QVERIFY_THROWS_EXCEPTION(Error, engine.applyChange(parentChange(b, QString())));
    Change notString = parentChange(b, QString());
    notString.value = 5;
    QVERIFY_THROWS_EXCEPTION(Error, engine.applyChange(notString));
    Change insert = parentChange(b, QString());
    insert.type = ChangeType::Insert;
    insert.text = QStringLiteral("x");
    QVERIFY_THROWS_EXCEPTION(Error, engine.applyChange(insert));
    QCOMPARE(snapshot(engine), before);
    QCOMPARE(recorder.count(), 0);
    QCOMPARE(c->parent(), b);
}

void TstObjects::tags()
{
    Engine engine;
    auto *a = engine.createObject<NodeObject>();
    a->addTag(QStringLiteral("selected"));
    a->addTag(QStringLiteral("selected")); // once only
    a->addTag(QStringLiteral("big"));
    QVERIFY(a->hasTag(QStringLiteral("selected")));
    QCOMPARE(a->tagsTopic()->get(), (QJsonArray{"selected", "big"}));
    a->removeTag(QStringLiteral("selected"));
    a->removeTag(QStringLiteral("selected"));
    QVERIFY(!a->hasTag(QStringLiteral("selected")));
    QVERIFY(!a->tagsTopic()->isStateful());
    // Tags are not stateful: undo skips them and goes to the creation.
    const QString id = a->id();
    QCOMPARE(engine.undo().errorMessage(), QString());
    QVERIFY(!engine.object(id));
}

void TstObjects::hooksOrderForNewObjects()
{
    Engine engine;
    auto *a = engine.createObject<NodeObject>(nullptr, QStringLiteral("a"), {{"children", 2}});
    const QString c0 = a->children().at(0)->id();
    const QString c1 = a->children().at(1)->id();
    // init() runs parents first, as for restored objects.
    QCOMPARE(hookLog(),
             (QStringList{"preBuild:a", "build:a", "preBuild:" + c0, "build:" + c0,
                          "preBuild:" + c1, "build:" + c1, "init:a", "init:" + c0, "init:" + c1}));
    // init() ran once the whole subtree existed.
    QCOMPARE(a->childrenSeenByInit, 2);
    hookLog().clear();
    engine.destroyObject(a);
    QCOMPARE(hookLog(), (QStringList{"destroy:" + c1, "destroy:" + c0, "destroy:a"}));
}

void TstObjects::hooksOrderForRestoredObjects()
{
    Engine engine;
    auto *a = engine.createObject<NodeObject>(nullptr, QStringLiteral("a"), {{"children", 1}});
    const QString c0 = a->children().at(0)->id();
    engine.destroyObject(a);
    hookLog().clear();
    QCOMPARE(engine.undo().errorMessage(), QString()); // restores the subtree: no build()
    QCOMPARE(hookLog(), (QStringList{"preBuild:a", "preBuild:" + c0, "init:a", "init:" + c0}));
    QCOMPARE(engine.objectAs<NodeObject>(QStringLiteral("a"))->childrenSeenByInit, 1);
    hookLog().clear();
    QCOMPARE(engine.undo().errorMessage(), QString()); // undo of the creation: no onDestroy on undo
    QVERIFY(hookLog().isEmpty());
    QVERIFY(!engine.object(QStringLiteral("a")));
    QCOMPARE(engine.redo().errorMessage(),
             QString()); // the creation again, from the record: no build()
    QCOMPARE(hookLog(), (QStringList{"preBuild:a", "preBuild:" + c0, "init:a", "init:" + c0}));
}

void TstObjects::references()
{
    Engine engine;
    auto *a = engine.createObject<NodeObject>(nullptr, QStringLiteral("a"));
    auto *b = engine.createObject<NodeObject>(nullptr, QStringLiteral("b"));
    auto *c = engine.createObject<NodeObject>(nullptr, QStringLiteral("c"));
    QCOMPARE(a->ref.get(), nullptr);
    a->ref.set(b);
    QCOMPARE(a->ref.get(), b);
    QCOMPARE(a->ref.getAs<NodeObject>(), b);
    QVERIFY(a->ref.topic()->isReference());
    QVERIFY(!a->label->isReference());
    a->refList.append(b);
    a->refList.insert(0, c);
    a->refList.append(b);
    QCOMPARE(a->refList.objects(), (QList<SObject *>{c, b, b}));
    a->refList.pop(0);
    QCOMPARE(a->refList.objects(), (QList<SObject *>{b, b}));
    a->refSet.add(b);
    a->refSet.add(c);
    QVERIFY(a->refSet.contains(c));
    QVERIFY_THROWS_EXCEPTION(Error, a->refSet.add(c));
    a->refSet.remove(b);
    QCOMPARE(a->refSet.objects(), (QList<SObject *>{c}));
    a->refDict.add(QStringLiteral("first"), b);
    a->refDict.add(QStringLiteral("second"), c);
    a->refDict.changeValue(QStringLiteral("first"), c);
    QCOMPARE(a->refDict.get(QStringLiteral("first")), c);
    a->refDict.pop(QStringLiteral("second"));
    QCOMPARE(a->refDict.get(QStringLiteral("second")), nullptr);
    // References resolve to live objects only.
    a->ref.set(b);
    engine.destroyObject(b);
    QCOMPARE(a->ref.get(), nullptr);
    QCOMPARE(a->refList.objects(), QList<SObject *>{});
    QCOMPARE(engine.undo().errorMessage(), QString());
    SObject *b2 = engine.object(QStringLiteral("b"));
    QVERIFY(b2);
    QCOMPARE(a->ref.get(), b2);
    a->ref.set(nullptr);
    QCOMPARE(a->ref.topic()->get(), QString());
}

void TstObjects::perObjectServices()
{
    Engine engine;
    auto *a = engine.createObject<NodeObject>(nullptr, QStringLiteral("a"));
    a->count->set(1);
    QVERIFY(engine.hasService(QStringLiteral("a/twice")));
    QCOMPARE(engine.callService(QStringLiteral("a/twice"), {{"v", 5}}), QJsonValue(11));
    QCOMPARE(a->callService(QStringLiteral("twice"), {{"v", 1}}), QJsonValue(3));
    engine.destroyObject(a);
    QVERIFY(!engine.hasService(QStringLiteral("a/twice")));
    QVERIFY_THROWS_EXCEPTION(Error, engine.callService(QStringLiteral("a/twice"), {}));
    QCOMPARE(engine.undo().errorMessage(), QString());
    QCOMPARE(engine.callService(QStringLiteral("a/twice"), {{"v", 5}}), QJsonValue(11));
}

void TstObjects::eventsBehaviourAndSideEffects()
{
    Engine engine;
    auto *a = engine.createObject<NodeObject>();
    // A behaviour handler: its changes join the emit's transition and are recorded.
    TransitionRecorder recorder(&engine);
    a->ping->emitEvent({{"n", 5}});
    QCOMPARE(a->count->get(), 5);
    QCOMPARE(recorder.last()->changes.size(), 2);
    QCOMPARE(recorder.last()->changes.first().type, ChangeType::Emit);
    QCOMPARE(engine.undo().errorMessage(), QString());
    QCOMPARE(a->count->get(), 0);
    QCOMPARE(recorder.last()->changes.last().type, ChangeType::ReversedEmit);
    QCOMPARE(engine.redo().errorMessage(), QString());
    QCOMPARE(a->count->get(), 5);

    // A reversible side effect: forward on emit and redo, inverse on undo.
    QStringList effects;
    auto *bell = engine.addTopic<EventTopic>(QStringLiteral("bell"));
    const ListenerId id = bell->on(
        [&](const QJsonObject &args) {
            effects.append(QStringLiteral("ring ") + args.value(QStringLiteral("k")).toString());
        },
        [&](const QJsonObject &args) {
            effects.append(QStringLiteral("unring ") + args.value(QStringLiteral("k")).toString());
        });
    bell->emitEvent({{"k", "x"}});
    QCOMPARE(engine.undo().errorMessage(), QString());
    QCOMPARE(engine.redo().errorMessage(), QString());
    QCOMPARE(effects, (QStringList{"ring x", "unring x", "ring x"}));
    bell->off(id);
    bell->emitEvent();
    QCOMPARE(effects.size(), 3);
    // A side effect may not change topics on undo.
    bell->on([](const QJsonObject &) {}, [&](const QJsonObject &) { a->count->set(0); });
    bell->emitEvent();
    QVERIFY(!engine.undo().ok());
    QCOMPARE(a->count->get(), 5);
}

void TstObjects::treeSignals()
{
    Engine engine;
    QList<QString> created;
    QList<QString> destroyed;
    connect(&engine, &Engine::objectCreated, this, [&](SObject *o) { created.append(o->id()); });
    connect(&engine, &Engine::objectAboutToBeDestroyed, this,
            [&](SObject *o) { destroyed.append(o->id()); });
    auto *a = engine.createObject<NodeObject>(nullptr, QStringLiteral("a"), {{"children", 1}});
    QCOMPARE(created.size(), 2);
    QCOMPARE(created.first(), QStringLiteral("a"));
    engine.destroyObject(a);
    QCOMPARE(destroyed.size(), 2);
    QCOMPARE(destroyed.last(), QStringLiteral("a"));
}

void TstObjects::destroyAndRecreateSameIdInOneTransition()
{
    Engine engine;
    engine.registerType<NodeObject>();
    engine.createObject<NodeObject>(nullptr, QStringLiteral("a"));
    const QString error =
        engine
            .tryTransition([&] {
                engine.applyChange(emitChange(QStringLiteral("destroy_object"), {{"id", "a"}}));
                engine.applyChange(emitChange(QStringLiteral("create_object"),
                                              {{"type", "NodeObject"}, {"id", "a"}}));
            })
            .errorMessage();
    QCOMPARE(error, QString());
    auto *a = engine.objectAs<NodeObject>(QStringLiteral("a"));
    QVERIFY(a);
    QCOMPARE(engine.callService(QStringLiteral("a/twice"), {{"v", 1}}), QJsonValue(2));
    QCOMPARE(engine.undo().errorMessage(), QString());
    QVERIFY(engine.object(QStringLiteral("a")));
    QCOMPARE(engine.callService(QStringLiteral("a/twice"), {{"v", 2}}), QJsonValue(4));
}

void TstObjects::attributeApi()
{
    Engine engine;
    auto *a = engine.createObject<NodeObject>(nullptr, QStringLiteral("a"));
    QCOMPARE(a->attributeNames(),
             (QStringList{"generic", "label", "count", "x", "flags", "items", "props", "ref",
                          "refList", "refSet", "refDict", "ping"}));
    QCOMPARE(a->attribute(QStringLiteral("count")), a->count);
    QCOMPARE(a->attributeAs<IntTopic>(QStringLiteral("count")), a->count);
    QCOMPARE(a->attributeAs<FloatTopic>(QStringLiteral("count")), nullptr);
    QCOMPARE(a->attribute(QStringLiteral("nope")), nullptr);
    QCOMPARE(a->attributeTopicName(QStringLiteral("x")), QStringLiteral("a/a/x"));
    QCOMPARE(a->label->get(), QStringLiteral("node"));
    QCOMPARE(a->x->get(), 0.5);
    QCOMPARE(a->engine(), &engine);
}

QTEST_GUILESS_MAIN(TstObjects)
#include "tst_objects.moc"
