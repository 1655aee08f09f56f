// SPDX-License-Identifier: MIT
// Declaring read-only attributes and host-only types, and undo on behalf of a client: the
// engine keeps the declarations and lets a check refuse an undo, but enforces nothing itself.
#include "testtypes.h"

#include <QtTest>

using namespace objectsync;
using namespace testing;

namespace {

class Ledger : public SObject
{
    OBJECTSYNC_OBJECT(Ledger, "ledger")
    OBJECTSYNC_HOST_ONLY
public:
    IntTopic *total = nullptr;

protected:
    void preBuild(const QJsonObject &) override
    {
        total = addAttribute<IntTopic>(QStringLiteral("total"), 0);
    }
};

class Entry : public SObject
{
    OBJECTSYNC_OBJECT(Entry, "entry")
public:
    StringTopic *text = nullptr;
    IntTopic *amount = nullptr;
    ObjectRef author;
    EventTopic *audit = nullptr;

protected:
    void preBuild(const QJsonObject &) override
    {
        text = addAttribute<StringTopic>(QStringLiteral("text"), QString());
        amount = addAttribute<IntTopic>(QStringLiteral("amount"), 0, ClientAccess::ReadOnly);
        author = addReference<ObjectRef>(QStringLiteral("author"), ClientAccess::ReadOnly);
        audit = addEvent(QStringLiteral("audit"), {}, {}, ClientAccess::ReadOnly);
    }
};

} // namespace

class TstClientAccess : public QObject
{
    Q_OBJECT
private slots:
    void readOnlyDeclarations()
    {
        Engine engine;
        auto *e = engine.createObject<Entry>();
        QVERIFY(!e->isReadOnly(QStringLiteral("text")));
        QVERIFY(e->isReadOnly(QStringLiteral("amount")));
        QVERIFY(e->isReadOnly(QStringLiteral("author")));
        QVERIFY(e->isReadOnly(QStringLiteral("audit")));
        QVERIFY(!e->isReadOnly(QStringLiteral("missing")));
        QVERIFY(!e->isHostOnly());
        // Types without attributes have no extra data and nothing read-only.
        QVERIFY(!engine.root()->isReadOnly(QStringLiteral("amount")));
    }

    void hostOnlyTypes()
    {
        Engine engine;
        engine.registerType<Ledger>();
        QVERIFY(engine.objectType(QStringLiteral("Ledger"))->hostOnly);
        QVERIFY(objectTypeOf<Ledger>().hostOnly);
        QVERIFY(!objectTypeOf<Entry>().hostOnly);
        QCOMPARE(objectTypeOf<Ledger>().name, QStringLiteral("Ledger"));
        QCOMPARE(objectTypeOf<Ledger>().frontendType, QStringLiteral("ledger"));
        // A type made at run time says it in its ObjectType.
        ObjectType vault{QStringLiteral("Vault"), QStringLiteral("vault"),
                         [] { return static_cast<SObject *>(new TextObject); }};
        vault.hostOnly = true;
        engine.registerType(vault);

        auto *ledger = engine.createObject<Ledger>();
        QVERIFY(ledger->isHostOnly());
        QVERIFY(engine.createObject(QStringLiteral("Vault"))->isHostOnly());
        QVERIFY(!engine.createObject<Entry>()->isHostOnly());
        QVERIFY(!engine.root()->isHostOnly());
    }

    void declarationsSurviveRestoration()
    {
        Engine engine;
        auto *ledger = engine.createObject<Ledger>(nullptr, QStringLiteral("l"));
        engine.createObject<Entry>(ledger, QStringLiteral("e"));
        engine.destroyObject(ledger);
        QCOMPARE(engine.undo().errorMessage(), QString()); // new instances, built from the history
        QVERIFY(engine.object(QStringLiteral("l"))->isHostOnly());
        QVERIFY(engine.object(QStringLiteral("e"))->isReadOnly(QStringLiteral("amount")));
        QVERIFY(!engine.object(QStringLiteral("e"))->isReadOnly(QStringLiteral("text")));

        // A pasted copy too.
        SObject *copy = engine.deserialize(engine.serialize(engine.object(QStringLiteral("l"))),
                                           nullptr, IdMode::Remap);
        QVERIFY(copy->isHostOnly());
        QVERIFY(copy->children().first()->isReadOnly(QStringLiteral("author")));
    }

    void theEngineEnforcesNothing()
    {
        // The rules bind clients, and the protocol enforces them; code may do anything.
        Engine engine;
        auto *ledger = engine.createObject<Ledger>();
        auto *entry = engine.createObject<Entry>(ledger);
        QCOMPARE(engine
                     .tryTransition(
                         [&] {
                             entry->amount->set(5);
                             entry->author.set(ledger);
                             entry->audit->emitEvent({});
                             ledger->total->add(5);
                             ledger->addTag(QStringLiteral("audited"));
                         },
                         /*origin=*/7)
                     .errorMessage(),
                 QString());
        QCOMPARE(entry->amount->get(), 5);
        QCOMPARE(ledger->total->get(), 5);
        const QString entryId = entry->id();
        engine.destroyObject(ledger); // host-only, with a child: code may destroy it
        QVERIFY(!engine.object(entryId));
    }

    void undoOnBehalfOfAClient()
    {
        Engine engine;
        auto *entry = engine.createObject<Entry>();
        QCOMPARE(
            engine.tryTransition([&] { entry->text->set(QStringLiteral("a")); }, 3).errorMessage(),
            QString());
        entry->amount->set(9); // origin 0

        TransitionRecorder recorder(&engine);
        QList<int> recordedOrigins;
        QList<qsizetype> seen;
        const UndoCheck allow = [&](const QList<Change> &changes, int recordedOrigin) {
            recordedOrigins.append(recordedOrigin);
            seen.append(changes.size());
            return Result<void>();
        };
        QCOMPARE(engine.undo(nullptr, 5, allow).errorMessage(), QString());
        QCOMPARE(entry->amount->get(), 0);
        QCOMPARE(engine.undo(nullptr, 5, allow).errorMessage(), QString());
        QCOMPARE(entry->text->get(), QString());
        QCOMPARE(recordedOrigins, (QList<int>{0, 3}));
        QCOMPARE(seen, (QList<qsizetype>{1, 1}));
        QCOMPARE(recorder.count(), 2);
        QCOMPARE(recorder.transitions.at(0)->origin, 5);
        QCOMPARE(recorder.transitions.at(0)->kind, TransitionKind::Undo);
        QCOMPARE(recorder.transitions.at(0)->changes.first().topicName, entry->amount->name());

        QCOMPARE(engine.redo(nullptr, 6, allow).errorMessage(), QString());
        QCOMPARE(recorder.last()->origin, 6);
        QCOMPARE(recorder.last()->kind, TransitionKind::Redo);
        QCOMPARE(recordedOrigins.last(), 3); // the record keeps its own origin
        QCOMPARE(entry->text->get(), QStringLiteral("a"));

        // Without a client, undo keeps the origin of whoever calls it.
        QCOMPARE(engine.undo().errorMessage(), QString());
        QCOMPARE(recorder.last()->origin, 0);
    }

    void aRefusedUndoChangesNothing()
    {
        Engine engine;
        auto *entry = engine.createObject<Entry>();
        entry->amount->set(4);
        entry->text->set(QStringLiteral("kept"));
        QCOMPARE(engine.undo().errorMessage(), QString());
        const QJsonObject before = snapshot(engine);
        TransitionRecorder recorder(&engine);
        qint64 amountSeen = -1;
        QString textSeen;
        qsizetype changesSeen = 0;
        const UndoCheck refuse = [&](const QList<Change> &changes, int) {
            // It sees the undo or redo applied, before the commit.
            amountSeen = entry->amount->get();
            textSeen = entry->text->get();
            changesSeen = changes.size();
            return Result<void>(Error(QStringLiteral("no, thanks")));
        };
        QCOMPARE(engine.undo(nullptr, 2, refuse).errorMessage(), QStringLiteral("no, thanks"));
        QCOMPARE(amountSeen, 0);
        QCOMPARE(changesSeen, 1);
        QCOMPARE(engine.redo(nullptr, 2, refuse).errorMessage(), QStringLiteral("no, thanks"));
        QCOMPARE(textSeen, QStringLiteral("kept"));
        QCOMPARE(amountSeen, 4);
        QCOMPARE(snapshot(engine), before);
        QCOMPARE(recorder.count(), 0);
        QVERIFY(engine.canUndo());
        QVERIFY(engine.canRedo());
        // The same entries are still there for the host.
        QCOMPARE(engine.redo().errorMessage(), QString());
        QCOMPARE(entry->text->get(), QStringLiteral("kept"));
        QCOMPARE(engine.undo().errorMessage(), QString());
        QCOMPARE(engine.undo().errorMessage(), QString());
        QCOMPARE(entry->amount->get(), 0);

        // A check that throws refuses too.
        const UndoCheck throws = [](const QList<Change> &, int) -> Result<void> {
            throw Error(QStringLiteral("check failed"));
        };
        QCOMPARE(engine.redo(nullptr, 2, throws).errorMessage(), QStringLiteral("check failed"));
        QCOMPARE(entry->amount->get(), 0);
    }
};

QTEST_GUILESS_MAIN(TstClientAccess)
#include "tst_clientaccess.moc"
