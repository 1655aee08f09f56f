// SPDX-License-Identifier: MIT
// Transitions: grouping, nesting, all-or-nothing, listeners, tasks after commit, origins.
#include "testtypes.h"

#include <QtTest>

#include <stdexcept>

using namespace objectsync;
using namespace testing;

class TstTransitions : public QObject
{
    Q_OBJECT
private slots:
    void announcementsStayInCommitOrder();
    void singleChangeIsOneTransition();
    void transactionGroupsChanges();
    void emptyTransactionAnnouncesNothing();
    void nestedScopesJoin();
    void innerRollbackFailsTheWhole();
    void exceptionLeavingInnerScopeFailsTheWhole();
    void explicitRollback();
    void tryTransition();
    void listenerThrowingRevertsEverything();
    void listenerFailureCaughtByCallerStillReverts();
    void behaviourChangesJoinAndAreUndone();
    void mirrorListenersRunForEverything();
    void mirrorListenerCannotChangeTopics();
    void removedListenerIsNotCalled();
    void afterCommitFormsNextTransition();
    void afterCommitDroppedOnRollback();
    void afterCommitOutsideTransitionRunsAtOnce();
    void slotMayStartNewTransition();
    void originAndServices();
    void revertRestoresTopicsAndObjectsInPlace();
    void revertKeepsChildOrder();
};

void TstTransitions::singleChangeIsOneTransition()
{
    Engine engine;
    auto *n = engine.addTopic<IntTopic>(QStringLiteral("n"));
    TransitionRecorder recorder(&engine);
    n->set(1);
    n->add(2);
    QCOMPARE(recorder.count(), 2);
    QCOMPARE(recorder.transitions.at(1)->sequence, recorder.transitions.at(0)->sequence + 1);
    QCOMPARE(recorder.last()->kind, TransitionKind::Forward);
    QCOMPARE(recorder.last()->origin, 0);
    QCOMPARE(recorder.last()->actionId, QString());
    QCOMPARE(recorder.last()->changes.size(), 1);
    QCOMPARE(recorder.last()->changes.first().topicName, QStringLiteral("n"));
    QVERIFY(recorder.last()->changes.first().id.isEmpty()); // host-made
}

void TstTransitions::transactionGroupsChanges()
{
    Engine engine;
    auto *n = engine.addTopic<IntTopic>(QStringLiteral("n"));
    auto *d = engine.addTopic<DictTopic>(QStringLiteral("d"));
    engine.clearHistory();
    TransitionRecorder recorder(&engine);
    {
        auto t = engine.transaction(3, QStringLiteral("act-1"));
        QVERIFY(engine.inTransition());
        QCOMPARE(engine.currentOrigin(), 3);
        n->set(5);
        d->add(QStringLiteral("k"), 1);
        n->add(1);
        QCOMPARE(recorder.count(), 0); // nothing announced before the end
        QCOMPARE(n->get(), 6);         // but applied at once
    }
    QVERIFY(!engine.inTransition());
    QCOMPARE(recorder.count(), 1);
    const TransitionPtr t = recorder.last();
    QCOMPARE(t->origin, 3);
    QCOMPARE(t->actionId, QStringLiteral("act-1"));
    QCOMPARE(t->changes.size(), 3);
    QCOMPARE(t->changes.at(0).type, ChangeType::Set);
    QCOMPARE(t->changes.at(1).topicName, QStringLiteral("d"));
    QCOMPARE(t->changes.at(2).type, ChangeType::Add);
    // One transition is one undo step.
    QCOMPARE(engine.undo().errorMessage(), QString());
    QCOMPARE(n->get(), 0);
    QVERIFY(!d->contains(QStringLiteral("k")));
    QVERIFY(!engine.canUndo());
}

void TstTransitions::emptyTransactionAnnouncesNothing()
{
    Engine engine;
    TransitionRecorder recorder(&engine);
    {
        auto t = engine.transaction();
    }
    QCOMPARE(recorder.count(), 0);
    QVERIFY(!engine.canUndo());
}

void TstTransitions::nestedScopesJoin()
{
    Engine engine;
    auto *n = engine.addTopic<IntTopic>(QStringLiteral("n"));
    TransitionRecorder recorder(&engine);
    {
        auto outer = engine.transaction(1, QStringLiteral("outer"));
        n->add(1);
        {
            auto inner = engine.transaction(2, QStringLiteral("inner"));
            n->add(10);
            inner.commit(); // leaves it to the outer scope
            QCOMPARE(recorder.count(), 0);
        }
        QCOMPARE(engine.currentOrigin(), 1);
        n->add(100);
    }
    QCOMPARE(recorder.count(), 1);
    QCOMPARE(recorder.last()->changes.size(), 3);
    QCOMPARE(recorder.last()->actionId, QStringLiteral("outer"));
    QCOMPARE(n->get(), 111);
}

void TstTransitions::innerRollbackFailsTheWhole()
{
    Engine engine;
    auto *n = engine.addTopic<IntTopic>(QStringLiteral("n"), 1);
    engine.clearHistory();
    TransitionRecorder recorder(&engine);
    bool threw = false;
    try {
        auto outer = engine.transaction();
        n->set(2);
        {
            auto inner = engine.transaction();
            n->set(3);
            inner.rollback();
        }
        n->set(4);
        outer.commit();
    } catch (const Error &) {
        threw = true;
    }
    QVERIFY(threw);
    QCOMPARE(n->get(), 1);
    QCOMPARE(recorder.count(), 0);
    QVERIFY(!engine.inTransition());
    QVERIFY(!engine.canUndo());
}

void TstTransitions::exceptionLeavingInnerScopeFailsTheWhole()
{
    Engine engine;
    auto *n = engine.addTopic<IntTopic>(QStringLiteral("n"), 1);
    TransitionRecorder recorder(&engine);
    QString error = engine
                        .tryTransition([&] {
                            n->set(2);
                            try {
                                auto inner = engine.transaction();
                                n->set(3);
                                throw std::runtime_error("inner failure");
                            } catch (const std::runtime_error &) {
                                // swallowed, but the inner scope has failed
                            }
                            n->set(4);
                        })
                        .errorMessage();
    QVERIFY(!error.isEmpty());
    QCOMPARE(n->get(), 1);
    QCOMPARE(recorder.count(), 0);
}

void TstTransitions::explicitRollback()
{
    Engine engine;
    auto *n = engine.addTopic<IntTopic>(QStringLiteral("n"), 1);
    auto *s = engine.addTopic<StringTopic>(QStringLiteral("s"), QStringLiteral("abc"));
    const QString version = s->version();
    TransitionRecorder recorder(&engine);
    {
        auto t = engine.transaction();
        n->set(2);
        s->insert(3, QStringLiteral("def"));
        s->remove(0, 1);
        t.rollback();
    }
    QCOMPARE(n->get(), 1);
    QCOMPARE(s->get(), QStringLiteral("abc"));
    QCOMPARE(s->version(), version); // the version comes back too
    QCOMPARE(recorder.count(), 0);
    // A change made against the restored version applies untransformed.
    s->insert(1, QStringLiteral("X"));
    QCOMPARE(s->get(), QStringLiteral("aXbc"));
}

void TstTransitions::tryTransition()
{
    Engine engine;
    auto *n = engine.addTopic<IntTopic>(QStringLiteral("n"));
    TransitionRecorder recorder(&engine);
    QCOMPARE(engine.tryTransition([&] { n->set(1); }, 4, QStringLiteral("a")).errorMessage(),
             QString());
    QCOMPARE(recorder.last()->origin, 4);
    const QString error = engine
                              .tryTransition([&] {
                                  n->set(2);
                                  n->add(std::numeric_limits<qint64>::max()); // refused
                              })
                              .errorMessage();
    QVERIFY(error.contains(QStringLiteral("out of range")));
    QCOMPARE(n->get(), 1);
    QCOMPARE(recorder.count(), 1);
    QVERIFY(engine.tryTransition([] { throw std::logic_error("plain exception"); })
                .errorMessage()
                .contains(QStringLiteral("plain exception")));
}

void TstTransitions::listenerThrowingRevertsEverything()
{
    Engine engine;
    auto *a = engine.addTopic<IntTopic>(QStringLiteral("a"));
    auto *b = engine.addTopic<IntTopic>(QStringLiteral("b"));
    auto *log = engine.addTopic<ListTopic>(QStringLiteral("log"));
    engine.clearHistory();
    QList<Change> mirrored;
    b->addListener([&](const Change &c) { mirrored.append(c); }, ListenerKind::Mirror);
    a->addListener([&](const Change &c) {
        b->set(c.value.toInteger() * 2);
        log->append(QStringLiteral("a changed"));
        if (c.value.toInteger() > 10)
            throw Error(QStringLiteral("too big"));
    });
    TransitionRecorder recorder(&engine);
    a->set(3);
    QCOMPARE(recorder.count(), 1);
    QCOMPARE(recorder.last()->changes.size(), 3);
    QCOMPARE(b->get(), 6);
    recorder.clear();
    mirrored.clear();

    const QJsonObject before = snapshot(engine);
    const QString error = engine
                              .tryTransition([&] {
                                  a->set(20); // the listener changes b and log, then throws
                              })
                              .errorMessage();
    QCOMPARE(error, QStringLiteral("too big"));
    QCOMPARE(snapshot(engine), before);
    QCOMPARE(recorder.count(), 0);
    // Mirror listeners saw the change and its reversal.
    QCOMPARE(mirrored.size(), 2);
    QCOMPARE(mirrored.at(0).value, QJsonValue(40));
    QCOMPARE(mirrored.at(1).value, QJsonValue(6));
    // The history holds only the first transition.
    QCOMPARE(engine.undo().errorMessage(), QString());
    QCOMPARE(a->get(), 0);
    QCOMPARE(b->get(), 0);
    QVERIFY(!engine.canUndo());
}

void TstTransitions::listenerFailureCaughtByCallerStillReverts()
{
    Engine engine;
    auto *a = engine.addTopic<IntTopic>(QStringLiteral("a"));
    auto *b = engine.addTopic<IntTopic>(QStringLiteral("b"));
    a->addListener([&](const Change &) {
        b->set(1);
        throw Error(QStringLiteral("listener failed"));
    });
    TransitionRecorder recorder(&engine);
    bool committed = true;
    try {
        auto t = engine.transaction();
        try {
            a->set(5);
        } catch (const Error &) {
            // The caller swallows it; the transition must still not commit half-done.
        }
        t.commit();
    } catch (const Error &e) {
        committed = false;
        QCOMPARE(e.message(), QStringLiteral("listener failed"));
    }
    QVERIFY(!committed);
    QCOMPARE(a->get(), 0);
    QCOMPARE(b->get(), 0);
    QCOMPARE(recorder.count(), 0);
}

void TstTransitions::behaviourChangesJoinAndAreUndone()
{
    Engine engine;
    auto *a = engine.addTopic<IntTopic>(QStringLiteral("a"));
    auto *b = engine.addTopic<IntTopic>(QStringLiteral("b"));
    engine.clearHistory();
    int behaviourCalls = 0;
    a->addListener(
        [&](const Change &c) {
            ++behaviourCalls;
            QCOMPARE(engine.currentKind(), TransitionKind::Forward);
            b->set(c.value.toInteger() + 100);
        },
        ListenerKind::Behaviour);
    TransitionRecorder recorder(&engine);
    a->set(1);
    QCOMPARE(behaviourCalls, 1);
    QCOMPARE(b->get(), 101);
    QCOMPARE(recorder.last()->changes.size(), 2);
    QCOMPARE(recorder.last()->changes.at(1).topicName, QStringLiteral("b"));

    QCOMPARE(engine.undo().errorMessage(), QString());
    QCOMPARE(recorder.last()->kind, TransitionKind::Undo);
    QCOMPARE(a->get(), 0);
    QCOMPARE(b->get(), 0); // reverted from the record, not by running the behaviour
    QCOMPARE(behaviourCalls, 1);
    QCOMPARE(engine.redo().errorMessage(), QString());
    QCOMPARE(recorder.last()->kind, TransitionKind::Redo);
    QCOMPARE(a->get(), 1);
    QCOMPARE(b->get(), 101);
    QCOMPARE(behaviourCalls, 1);
    // Undo and redo are not recorded themselves.
    QCOMPARE(engine.undo().errorMessage(), QString());
    QVERIFY(!engine.canUndo());
}

void TstTransitions::mirrorListenersRunForEverything()
{
    Engine engine;
    auto *a = engine.addTopic<IntTopic>(QStringLiteral("a"));
    QList<qint64> seen;
    QList<TransitionKind> kinds;
    a->addListener(
        [&](const Change &) {
            seen.append(a->get());
            kinds.append(engine.currentKind());
        },
        ListenerKind::Mirror);
    a->set(1);
    QVERIFY(engine.undo().ok());
    QVERIFY(engine.redo().ok());
    QVERIFY(!engine.tryTransition([&] {
        a->set(2);
        throw Error(QStringLiteral("no"));
    }));
    QCOMPARE(seen, (QList<qint64>{1, 0, 1, 2, 1}));
    QCOMPARE(kinds.at(1), TransitionKind::Undo);
    QCOMPARE(kinds.at(2), TransitionKind::Redo);
}

void TstTransitions::mirrorListenerCannotChangeTopics()
{
    Engine engine;
    auto *a = engine.addTopic<IntTopic>(QStringLiteral("a"));
    auto *b = engine.addTopic<IntTopic>(QStringLiteral("b"));
    a->addListener([&](const Change &) { b->set(1); }, ListenerKind::Mirror);
    const QString error = engine.tryTransition([&] { a->set(1); }).errorMessage();
    QVERIFY2(error.contains(QStringLiteral("mirror")), qPrintable(error));
    QCOMPARE(a->get(), 0);
    QCOMPARE(b->get(), 0);
}

void TstTransitions::removedListenerIsNotCalled()
{
    Engine engine;
    auto *a = engine.addTopic<IntTopic>(QStringLiteral("a"));
    int calls = 0;
    const ListenerId id = a->addListener([&](const Change &) { ++calls; });
    a->set(1);
    a->removeListener(id);
    a->set(2);
    QCOMPARE(calls, 1);
    a->removeListener(id); // harmless
}

void TstTransitions::afterCommitFormsNextTransition()
{
    Engine engine;
    auto *a = engine.addTopic<IntTopic>(QStringLiteral("a"));
    auto *b = engine.addTopic<IntTopic>(QStringLiteral("b"));
    TransitionRecorder recorder(&engine);
    bool ranAfterCommit = false;
    {
        auto t = engine.transaction();
        a->set(1);
        engine.afterCommit([&] {
            ranAfterCommit = true;
            QCOMPARE(recorder.count(), 1); // the first one is announced already
            b->set(a->get() + 1);
        });
        QVERIFY(!ranAfterCommit);
    }
    QVERIFY(ranAfterCommit);
    QCOMPARE(recorder.count(), 2);
    QCOMPARE(recorder.transitions.at(0)->changes.size(), 1);
    QCOMPARE(recorder.transitions.at(1)->changes.first().topicName, QStringLiteral("b"));
    QCOMPARE(b->get(), 2);
    // Two steps of history.
    QCOMPARE(engine.undo().errorMessage(), QString());
    QCOMPARE(b->get(), 0);
    QCOMPARE(a->get(), 1);
}

void TstTransitions::afterCommitDroppedOnRollback()
{
    Engine engine;
    auto *a = engine.addTopic<IntTopic>(QStringLiteral("a"));
    bool ran = false;
    QVERIFY(!engine.tryTransition([&] {
        a->set(1);
        engine.afterCommit([&] { ran = true; });
        throw Error(QStringLiteral("no"));
    }));
    QVERIFY(!ran);
    // The next transition does not run it either.
    a->set(2);
    QVERIFY(!ran);
}

void TstTransitions::afterCommitOutsideTransitionRunsAtOnce()
{
    Engine engine;
    auto *a = engine.addTopic<IntTopic>(QStringLiteral("a"));
    TransitionRecorder recorder(&engine);
    engine.afterCommit([&] {
        a->set(1);
        a->set(2);
    });
    QCOMPARE(a->get(), 2);
    QCOMPARE(recorder.count(), 1);
}

void TstTransitions::slotMayStartNewTransition()
{
    Engine engine;
    auto *a = engine.addTopic<IntTopic>(QStringLiteral("a"));
    auto *b = engine.addTopic<IntTopic>(QStringLiteral("b"));
    QList<quint64> sequences;
    connect(&engine, &Engine::transitionCommitted, this, [&](const TransitionPtr &t) {
        sequences.append(t->sequence);
        QVERIFY(!engine.inTransition());
        if (t->changes.first().topicName == QLatin1String("a"))
            b->set(a->get());
    });
    a->set(7);
    QCOMPARE(b->get(), 7);
    QCOMPARE(sequences.size(), 2);
    QCOMPARE(sequences.at(1), sequences.at(0) + 1);
}

void TstTransitions::originAndServices()
{
    Engine engine;
    auto *a = engine.addTopic<IntTopic>(QStringLiteral("a"));
    TransitionRecorder recorder(&engine);
    int originSeen = -1;
    engine.registerService(QStringLiteral("bump"), [&](const QJsonObject &args) {
        originSeen = engine.currentOrigin();
        a->add(args.value(QStringLiteral("by")).toInt());
        return QJsonValue(a->get());
    });
    QVERIFY_THROWS_EXCEPTION(Error, engine.registerService(QStringLiteral("bump"), {}));
    QVERIFY(engine.hasService(QStringLiteral("bump")));
    QCOMPARE(engine.callService(QStringLiteral("bump"), {{"by", 3}}, 9), QJsonValue(3));
    QCOMPARE(recorder.last()->origin, 9);
    QCOMPARE(originSeen, 9); // the caller, while its service runs
    QCOMPARE(engine.currentOrigin(), 0);
    QVERIFY_THROWS_EXCEPTION(Error, engine.callService(QStringLiteral("nope"), {}));
    engine.registerService(QStringLiteral("fail"), [](const QJsonObject &) -> QJsonValue {
        throw Error(QStringLiteral("refused"));
    });
    QVERIFY_THROWS_EXCEPTION(Error, engine.callService(QStringLiteral("fail"), {}, 2));
    // The caller's origin does not stick after a failure.
    a->set(0);
    QCOMPARE(recorder.last()->origin, 0);
    engine.unregisterService(QStringLiteral("bump"));
    QVERIFY(!engine.hasService(QStringLiteral("bump")));
}

void TstTransitions::revertRestoresTopicsAndObjectsInPlace()
{
    // A failed transition that destroyed objects brings back the same instances: pointers
    // held by code, listeners, services and string versions survive.
    Engine engine;
    auto *text = engine.createObject<TextObject>();
    text->text->set(QStringLiteral("keep"));
    StringTopic *textTopic = text->text;
    const QString version = textTopic->version();
    int calls = 0;
    textTopic->addListener([&](const Change &) { ++calls; });
    auto *node = engine.createObject<NodeObject>();
    const QJsonObject before = snapshot(engine);
    const QJsonObject tree = engine.serialize(engine.root());

    const QString error = engine
                              .tryTransition([&] {
                                  text->text->insert(0, QStringLiteral(">"));
                                  engine.destroyObject(text);
                                  engine.destroyObject(node);
                                  throw Error(QStringLiteral("changed my mind"));
                              })
                              .errorMessage();
    QCOMPARE(error, QStringLiteral("changed my mind"));
    QCOMPARE(snapshot(engine), before);
    QCOMPARE(engine.serialize(engine.root()), tree);
    QCOMPARE(engine.object(text->id()), text);
    QCOMPARE(engine.object(node->id()), node);
    QCOMPARE(engine.topic(textTopic->name()), textTopic);
    QCOMPARE(textTopic->version(), version);
    QCOMPARE(node->callService(QStringLiteral("twice"), {{"v", 2}}), QJsonValue(4));
    calls = 0;
    text->text->set(QStringLiteral("again"));
    QCOMPARE(calls, 1);
    // A change made against the restored version applies as is.
    Change c;
    c.topicName = textTopic->name();
    c.topicType = TopicType::String;
    c.type = ChangeType::Insert;
    c.id = QStringLiteral("c1");
    c.topicVersion = textTopic->version();
    c.position = 5;
    c.text = QStringLiteral("!");
    TransitionRecorder recorder(&engine);
    engine.applyChange(c);
    QCOMPARE(recorder.last()->changes.first().id, QStringLiteral("c1"));
    QCOMPARE(text->text->get(), QStringLiteral("again!"));
}

void TstTransitions::revertKeepsChildOrder()
{
    Engine engine;
    SObject *p = engine.createObject<NodeObject>();
    SObject *q = engine.createObject<NodeObject>();
    QList<SObject *> kids;
    for (int i = 0; i < 4; ++i)
        kids.append(engine.createObject<NodeObject>(p));
    const QList<SObject *> order = p->children();
    const QString error = engine
                              .tryTransition([&] {
                                  engine.moveObject(kids.at(1), q);
                                  engine.destroyObject(kids.at(2));
                                  engine.moveObject(kids.at(0), q);
                                  throw Error(QStringLiteral("no"));
                              })
                              .errorMessage();
    QVERIFY(!error.isEmpty());
    QCOMPARE(p->children(), order);
    QVERIFY(q->children().isEmpty());
}

void TstTransitions::announcementsStayInCommitOrder()
{
    // A receiver that commits while a transition is being announced must not make later
    // receivers see the transitions out of order.
    Engine engine;
    auto *n = engine.addTopic<IntTopic>(QStringLiteral("n"));
    auto *m = engine.addTopic<IntTopic>(QStringLiteral("m"));
    bool reacted = false;
    QObject::connect(&engine, &Engine::transitionCommitted, &engine, [&](const TransitionPtr &t) {
        if (!reacted && t->changes.first().topicName == QLatin1String("n")) {
            reacted = true;
            m->set(7);
        }
    });
    TransitionRecorder recorder(&engine);
    n->set(1);
    QCOMPARE(recorder.count(), 2);
    QCOMPARE(recorder.transitions.at(0)->changes.first().topicName, QStringLiteral("n"));
    QCOMPARE(recorder.transitions.at(1)->changes.first().topicName, QStringLiteral("m"));
    QVERIFY(recorder.transitions.at(0)->sequence < recorder.transitions.at(1)->sequence);
}

QTEST_GUILESS_MAIN(TstTransitions)
#include "tst_transitions.moc"
