// SPDX-License-Identifier: MIT
// Undo and redo per subtree: the lowest-common-ancestor rule, creation and destruction,
// bounded history.
#include "testtypes.h"

#include <QtTest>

using namespace objectsync;
using namespace testing;

class TstHistory : public QObject
{
    Q_OBJECT
private slots:
    void undoRedoAtRoot();
    void lowestCommonAncestorRule();
    void subtreeSeesOnlyItsOwn();
    void creationIsRecordedInTheParent();
    void undoCreateAndRedo();
    void undoDestroyRestoresWholeSubtree();
    void newChangeClearsRedo();
    void undoRedoAreAnnouncedNotRecorded();
    void failedUndoChangesNothing();
    void undoInsideTransitionIsRefused();
    void boundedHistory();
    void clearHistory();
    void deadScope();
};

void TstHistory::undoRedoAtRoot()
{
    Engine engine;
    QVERIFY(!engine.canUndo());
    QCOMPARE(engine.undo().errorMessage(), QStringLiteral("nothing to undo"));
    QCOMPARE(engine.redo().errorMessage(), QStringLiteral("nothing to redo"));
    auto *n = engine.addTopic<IntTopic>(QStringLiteral("n"));
    n->set(1);
    n->set(2);
    QVERIFY(engine.canUndo());
    QCOMPARE(engine.undo().errorMessage(), QString());
    QCOMPARE(n->get(), 1);
    QVERIFY(engine.canRedo());
    QCOMPARE(engine.undo().errorMessage(), QString());
    QCOMPARE(n->get(), 0);
    QCOMPARE(engine.undo().errorMessage(), QString()); // the topic's creation
    QVERIFY(!engine.topic(QStringLiteral("n")));
    QVERIFY(!engine.canUndo());
    QCOMPARE(engine.redo().errorMessage(), QString());
    n = engine.topicAs<IntTopic>(QStringLiteral("n"));
    QVERIFY(n);
    QCOMPARE(engine.redo().errorMessage(), QString());
    QCOMPARE(engine.redo().errorMessage(), QString());
    QCOMPARE(n->get(), 2);
    QVERIFY(!engine.canRedo());
}

void TstHistory::lowestCommonAncestorRule()
{
    Engine engine;
    auto *a = engine.createObject<NodeObject>(nullptr, QStringLiteral("A"));
    auto *b = engine.createObject<NodeObject>(a, QStringLiteral("B"));
    auto *c = engine.createObject<NodeObject>(nullptr, QStringLiteral("C"));
    engine.clearHistory();
    QVERIFY(!engine.canUndo(a) && !engine.canUndo(b) && !engine.canUndo(c));

    b->count->set(1); // #1: B, A, root
    QVERIFY(engine.canUndo(b) && engine.canUndo(a) && engine.canUndo());
    QVERIFY(!engine.canUndo(c));
    c->count->set(2); // #2: C, root
    {
        auto t = engine.transaction(); // #3: touches B and C: root only
        b->x->set(3.5);
        c->x->set(4.5);
    }
    a->count->set(4); // #4: A, root

    // B's latest is #1 although the root's is #4.
    QCOMPARE(engine.undo(b).errorMessage(), QString());
    QCOMPARE(b->count->get(), 0);
    QCOMPARE(a->count->get(), 4);
    QCOMPARE(b->x->get(), 3.5);
    QVERIFY(!engine.canUndo(b));
    QCOMPARE(engine.undo(c).errorMessage(), QString()); // #2
    QCOMPARE(c->count->get(), 0);
    QCOMPARE(c->x->get(), 4.5);
    QCOMPARE(engine.undo(a).errorMessage(), QString()); // #4 (#1 is gone from A's history)
    QCOMPARE(a->count->get(), 0);
    QVERIFY(!engine.canUndo(a));
    QCOMPARE(engine.undo().errorMessage(), QString()); // #3 is all the root has left
    QCOMPARE(b->x->get(), 0.5);
    QCOMPARE(c->x->get(), 0.5);
    QVERIFY(!engine.canUndo());
    // Redo from the root walks them back in the order they were undone, latest first.
    QCOMPARE(engine.redo().errorMessage(), QString());
    QCOMPARE(b->x->get(), 3.5);
    QCOMPARE(engine.redo().errorMessage(), QString());
    QCOMPARE(a->count->get(), 4);
    QCOMPARE(engine.redo().errorMessage(), QString());
    QCOMPARE(c->count->get(), 2);
    QCOMPARE(engine.redo(b).errorMessage(), QString());
    QCOMPARE(b->count->get(), 1);
    QVERIFY(!engine.canRedo());
}

void TstHistory::subtreeSeesOnlyItsOwn()
{
    Engine engine;
    auto *a = engine.createObject<NodeObject>(nullptr, QStringLiteral("A"));
    auto *c = engine.createObject<NodeObject>(nullptr, QStringLiteral("C"));
    engine.clearHistory();
    a->count->set(1);
    const QJsonObject before = snapshot(engine);
    QCOMPARE(engine.undo(c).errorMessage(), QStringLiteral("nothing to undo"));
    QCOMPARE(snapshot(engine), before);
    // A move touches the object and both parents: it belongs to their common ancestor.
    auto *x = engine.createObject<NodeObject>(a, QStringLiteral("X"));
    engine.clearHistory();
    engine.moveObject(x, c);
    QVERIFY(!engine.canUndo(a));
    QVERIFY(!engine.canUndo(c));
    QVERIFY(!engine.canUndo(x));
    QVERIFY(engine.canUndo());
    QCOMPARE(engine.undo().errorMessage(), QString());
    QCOMPARE(x->parent(), a);
}

void TstHistory::creationIsRecordedInTheParent()
{
    Engine engine;
    auto *a = engine.createObject<NodeObject>(nullptr, QStringLiteral("A"));
    auto *c = engine.createObject<NodeObject>(nullptr, QStringLiteral("C"));
    engine.clearHistory();
    engine.createObject<NodeObject>(a, QStringLiteral("X"), {{"children", 2}});
    QVERIFY(engine.canUndo(a));
    QVERIFY(!engine.canUndo(c));
    QCOMPARE(engine.undo(a).errorMessage(), QString());
    QVERIFY(!engine.object(QStringLiteral("X")));
    QCOMPARE(engine.objectCount(), 3);
    QCOMPARE(engine.redo(a).errorMessage(), QString());
    QCOMPARE(engine.object(QStringLiteral("X"))->children().size(), 2);
    // Destroying it is recorded in the parent too.
    engine.destroyObject(engine.object(QStringLiteral("X")));
    QVERIFY(!engine.canUndo(c));
    QCOMPARE(engine.undo(a).errorMessage(), QString());
    QVERIFY(engine.object(QStringLiteral("X")));
}

void TstHistory::undoCreateAndRedo()
{
    Engine engine;
    TextObject *text = nullptr;
    {
        auto t = engine.transaction();
        text = engine.createObject<TextObject>(nullptr, QStringLiteral("t1"));
        text->text->set(QStringLiteral("Hello ObjectSync!"));
        text->style->add(QStringLiteral("font-size"), QStringLiteral("30px"));
    }
    const QJsonObject tree = engine.serialize(engine.object(QStringLiteral("t1")));
    const qsizetype topics = engine.topicCount();
    QCOMPARE(engine.undo().errorMessage(), QString());
    QVERIFY(!engine.object(QStringLiteral("t1")));
    QVERIFY(!engine.topic(QStringLiteral("a/t1/text")));
    QCOMPARE(engine.topicCount(), topics - 4);
    QCOMPARE(engine.redo().errorMessage(), QString());
    auto *again = engine.objectAs<TextObject>(QStringLiteral("t1"));
    QVERIFY(again);
    QCOMPARE(again->text->get(), QStringLiteral("Hello ObjectSync!"));
    QCOMPARE(engine.serialize(again), tree);
}

void TstHistory::undoDestroyRestoresWholeSubtree()
{
    Engine engine;
    auto *keep = engine.createObject<NodeObject>(nullptr, QStringLiteral("keep"));
    auto *a = engine.createObject<NodeObject>(nullptr, QStringLiteral("A"), {{"children", 2}});
    auto *b = static_cast<NodeObject *>(a->children().at(1));
    b->label->set(QStringLiteral("second child"));
    b->props->add(QStringLiteral("k"), QJsonArray{1, 2});
    b->addTag(QStringLiteral("tagged"));
    b->ref.set(keep);
    keep->ref.set(b);
    a->items->append(3);
    const QJsonObject tree = engine.serialize(engine.root());
    const QJsonObject before = snapshot(engine);

    engine.destroyObject(a);
    QCOMPARE(keep->ref.get(), nullptr);
    QCOMPARE(engine.undo().errorMessage(), QString());
    QCOMPARE(engine.serialize(engine.root()), tree);
    QCOMPARE(snapshot(engine), before);
    SObject *restored = keep->ref.get();
    QVERIFY(restored);
    QCOMPARE(static_cast<NodeObject *>(restored)->ref.get(), keep);
    QVERIFY(restored->hasTag(QStringLiteral("tagged")));
    QCOMPARE(engine.redo().errorMessage(), QString());
    QCOMPARE(engine.objectCount(), 2);
    QCOMPARE(engine.undo().errorMessage(), QString());
    QCOMPARE(engine.serialize(engine.root()), tree);
}

void TstHistory::newChangeClearsRedo()
{
    Engine engine;
    auto *n = engine.addTopic<IntTopic>(QStringLiteral("n"));
    n->set(1);
    QCOMPARE(engine.undo().errorMessage(), QString());
    QVERIFY(engine.canRedo());
    n->set(5);
    QVERIFY(!engine.canRedo());
    QCOMPARE(engine.redo().errorMessage(), QStringLiteral("nothing to redo"));
    QCOMPARE(n->get(), 5);
}

void TstHistory::undoRedoAreAnnouncedNotRecorded()
{
    Engine engine;
    auto *n = engine.addTopic<IntTopic>(QStringLiteral("n"));
    engine.clearHistory();
    n->set(1);
    TransitionRecorder recorder(&engine);
    QCOMPARE(engine.undo().errorMessage(), QString());
    QCOMPARE(recorder.count(), 1);
    QCOMPARE(recorder.last()->kind, TransitionKind::Undo);
    QCOMPARE(recorder.last()->changes.first().value, QJsonValue(0));
    QVERIFY(!engine.canUndo());
    engine.registerService(QStringLiteral("redo"), [&](const QJsonObject &) {
        return QJsonValue(engine.redo().errorMessage());
    });
    engine.callService(QStringLiteral("redo"), {}, 6);
    QCOMPARE(recorder.last()->kind, TransitionKind::Redo);
    QCOMPARE(recorder.last()->origin, 6);
    QCOMPARE(n->get(), 1);
    QVERIFY(!engine.canRedo());
    QVERIFY(engine.canUndo());
}

void TstHistory::failedUndoChangesNothing()
{
    Engine engine;
    auto *a = engine.createObject<NodeObject>(nullptr, QStringLiteral("A"));
    auto *b = engine.createObject<NodeObject>(a, QStringLiteral("B"));
    auto *c = engine.createObject<NodeObject>(nullptr, QStringLiteral("C"));
    engine.clearHistory();
    b->props->add(QStringLiteral("k"), 1); // A's history
    engine.moveObject(b, c);               // root's
    b->props->pop(QStringLiteral("k"));    // C's
    const QJsonObject before = snapshot(engine);
    TransitionRecorder recorder(&engine);
    const QString error = engine.undo(a).errorMessage(); // pop "k" again: it is gone
    QVERIFY(!error.isEmpty());
    QCOMPARE(snapshot(engine), before);
    QCOMPARE(recorder.count(), 0);
    QVERIFY(engine.canUndo(a)); // still there
    // In order from the root everything undoes cleanly.
    while (engine.canUndo())
        QCOMPARE(engine.undo().errorMessage(), QString());
    QCOMPARE(b->parent(), a);
    QVERIFY(!b->props->contains(QStringLiteral("k")));
}

void TstHistory::undoInsideTransitionIsRefused()
{
    Engine engine;
    auto *n = engine.addTopic<IntTopic>(QStringLiteral("n"));
    n->set(1);
    auto t = engine.transaction();
    QVERIFY(!engine.undo().ok());
    QVERIFY(!engine.redo().ok());
    t.commit();
    QCOMPARE(n->get(), 1);
}

void TstHistory::boundedHistory()
{
    Engine engine;
    auto *n = engine.addTopic<IntTopic>(QStringLiteral("n"));
    engine.setHistoryLimit(3);
    QCOMPARE(engine.historyLimit(), 3);
    for (int i = 1; i <= 5; ++i)
        n->set(i);
    int undone = 0;
    while (engine.canUndo()) {
        QCOMPARE(engine.undo().errorMessage(), QString());
        ++undone;
    }
    QCOMPARE(undone, 3);
    QCOMPARE(n->get(), 2);
    engine.setHistoryLimit(0);
    QCOMPARE(engine.historyLimit(), 1);
}

void TstHistory::clearHistory()
{
    Engine engine;
    auto *a = engine.createObject<NodeObject>(nullptr, QStringLiteral("A"));
    auto *b = engine.createObject<NodeObject>(a, QStringLiteral("B"));
    b->count->set(1);
    engine.clearHistory(a);
    QVERIFY(!engine.canUndo(a));
    QVERIFY(!engine.canUndo(b));
    QVERIFY(engine.canUndo()); // the root keeps its own
    engine.clearHistory();
    QVERIFY(!engine.canUndo());
    QCOMPARE(engine.undo().errorMessage(), QStringLiteral("nothing to undo"));
    QCOMPARE(b->count->get(), 1);
}

void TstHistory::deadScope()
{
    Engine engine;
    auto *a = engine.createObject<NodeObject>(nullptr, QStringLiteral("A"));
    a->count->set(1);
    engine.destroyObject(a);
    // a is freed now; its replacement after undo is a new object with its own history.
    QCOMPARE(engine.undo().errorMessage(), QString());
    SObject *a2 = engine.object(QStringLiteral("A"));
    QVERIFY(a2);
    QVERIFY(!engine.canUndo(a2));
    QCOMPARE(engine.undo().errorMessage(), QString());
    QCOMPARE(static_cast<NodeObject *>(a2)->count->get(), 0);
}

QTEST_GUILESS_MAIN(TstHistory)
#include "tst_history.moc"
