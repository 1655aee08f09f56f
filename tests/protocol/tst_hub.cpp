// SPDX-License-Identifier: MIT
// Hub: committed transitions become per-subscriber updates; merging of changes to topics
// that are not order-strict.

#include "testsupport.h"

#include <QSignalSpy>

using namespace testsupport;

namespace {

QJsonArray changesOf(const QJsonObject &update)
{
    return argsOf(update).value(str("changes")).toArray();
}

QString actionIdOf(const QJsonObject &update)
{
    return argsOf(update).value(str("action_id")).toString();
}

} // namespace

class TstHub : public QObject
{
    Q_OBJECT
private slots:
    void hostMadeChangesHaveDerivedIdsAndAnEmptyActionId()
    {
        Engine engine;
        Hub hub(&engine);
        auto *n = engine.addTopic<IntTopic>(str("n"), 0);
        auto *m = engine.addTopic<IntTopic>(str("m"), 0);
        Peer a(&hub);
        a.subscribe(str("n"));
        a.subscribe(str("m"));
        a.take();
        {
            auto t = engine.transaction();
            n->set(1);
            m->set(2);
        }
        const QJsonObject update = a.takeOne();
        QCOMPARE(typeOf(update), str("update"));
        QCOMPARE(actionIdOf(update), QString());
        const QJsonArray changes = changesOf(update);
        QCOMPARE(changes.size(), 2);
        const QString id0 = changes[0].toObject().value(str("id")).toString();
        const QString id1 = changes[1].toObject().value(str("id")).toString();
        QVERIFY(id0.startsWith(QLatin1Char('h')));
        QVERIFY(id0 != id1);
        QCOMPARE(changes[0].toObject().value(str("topic_name")).toString(), str("n"));
        QCOMPARE(changes[1].toObject().value(str("topic_name")).toString(), str("m"));
    }

    void hostStringSetUsesItsVersionAsId()
    {
        Engine engine;
        Hub hub(&engine);
        auto *s = engine.addTopic<StringTopic>(str("s"), str("a"));
        Peer a(&hub);
        a.subscribe(str("s"));
        a.take();
        s->set(str("b"));
        const QJsonObject c = changesOf(a.takeOne()).at(0).toObject();
        QCOMPARE(c.value(str("id")).toString(), s->version());
        QCOMPARE(c.value(str("result_topic_version")).toString(), s->version());
    }

    void updatesAreFilteredPerSubscriber()
    {
        Engine engine;
        Hub hub(&engine);
        auto *n = engine.addTopic<IntTopic>(str("n"), 0);
        auto *m = engine.addTopic<IntTopic>(str("m"), 0);
        Peer a(&hub), b(&hub), c(&hub);
        a.subscribe(str("n"));
        b.subscribe(str("m"));
        c.subscribe(str("n"));
        c.subscribe(str("m"));
        a.take();
        b.take();
        c.take();
        {
            auto t = engine.transaction();
            n->set(1);
            m->set(2);
            n->set(3);
        }
        const QJsonArray forA = changesOf(a.takeOne());
        const QJsonArray forB = changesOf(b.takeOne());
        const QJsonArray forC = changesOf(c.takeOne());
        QCOMPARE(forA.size(), 2);
        QCOMPARE(forB.size(), 1);
        QCOMPARE(forC.size(), 3);
        // Commit order is kept, and the same change has the same dict everywhere.
        QCOMPARE(forA[0], forC[0]);
        QCOMPARE(forB[0], forC[1]);
        QCOMPARE(forA[1], forC[2]);
        QCOMPARE(forA[1].toObject().value(str("value")).toInt(), 3);
    }

    void identicalFiltersShareOneFrame()
    {
        Engine engine;
        Hub hub(&engine);
        auto *n = engine.addTopic<IntTopic>(str("n"), 0);
        engine.addTopic<IntTopic>(str("m"), 0);
        Peer a(&hub), b(&hub), c(&hub);
        for (Peer *p : {&a, &b, &c})
            p->subscribe(str("n"));
        c.subscribe(str("m")); // a different filter, but the same changes selected
        for (Peer *p : {&a, &b, &c})
            p->take();
        const quint64 framesBefore = hub.frameCount();
        n->set(7);
        const QList<QByteArray> fa = a.session->takeOutgoing();
        const QList<QByteArray> fb = b.session->takeOutgoing();
        const QList<QByteArray> fc = c.session->takeOutgoing();
        QCOMPARE(fa.size(), 1);
        QCOMPARE(fb.size(), 1);
        QCOMPARE(fc.size(), 1);
        // One frame built, its bytes shared (implicit sharing), not copied per client.
        QCOMPARE(hub.frameCount(), framesBefore + 1);
        QCOMPARE(fa[0].constData(), fb[0].constData());
        QCOMPARE(fa[0].constData(), fc[0].constData());
    }

    void nothingIsSentToUninterestedSessions()
    {
        Engine engine;
        Hub hub(&engine);
        auto *n = engine.addTopic<IntTopic>(str("n"), 0);
        Peer a(&hub);
        a.take();
        n->set(1);
        QVERIFY(!a.session->hasOutgoing());
    }

    void reversedEmitsStayInternal()
    {
        Engine engine;
        Hub hub(&engine);
        auto *e = static_cast<EventTopic *>(engine.addTopic(str("e"), TopicType::Event));
        int forward = 0, backward = 0;
        e->on([&](const QJsonObject &) { ++forward; }, [&](const QJsonObject &) { ++backward; });
        Peer a(&hub);
        a.subscribe(str("e"));
        a.take();
        e->emitEvent({{str("x"), 1}});
        QCOMPARE(changesOf(a.takeOne())[0].toObject().value(str("type")).toString(), str("emit"));
        QVERIFY(engine.undo().ok());
        QCOMPARE(backward, 1);
        QVERIFY(a.take().isEmpty()); // the undo held only a reversed emit: nothing to send
        QVERIFY(engine.redo().ok());
        QCOMPARE(changesOf(a.takeOne())[0].toObject().value(str("type")).toString(), str("emit"));
    }

    void removedTopicsAreUnsubscribed()
    {
        Engine engine;
        Hub hub(&engine);
        auto *note = engine.createObject<Note>();
        const QString attr = note->count->name();
        const QString id = note->id();
        Peer a(&hub), b(&hub);
        a.subscribe(attr);
        a.subscribe(str("_topicsync/topic_list"));
        b.subscribe(attr); // not subscribed to the topic list: still unsubscribed
        a.take();
        b.take();
        QSignalSpy changed(b.session.get(), &Session::subscriptionsChanged);
        engine.destroyObject(note);
        QVERIFY(!a.session->isSubscribed(attr));
        QVERIFY(!b.session->isSubscribed(attr));
        QCOMPARE(changed.count(), 1);
        // a sees the topic go away in the topic list.
        bool popped = false;
        for (const QJsonValue &c : changesOf(a.takeOne()))
            popped = popped || (c.toObject().value(str("type")).toString() == str("pop") &&
                                c.toObject().value(str("key")).toString() == attr);
        QVERIFY(popped);
        // When undo brings the topic back, no one receives it until they subscribe again.
        QVERIFY(engine.undo().ok());
        b.take();
        auto *back = engine.objectAs<Note>(id); // a new object with the same id
        QVERIFY(back);
        back->count->set(4);
        QVERIFY(b.take().isEmpty());
    }

    void nonOrderStrictChangesAreMergedAndSentWithClock()
    {
        Engine engine;
        Hub hub(&engine);
        auto *pos = static_cast<FloatTopic *>(
            engine.addTopic(str("pos"), TopicType::Float, 0.0, true, false));
        engine.addTopic<IntTopic>(str("n"), 0);
        QSignalSpy flushNeeded(&hub, &Hub::flushNeeded);
        Peer a(&hub), b(&hub);
        for (Peer *p : {&a, &b}) {
            p->subscribe(str("pos"));
            p->subscribe(str("n"));
            p->take();
        }
        // A client drags: several actions, each answered at once for the strict topic only.
        for (int i = 1; i <= 5; ++i) {
            a.action(QStringLiteral("drag%1").arg(i),
                     {change(str("pos"), str("float"), str("set"), QStringLiteral("p%1").arg(i),
                             {{str("value"), i * 1.5}}),
                      change(str("n"), str("int"), str("set"), QStringLiteral("n%1").arg(i),
                             {{str("value"), i}})});
            const QJsonObject update = b.takeOne();
            QCOMPARE(actionIdOf(update), QStringLiteral("drag%1").arg(i));
            QCOMPARE(changesOf(update).size(), 1);
            QCOMPARE(changesOf(update)[0].toObject().value(str("topic_name")).toString(), str("n"));
        }
        QCOMPARE(pos->get(), 7.5);
        QCOMPARE(flushNeeded.count(), 1);
        QVERIFY(hub.hasPendingMerge());
        a.take();

        hub.flush();
        QVERIFY(!hub.hasPendingMerge());
        for (Peer *p : {&a, &b}) {
            const QJsonObject update = p->takeOne();
            QCOMPARE(actionIdOf(update), str("clock"));
            const QJsonArray changes = changesOf(update);
            QCOMPARE(changes.size(), 1); // five sets merged into one
            const QJsonObject c = changes[0].toObject();
            QCOMPARE(c.value(str("type")).toString(), str("set"));
            QCOMPARE(c.value(str("value")).toDouble(), 7.5);
            QCOMPARE(c.value(str("old_value")).toDouble(), 0.0);
            QCOMPARE(c.value(str("id")).toString(), str("p5"));
        }
        hub.flush(); // nothing left
        QVERIFY(a.take().isEmpty());
    }

    void subscribingFlushesHeldChangesFirst()
    {
        Engine engine;
        Hub hub(&engine);
        auto *pos =
            static_cast<IntTopic *>(engine.addTopic(str("pos"), TopicType::Int, 0, true, false));
        Peer a(&hub), b(&hub);
        a.subscribe(str("pos"));
        a.take();
        b.take();
        pos->add(2);
        pos->add(3);
        QVERIFY(hub.hasPendingMerge());
        // b's init already holds the value: the held adds must not reach b afterwards.
        b.subscribe(str("pos"));
        QCOMPARE(argsOf(b.takeOne()).value(str("value")).toInt(), 5);
        QVERIFY(!hub.hasPendingMerge());
        const QJsonObject update = a.takeOne();
        QCOMPARE(actionIdOf(update), str("clock"));
        QCOMPARE(changesOf(update)[0].toObject().value(str("value")).toInt(), 5); // one add of 5
        hub.flush();
        QVERIFY(b.take().isEmpty());
    }

    void heldChangesOfARemovedTopicAreDropped()
    {
        Engine engine;
        Hub hub(&engine);
        engine.addTopic(str("pos"), TopicType::Int, 0, true, false);
        Peer a(&hub);
        a.subscribe(str("pos"));
        a.take();
        static_cast<IntTopic *>(engine.topic(str("pos")))->set(4);
        QVERIFY(hub.hasPendingMerge());
        engine.removeTopic(str("pos"));
        QVERIFY(!hub.hasPendingMerge());
        hub.flush();
        QVERIFY(a.take().isEmpty());
    }

    void mergingCanBeTurnedOff()
    {
        Engine engine;
        Hub hub(&engine);
        hub.setMergingEnabled(false);
        auto *pos =
            static_cast<IntTopic *>(engine.addTopic(str("pos"), TopicType::Int, 0, true, false));
        Peer a(&hub);
        a.subscribe(str("pos"));
        a.take();
        pos->set(1);
        QCOMPARE(actionIdOf(a.takeOne()), QString());
        QVERIFY(!hub.hasPendingMerge());
    }

    void sharedHubPerEngine()
    {
        Engine engine;
        Hub *h1 = Hub::forEngine(&engine);
        QCOMPARE(Hub::forEngine(&engine), h1);
        QCOMPARE(h1->parent(), &engine);
        Peer a(h1);
        QCOMPARE(h1->subscriber(a.id()), static_cast<protocol::Subscriber *>(a.session.get()));
        QCOMPARE(h1->subscriberCount(), 1);
    }

    void sessionOutlivingItsEngineIsHarmless()
    {
        auto engine = std::make_unique<Engine>();
        Hub *hub = Hub::forEngine(engine.get());
        engine->addTopic<IntTopic>(str("n"), 0);
        Peer a(hub);
        a.take();
        engine.reset(); // the hub goes with the engine
        a.subscribe(str("n"));
        a.action(str("x"),
                 {change(str("n"), str("int"), str("set"), str("c"), {{str("value"), 1}})});
        const QList<QJsonObject> out = a.take();
        QCOMPARE(out.size(), 1);
        QCOMPARE(typeOf(out[0]), str("reject"));
    }
};

QTEST_GUILESS_MAIN(TstHub)
#include "tst_hub.moc"
