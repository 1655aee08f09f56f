// SPDX-License-Identifier: MIT
// Engine::replay(): applying another engine's transitions as plain changes.
#include "testtypes.h"

#include <QtTest>

using namespace objectsync;
using namespace testing;

namespace {

/*! A host engine and a replica that replays everything the host announces. */
struct Pair
{
    Engine host;
    Engine replica;
    TransitionRecorder hostLog{&host};
    TransitionRecorder replicaLog{&replica};

    Pair()
    {
        for (Engine *e : {&host, &replica}) {
            e->registerType<NodeObject>();
            e->registerType<TextObject>();
        }
    }
    void sync()
    {
        for (const TransitionPtr &t : std::as_const(hostLog.transitions))
            replica.replay(*t);
        hostLog.clear();
    }
    bool same() const
    {
        return host.serialize(host.root()) == replica.serialize(replica.root()) &&
               snapshot(host) == snapshot(replica);
    }
};

/*! A type only the host knows. */
class OtherObject : public SObject
{
    OBJECTSYNC_OBJECT(OtherObject, "other")
};

Change emitChange(const QString &topic, const QJsonObject &args)
{
    Change c;
    c.topicName = topic;
    c.topicType = TopicType::Event;
    c.type = ChangeType::Emit;
    c.value = args;
    return c;
}

} // namespace

class TstReplay : public QObject
{
    Q_OBJECT
private slots:
    void init() { hookLog().clear(); }
    void creationByEventIsNotRunTwice();
    void valuesAndStringVersionsFollow();
    void undoRedoReplayAsPlainChanges();
    void behavioursDoNotRunMirrorsDo();
    void announcedWithOriginAndKind();
    void notRecordedInHistory();
    void refusedReplayChangesNothing();
    void refusedInsideTransition();
    void unknownTypeIsRefused();
};

void TstReplay::creationByEventIsNotRunTwice()
{
    Pair p;
    p.host.applyChange(emitChange(
        QStringLiteral("create_object"),
        {{"type", "NodeObject"}, {"id", "1_1"}, {"build_kwargs", QJsonObject{{"children", 2}}}}));
    hookLog().clear();
    p.sync();
    QVERIFY(p.same());
    QCOMPARE(p.replica.objectCount(), 4);
    auto *o = p.replica.objectAs<NodeObject>(QStringLiteral("1_1"));
    QVERIFY(o);
    QCOMPARE(o->children().size(), 2);
    // Restored on the replica: preBuild and init, never build.
    QVERIFY(!hookLog().join(QLatin1Char(' ')).contains(QStringLiteral("build:1_1")));
    QVERIFY(hookLog().contains(QStringLiteral("init:1_1")));
    QCOMPARE(o->childrenSeenByInit, 2);
    // Destruction by event, replayed.
    p.host.applyChange(emitChange(QStringLiteral("destroy_object"), {{"id", "1_1"}}));
    p.sync();
    QVERIFY(p.same());
    QCOMPARE(p.replica.objectCount(), 1);
}

void TstReplay::valuesAndStringVersionsFollow()
{
    Pair p;
    auto *text = p.host.createObject<TextObject>(nullptr, QStringLiteral("t"));
    text->text->set(QStringLiteral("Hello"));
    text->text->insert(5, QStringLiteral(" ObjectSync!"));
    text->style->add(QStringLiteral("font-size"), QStringLiteral("30px"));
    p.sync();
    QVERIFY(p.same());
    auto *mirror = p.replica.objectAs<TextObject>(QStringLiteral("t"));
    QCOMPARE(mirror->text->get(), QStringLiteral("Hello ObjectSync!"));
    QCOMPARE(mirror->text->version(), text->text->version());
    // A transformed edit on the host arrives transformed, with its id.
    const QString old = text->text->version();
    text->text->insert(0, QStringLiteral(">"));
    Change late;
    late.topicName = text->text->name();
    late.topicType = TopicType::String;
    late.type = ChangeType::Insert;
    late.id = QStringLiteral("2_5");
    late.topicVersion = old;
    late.position = 5;
    late.text = QStringLiteral(",");
    p.host.applyChange(late);
    p.sync();
    QCOMPARE(mirror->text->get(), QStringLiteral(">Hello, ObjectSync!"));
    QCOMPARE(p.replicaLog.last()->changes.first().id, QStringLiteral("2_5_adjust"));
    QCOMPARE(mirror->text->version(), text->text->version());
}

void TstReplay::undoRedoReplayAsPlainChanges()
{
    Pair p;
    auto *a = p.host.createObject<NodeObject>(nullptr, QStringLiteral("A"), {{"children", 1}});
    a->count->set(3);
    a->ping->emitEvent({{"n", 2}});
    p.host.destroyObject(a);
    QCOMPARE(p.host.undo().errorMessage(), QString()); // destroy undone
    QCOMPARE(p.host.undo().errorMessage(), QString()); // ping undone
    QCOMPARE(p.host.redo().errorMessage(), QString()); // ping again
    QCOMPARE(p.host.undo().errorMessage(), QString());
    QCOMPARE(p.host.undo().errorMessage(), QString()); // count
    QCOMPARE(p.host.undo().errorMessage(), QString()); // creation
    QCOMPARE(p.host.redo().errorMessage(), QString());
    p.sync();
    QVERIFY(p.same());
    QCOMPARE(p.replica.objectAs<NodeObject>(QStringLiteral("A"))->count->get(), 0);
}

void TstReplay::behavioursDoNotRunMirrorsDo()
{
    Pair p;
    auto *a = p.host.addTopic<IntTopic>(QStringLiteral("a"));
    auto *b = p.host.addTopic<IntTopic>(QStringLiteral("b"));
    a->addListener([&](const Change &c) { b->set(c.value.toInteger() * 10); });
    p.sync();
    int behaviourCalls = 0;
    int mirrorCalls = 0;
    auto *ra = p.replica.topicAs<IntTopic>(QStringLiteral("a"));
    auto *rb = p.replica.topicAs<IntTopic>(QStringLiteral("b"));
    ra->addListener([&](const Change &) {
        ++behaviourCalls;
        rb->add(1); // would diverge from the host if it ran
    });
    ra->addListener([&](const Change &) { ++mirrorCalls; }, ListenerKind::Mirror);
    a->set(4);
    p.sync();
    QVERIFY(p.same());
    QCOMPARE(rb->get(), 40);
    QCOMPARE(behaviourCalls, 0);
    QCOMPARE(mirrorCalls, 1);
}

void TstReplay::announcedWithOriginAndKind()
{
    Pair p;
    auto *n = p.host.addTopic<IntTopic>(QStringLiteral("n"));
    {
        auto t = p.host.transaction(7, QStringLiteral("act"));
        n->set(1);
    }
    QVERIFY(p.host.undo().ok());
    p.sync();
    QCOMPARE(p.replicaLog.count(), 3);
    const TransitionPtr forward = p.replicaLog.transitions.at(1);
    QCOMPARE(forward->origin, 7);
    QCOMPARE(forward->actionId, QStringLiteral("act"));
    QCOMPARE(forward->kind, TransitionKind::Forward);
    QCOMPARE(p.replicaLog.last()->kind, TransitionKind::Undo);
    QCOMPARE(p.replicaLog.last()->sequence, forward->sequence + 1);
}

void TstReplay::notRecordedInHistory()
{
    Pair p;
    p.host.createObject<NodeObject>();
    p.sync();
    QVERIFY(!p.replica.canUndo());
}

void TstReplay::refusedReplayChangesNothing()
{
    Pair p;
    auto *n = p.host.addTopic<IntTopic>(QStringLiteral("n"));
    p.sync();
    n->set(5);
    Transition bad = *p.hostLog.last();
    Change broken;
    broken.topicName = QStringLiteral("missing");
    broken.topicType = TopicType::Int;
    broken.type = ChangeType::Set;
    broken.value = 1;
    bad.changes.append(broken);
    const QJsonObject before = snapshot(p.replica);
    QVERIFY_THROWS_EXCEPTION(Error, p.replica.replay(bad));
    QCOMPARE(snapshot(p.replica), before);
    QCOMPARE(p.replicaLog.count(), 1);
    p.sync(); // the good one still applies
    QCOMPARE(p.replica.topicAs<IntTopic>(QStringLiteral("n"))->get(), 5);
}

void TstReplay::refusedInsideTransition()
{
    Pair p;
    p.host.addTopic<IntTopic>(QStringLiteral("n"));
    auto t = p.replica.transaction();
    QVERIFY_THROWS_EXCEPTION(Error, p.replica.replay(*p.hostLog.last()));
    t.commit();
    QVERIFY(!p.replica.topic(QStringLiteral("n")));
}

void TstReplay::unknownTypeIsRefused()
{
    Pair p;
    Engine other;
    TransitionRecorder otherLog(&other);
    other.createObject<OtherObject>(); // a type the replica does not know
    const QJsonObject before = snapshot(p.replica);
    QVERIFY_THROWS_EXCEPTION(Error, p.replica.replay(*otherLog.last()));
    QCOMPARE(snapshot(p.replica), before);
    QCOMPARE(p.replica.objectCount(), 1);
}

QTEST_GUILESS_MAIN(TstReplay)
#include "tst_replay.moc"
