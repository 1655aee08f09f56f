// SPDX-License-Identifier: MIT
// Real clients against an in-process host over 127.0.0.1.
#include "loopback.h"

#include <QRandomGenerator>

using namespace objectsync;
using namespace loopback;

class TstClientLoopback : public QObject
{
    Q_OBJECT

    std::unique_ptr<Fixture> fx;

    SObject *note(const QString &id = {})
    {
        return fx->engine.createObject(Note::staticTypeName(), nullptr, id);
    }

    /*! True when every client equals the host at this moment; otherwise \a why says how the
     *  first one differs. */
    bool allConverged(const QList<Client *> &clients, QByteArray *why = nullptr)
    {
        for (Client *c : clients) {
            if (!converged(*c, fx->engine)) {
                if (why)
                    *why = QByteArray("client ") + QByteArray::number(c->clientId()) + ": " +
                           difference(*c, fx->engine);
                return false;
            }
        }
        return true;
    }

    /*! Waits until every client equals the host at the same moment (other clients' actions
     *  may still change the host after one client caught up). */
    void waitConverged(const QList<Client *> &clients)
    {
        QByteArray why;
        QTRY_VERIFY2_WITH_TIMEOUT(allConverged(clients, &why), why.constData(), kTimeout);
    }

private slots:
    void init() { fx = std::make_unique<Fixture>(); }
    void cleanup() { fx.reset(); }

    void roundTripsForEveryChangeKind()
    {
        const QString id = note()->id();
        Client *a = fx->connect();
        Client *b = fx->connect();
        QCOMPARE(a->clientId() > 0 && b->clientId() > 0 && a->clientId() != b->clientId(), true);
        QVERIFY(a->set(attr(id, "count"), 4));
        QVERIFY(a->add(attr(id, "count"), 3));
        QVERIFY(a->set(attr(id, "ratio"), 1.5));
        QVERIFY(a->add(attr(id, "ratio"), 0.25));
        QVERIFY(a->set(attr(id, "text"), "hello"));
        QVERIFY(a->insertText(attr(id, "text"), 5, " world"));
        QVERIFY(a->deleteText(attr(id, "text"), 0, 1));
        QVERIFY(a->set(attr(id, "data"), QJsonObject{{"k", 1}}));
        QVERIFY(a->addKey(attr(id, "data"), "j", "x"));
        QVERIFY(a->changeValue(attr(id, "data"), "k", 2));
        QVERIFY(a->popKey(attr(id, "data"), "j"));
        QVERIFY(a->set(attr(id, "items"), QJsonArray{1}));
        QVERIFY(a->insertItem(attr(id, "items"), 0, 0));
        QVERIFY(a->insertItem(attr(id, "items"), -1, 2));
        QVERIFY(a->popItem(attr(id, "items"), 1));
        QVERIFY(a->set(attr(id, "flags"), QJsonArray{"x"}));
        QVERIFY(a->append(attr(id, "flags"), "y"));
        QVERIFY(a->remove(attr(id, "flags"), "x"));
        QVERIFY(a->set(attr(id, "any"), QJsonObject{{"nested", QJsonArray{true, QJsonValue()}}}));
        QSignalSpy pings(b, &Client::eventReceived);
        QVERIFY(a->emitEvent(attr(id, "ping"), {{"n", 1}}));
        waitConverged({a, b});
        auto *n = fx->engine.object(id);
        QCOMPARE(n->attributeAs<IntTopic>("count")->get(), 7);
        QCOMPARE(n->attributeAs<FloatTopic>("ratio")->get(), 1.75);
        QCOMPARE(n->attributeAs<StringTopic>("text")->get(), QStringLiteral("ello world"));
        QCOMPARE(n->attributeAs<DictTopic>("data")->get(), (QJsonObject{{"k", 2}}));
        QCOMPARE(n->attributeAs<ListTopic>("items")->get(), (QJsonArray{0, 2}));
        QCOMPARE(n->attributeAs<SetTopic>("flags")->get(), QJsonArray{"y"});
        QCOMPARE(b->value(attr(id, "text")), QJsonValue("ello world"));
        QCOMPARE(b->version(attr(id, "text")), n->attributeAs<StringTopic>("text")->version());
        QCOMPARE(a->version(attr(id, "text")), n->attributeAs<StringTopic>("text")->version());
        QTRY_COMPARE_WITH_TIMEOUT(pings.size(), 1, kTimeout);
        QCOMPARE(pings.at(0).at(0).toString(), attr(id, "ping"));
        QCOMPARE(pings.at(0).at(1).toJsonObject().value("n").toInt(), 1);

        // And the other way: the host's changes reach both mirrors.
        n->attributeAs<StringTopic>("text")->insert(0, "H");
        n->attributeAs<DictTopic>("data")->add("host", true);
        waitConverged({a, b});
        QCOMPARE(a->value(attr(id, "text")), QJsonValue("Hello world"));
    }

    void rejectedActionRollsBackEverywhere()
    {
        auto *guarded = fx->engine.addTopic<IntTopic>(QStringLiteral("guarded"));
        guarded->addListener([](const Change &c) {
            if (c.value.toInteger() > 100)
                throw Error(QStringLiteral("too big"));
        });
        Client *a = fx->connect();
        Client *b = fx->connect();
        QSignalSpy rejected(a, &Client::actionRejected);
        QSignalSpy rolledBack(a, &Client::rolledBack);
        QSignalSpy bChanges(b, &Client::changeReceived);
        const QString id = a->set("guarded", 500).valueOr({});
        QVERIFY(!id.isEmpty());
        QCOMPARE(a->value("guarded"), QJsonValue(500)); // optimistic
        QTRY_COMPARE_WITH_TIMEOUT(rejected.size(), 1, kTimeout);
        QCOMPARE(rejected.at(0).at(0).toString(), id);
        QVERIFY(rejected.at(0).at(1).toString().contains("too big"));
        QCOMPARE(rolledBack.size(), 1);
        QCOMPARE(a->value("guarded"), QJsonValue(0));
        QCOMPARE(a->pendingCount(), 0);
        // A system topic is refused by the host although the mirror accepted it.
        QVERIFY(a->addKey("_objects", "1_99", "note"));
        QTRY_COMPARE_WITH_TIMEOUT(rejected.size(), 2, kTimeout);
        QVERIFY(!a->objectIds().contains("1_99"));
        QVERIFY(a->set("guarded", 5)); // a marker after the refused ones
        waitConverged({a, b});
        QCOMPARE(guarded->get(), 5);
        QCOMPARE(bChanges.size(), 1); // b saw only the accepted change
    }

    void actionsAreAllOrNothing()
    {
        const QString id = note()->id();
        Client *a = fx->connect();
        // b does not mirror "count", so its bad command passes the local checks.
        Client *b = fx->connect(Client::Follow::Nothing);
        b->subscribe(attr(id, "text"));
        QTRY_VERIFY_WITH_TIMEOUT(b->hasValue(attr(id, "text")), kTimeout);
        QSignalSpy rejected(b, &Client::actionRejected);
        {
            auto action = b->action();
            QVERIFY(b->insertText(attr(id, "text"), 0, "partial"));
            Change bad;
            bad.topicName = attr(id, "count");
            bad.type = ChangeType::Set;
            bad.value = QStringLiteral("not a number");
            QVERIFY(b->submit({bad}));
            QCOMPARE(b->value(attr(id, "text")), QJsonValue("partial"));
            QVERIFY(action.commit());
        }
        QTRY_COMPARE_WITH_TIMEOUT(rejected.size(), 1, kTimeout);
        QVERIFY(rejected.at(0).at(1).toString().contains("command 1"));
        QCOMPARE(b->value(attr(id, "text")), QJsonValue(""));
        QCOMPARE(fx->engine.object(id)->attributeAs<StringTopic>("text")->get(), QString());
        QVERIFY(a->set(attr(id, "count"), 1)); // a marker
        waitConverged({a});
        QCOMPARE(a->value(attr(id, "text")), QJsonValue(""));
    }

    void undoAndRedoByService()
    {
        SObject *first = note();
        SObject *second = note();
        Client *a = fx->connect();
        Client *b = fx->connect();
        QVERIFY(a->set(attr(first->id(), "count"), 10));
        QVERIFY(a->set(attr(second->id(), "count"), 20));
        waitConverged({a, b});
        // Undo in the first object's history leaves the second alone.
        QFuture<Result<QJsonValue>> undone = a->undo(first->id());
        QTRY_VERIFY_WITH_TIMEOUT(undone.isFinished(), kTimeout);
        QCOMPARE(undone.result().errorMessage(), QString());
        waitConverged({a, b});
        QCOMPARE(b->value(attr(first->id(), "count")), QJsonValue(0));
        QCOMPARE(b->value(attr(second->id(), "count")), QJsonValue(20));
        QFuture<Result<QJsonValue>> redone = b->redo(first->id());
        QTRY_VERIFY_WITH_TIMEOUT(redone.isFinished(), kTimeout);
        QCOMPARE(redone.result().errorMessage(), QString());
        waitConverged({a, b});
        QCOMPARE(a->value(attr(first->id(), "count")), QJsonValue(10));
        // Nothing left to redo: the host answers with an error.
        std::optional<Result<QJsonValue>> answer;
        a->request("redo", {{"id", first->id()}},
                   [&](const Result<QJsonValue> &response) { answer = response; });
        QTRY_VERIFY_WITH_TIMEOUT(answer.has_value(), kTimeout);
        QVERIFY(!*answer);
        QCOMPARE(answer->error().code(), ErrorCode::Refused);
        QVERIFY(!answer->errorMessage().isEmpty());
    }

    void clientsCreateAndDestroyObjects()
    {
        Client *a = fx->connect();
        Client *b = fx->connect(Client::Follow::ObjectTree);
        const QString parent = a->createObject(Note::staticTypeName()).valueOr({});
        QVERIFY(!parent.isEmpty());
        QVERIFY(parent.startsWith(QString::number(a->clientId()) + "_"));
        QTRY_VERIFY_WITH_TIMEOUT(fx->engine.object(parent), kTimeout);
        const QString child = a->createObject(Note::staticTypeName(), parent).valueOr({});
        QVERIFY(!child.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(fx->engine.object(child), kTimeout);
        QCOMPARE(fx->engine.object(child)->parent()->id(), parent);
        waitConverged({a});
        QTRY_COMPARE_WITH_TIMEOUT(b->objectTree(), hostTree(fx->engine), kTimeout);
        QCOMPARE(b->childIds(parent), QStringList{child});
        QCOMPARE(b->frontendType(child), QStringLiteral("note"));
        QCOMPARE(a->parentId(child), parent);
        // An id that does not carry the client's prefix is refused.
        QSignalSpy rejected(a, &Client::actionRejected);
        QVERIFY(a->emitEvent("create_object", {{"type", Note::staticTypeName()}, {"id", "0_999"}}));
        QTRY_COMPARE_WITH_TIMEOUT(rejected.size(), 1, kTimeout);
        QVERIFY(!fx->engine.object("0_999"));
        QVERIFY(b->destroyObject(parent));
        QTRY_VERIFY_WITH_TIMEOUT(!fx->engine.object(parent) && !fx->engine.object(child), kTimeout);
        waitConverged({a});
        QTRY_COMPARE_WITH_TIMEOUT(b->objectTree(), hostTree(fx->engine), kTimeout);
        QVERIFY(!a->topicNames().contains(attr(child, "text")));
        QCOMPARE(b->objectIds(), QStringList{"root"});
    }

    void concurrentStringEditsConverge()
    {
        const QString id = note()->id();
        const QString topic = attr(id, "text");
        fx->engine.object(id)->attributeAs<StringTopic>("text")->set("0123456789");
        Client *a = fx->connect();
        Client *b = fx->connect();
        // Both type without waiting for each other; a deletes digits from the front, b from
        // the back, so their deletions never overlap.
        const auto digit = [](const QString &s, bool last) {
            static const QRegularExpression re(QStringLiteral("[0-9]"));
            return last ? s.lastIndexOf(re) : s.indexOf(re);
        };
        for (int i = 0; i < 20; ++i) {
            QVERIFY(a->insertText(topic, (i * 3) % (a->value(topic).toString().size() + 1), "a"));
            QVERIFY(b->insertText(topic, b->value(topic).toString().size(), "b"));
            if (i % 4 == 3) {
                QVERIFY(a->deleteText(topic, digit(a->value(topic).toString(), false), 1));
                QVERIFY(b->deleteText(topic, digit(b->value(topic).toString(), true), 1));
            }
            if (i % 5 == 0)
                QCoreApplication::processEvents();
        }
        waitConverged({a, b});
        const QString text = fx->engine.object(id)->attributeAs<StringTopic>("text")->get();
        QCOMPARE(a->value(topic).toString(), text);
        QCOMPARE(b->value(topic).toString(), text);
        QCOMPARE(text.count('a'), 20); // every insert survived
        QCOMPARE(text.count('b'), 20);
        QCOMPARE(text.size(), 40); // every digit deleted once
    }

    void lateJoinerSeesCommittedState()
    {
        Client *a = fx->connect();
        QStringList ids;
        for (int i = 0; i < 5; ++i) {
            const QString id =
                a->createObject(Note::staticTypeName(), i ? ids.constFirst() : "root").valueOr({});
            QVERIFY(!id.isEmpty());
            ids << id;
        }
        waitConverged({a});
        for (const QString &id : std::as_const(ids)) {
            QVERIFY(a->set(attr(id, "text"), id));
            QVERIFY(a->insertItem(attr(id, "items"), -1, id));
        }
        QVERIFY(a->destroyObject(ids.at(2)));
        waitConverged({a});
        Client *late = fx->connect();
        waitConverged({late});
        QCOMPARE(late->objectTree(), hostTree(fx->engine));
        QCOMPARE(late->value(attr(ids.at(4), "text")), QJsonValue(ids.at(4)));
        QVERIFY(!late->objectIds().contains(ids.at(2)));
        QCOMPARE(late->snapshot(), a->snapshot());
    }

    void seededRandomClientsConverge()
    {
        const QByteArray env = qgetenv("OBJECTSYNC_SEED");
        const quint32 seed = env.isEmpty() ? QRandomGenerator::global()->generate() : env.toUInt();
        qInfo("random test seed: %u (set OBJECTSYNC_SEED to repeat)", seed);
        QRandomGenerator rng(seed);
        for (int i = 0; i < 3; ++i)
            note();
        QList<Client *> clients;
        for (int i = 0; i < 4; ++i)
            clients << fx->connect();
        const auto pick = [&](const QStringList &list) {
            return list.at(rng.bounded(int(list.size())));
        };
        const auto randomOp = [&](Client *c) -> Result<QString> {
            QStringList notes;
            for (const QString &id : c->objectIds())
                if (c->frontendType(id) == QLatin1String("note") && c->hasValue(attr(id, "text")))
                    notes << id;
            if (notes.isEmpty() || rng.bounded(20) == 0) {
                return c->createObject(Note::staticTypeName(), notes.isEmpty() || rng.bounded(2)
                                                                   ? QStringLiteral("root")
                                                                   : pick(notes));
            }
            const QString id = pick(notes);
            const QString text = c->value(attr(id, "text")).toString();
            switch (rng.bounded(14)) {
            case 0:
                return c->add(attr(id, "count"), rng.bounded(10) - 5);
            case 1:
                return c->set(attr(id, "count"), rng.bounded(100));
            case 2:
                return c->insertText(attr(id, "text"), rng.bounded(int(text.size()) + 1),
                                     QString(QChar('a' + rng.bounded(26))));
            case 3:
                if (!text.isEmpty())
                    return c->deleteText(attr(id, "text"), rng.bounded(int(text.size())), 1);
                return QString();
            case 4:
                return c->addKey(attr(id, "data"), QString::number(rng.bounded(5)), rng.bounded(9));
            case 5:
                return c->popKey(attr(id, "data"), QString::number(rng.bounded(5)));
            case 6:
                return c->changeValue(attr(id, "data"), QString::number(rng.bounded(5)),
                                      rng.bounded(9));
            case 7:
                return c->insertItem(attr(id, "items"), -1, rng.bounded(9));
            case 8:
                return c->popItem(attr(id, "items"), 0);
            case 9:
                return c->append(attr(id, "flags"), QString::number(rng.bounded(4)));
            case 10:
                return c->remove(attr(id, "flags"), QString::number(rng.bounded(4)));
            case 11:
                return c->set(attr(id, "any"), QJsonArray{rng.bounded(9), QString(id)});
            case 12:
                c->undo(rng.bounded(2) ? id : QString()); // the host may refuse: not checked
                return QString();
            case 13:
                if (rng.bounded(4) == 0 && notes.size() > 2)
                    return c->destroyObject(id);
                return c->set(attr(id, "ratio"), rng.bounded(100) / 4.0);
            }
            return QString();
        };
        int refusedLocally = 0;
        for (int round = 0; round < 12; ++round) {
            for (int step = 0; step < 25; ++step) {
                Client *c = clients.at(rng.bounded(int(clients.size())));
                if (!randomOp(c))
                    ++refusedLocally; // an op that does not fit this client's mirror
                if (rng.bounded(3) == 0)
                    QCoreApplication::processEvents(); // let some messages interleave
            }
            QByteArray why;
            QTRY_VERIFY2_WITH_TIMEOUT(allConverged(clients, &why),
                                      qPrintable(QStringLiteral("seed %1, round %2: %3")
                                                     .arg(seed)
                                                     .arg(round)
                                                     .arg(QString::fromUtf8(why))),
                                      kTimeout);
            // At this same moment the trees agree too.
            const QJsonObject tree = hostTree(fx->engine);
            for (Client *c : std::as_const(clients))
                QVERIFY2(c->objectTree() == tree,
                         qPrintable(QStringLiteral("seed %1: tree differs: client %2, host %3")
                                        .arg(seed)
                                        .arg(QString::fromUtf8(QJsonDocument(c->objectTree())
                                                                   .toJson(QJsonDocument::Compact)),
                                             QString::fromUtf8(QJsonDocument(tree).toJson(
                                                 QJsonDocument::Compact)))));
        }
        qInfo("ops refused locally: %d", refusedLocally);
    }
};

QTEST_GUILESS_MAIN(TstClientLoopback)
#include "tst_clientloopback.moc"
