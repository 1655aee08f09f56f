// SPDX-License-Identifier: MIT
// Read-only attributes, host-only objects and the engine's own topics, enforced for every
// client action and for undo and redo asked by a client; host-side code is not bound by them.

#include "testsupport.h"

using namespace testsupport;

namespace {

/*! Appears in every value the tests protect: a reason must never carry it. */
const QString secretValue = QStringLiteral("hunter2");
/*! Appears in every value a refused command carries. */
const QString sentValue = QStringLiteral("mallory");

/*! Owned by the host: clients see it and may put their own objects in it. */
class Board : public SObject
{
    OBJECTSYNC_OBJECT(Board, "board")
    OBJECTSYNC_HOST_ONLY
public:
    StringTopic *title = nullptr;
    SetTopic *members = nullptr;

protected:
    void preBuild(const QJsonObject &) override
    {
        title = addAttribute<StringTopic>(str("title"), secretValue);
        members = addAttribute<SetTopic>(str("members"), QJsonArray{secretValue});
        addEvent(str("ping"));
    }
};

/*! A client-made object with a read-only attribute of every topic type. */
class Record : public SObject
{
    OBJECTSYNC_OBJECT(Record, "record")
public:
    StringTopic *note = nullptr;
    StringTopic *secret = nullptr;
    IntTopic *edits = nullptr;
    IntTopic *createdBy = nullptr;

protected:
    void preBuild(const QJsonObject &) override
    {
        constexpr auto ro = ClientAccess::ReadOnly;
        note = addAttribute<StringTopic>(str("note"), QString());
        secret = addAttribute<StringTopic>(str("secret"), secretValue, ro);
        edits = addAttribute<IntTopic>(str("edits"), 0, ro);
        createdBy = addAttribute<IntTopic>(str("created_by"), 0, ro);
        addAttribute<FloatTopic>(str("score"), 0.5, ro);
        addAttribute<SetTopic>(str("badges"), QJsonArray{secretValue}, ro);
        addAttribute<ListTopic>(str("log"), QJsonArray{secretValue}, ro);
        addAttribute<DictTopic>(str("meta"), QJsonObject{{str("pin"), secretValue}}, ro);
        addAttribute<GenericTopic>(str("stamp"), secretValue, ro);
        addEvent(str("alarm"), {}, {}, ro);
        addReference<ObjectRef>(str("owner"), ro);
    }
    void build(const QJsonObject &) override { createdBy->set(engine()->currentOrigin()); }
    void init() override
    {
        // A behaviour writing a read-only attribute: host-side code, so it may.
        listen(note, [this](const Change &) { edits->add(1); });
    }
};

QJsonObject emitCommand(const QString &topic, const QJsonObject &args)
{
    return change(topic, str("event"), str("emit"), str("e"), {{str("args"), args}});
}

QJsonObject createCommand(const QJsonObject &args)
{
    return emitCommand(str("create_object"), args);
}

QJsonObject destroyCommand(const QString &id)
{
    return emitCommand(str("destroy_object"), {{str("id"), id}});
}

QJsonObject setCommand(const QString &topic, const QString &topicType, const QJsonValue &value)
{
    return change(topic, topicType, str("set"), str("c"), {{str("value"), value}});
}

} // namespace

class TstAccessRules : public QObject
{
    Q_OBJECT

    std::unique_ptr<Engine> engine;
    std::unique_ptr<Hub> hub;
    std::unique_ptr<Peer> a; //!< the client acting
    std::unique_ptr<Peer> b; //!< another client, subscribed to every topic
    Board *board = nullptr;
    Record *record = nullptr;

    QString own(int n) const
    {
        return QString::number(a->id()) + QLatin1Char('_') + QString::number(n);
    }

    /*! b follows every topic there is now. */
    void followEverything()
    {
        for (const QString &name : engine->topicNames())
            b->subscribe(name);
        b->take();
    }

    /*! Sends \a commands as one action of a; checks that it is rejected with a reason that
     *  holds \a expected and no value, that nothing changed and that b heard nothing. */
    void expectRejected(const QJsonArray &commands, const QString &expected)
    {
        followEverything();
        a->take();
        const QJsonObject before = snapshot(*engine);
        a->action(str("act"), commands);
        QCOMPARE(snapshot(*engine), before);
        const QJsonObject reject = a->takeOne();
        QCOMPARE(typeOf(reject), str("reject"));
        QCOMPARE(argsOf(reject).value(str("action_id")).toString(), str("act"));
        const QString reason = argsOf(reject).value(str("reason")).toString();
        QVERIFY2(reason.contains(expected), qPrintable(reason));
        QVERIFY2(!reason.contains(secretValue) && !reason.contains(sentValue), qPrintable(reason));
        QVERIFY(b->take().isEmpty());
    }

    /*! Sends \a commands as one action of a and checks that it is applied. */
    void expectApplied(const QJsonArray &commands)
    {
        a->take();
        a->action(str("ok"), commands);
        const QList<QJsonObject> out = a->take();
        for (const QJsonObject &m : out)
            QVERIFY2(typeOf(m) != str("reject"),
                     qPrintable(argsOf(m).value(str("reason")).toString()));
    }

    /*! a's undo or redo request; returns the error of the response ("" when it worked). */
    QString requestUndo(const char *service, const QString &scope = {})
    {
        a->take();
        QJsonObject args;
        if (!scope.isEmpty())
            args.insert(str("id"), scope);
        a->request(str(service), args, str("r"));
        const QList<QJsonObject> out = a->take();
        if (out.isEmpty() || typeOf(out.last()) != str("response"))
            return str("no response");
        const QJsonObject response = argsOf(out.last());
        return response.contains(str("error")) ? response.value(str("error")).toString()
                                               : QString();
    }

    /*! Checks that a's \a service request is refused with \a expected, changing nothing. */
    void expectUndoRefused(const char *service, const QString &scope, const QString &expected)
    {
        followEverything();
        const QJsonObject before = snapshot(*engine);
        const bool couldUndo = engine->canUndo();
        const bool couldRedo = engine->canRedo();
        const QString error = requestUndo(service, scope);
        QVERIFY2(error.contains(str("%1 refused").arg(QLatin1String(service))), qPrintable(error));
        QVERIFY2(error.contains(expected), qPrintable(error));
        QVERIFY2(!error.contains(secretValue) && !error.contains(sentValue), qPrintable(error));
        QCOMPARE(snapshot(*engine), before);
        QCOMPARE(engine->canUndo(), couldUndo);
        QCOMPARE(engine->canRedo(), couldRedo);
        QVERIFY(b->take().isEmpty());
    }

private slots:
    void init()
    {
        engine = std::make_unique<Engine>();
        engine->registerType<Board>();
        engine->registerType<Record>();
        hub = std::make_unique<Hub>(engine.get());
        board = engine->createObject<Board>(nullptr, str("b"));
        board->addTag(str("pinned"));
        record = engine->createObject<Record>(nullptr, str("r"));
        a = std::make_unique<Peer>(hub.get());
        b = std::make_unique<Peer>(hub.get());
        a->take();
        b->take();
    }

    void cleanup()
    {
        a.reset();
        b.reset();
        hub.reset();
        engine.reset();
    }

    void declarationsAreVisible()
    {
        QVERIFY(board->isHostOnly());
        QVERIFY(!record->isHostOnly());
        QVERIFY(record->isReadOnly(str("secret")));
        QVERIFY(record->isReadOnly(str("alarm")));
        QVERIFY(record->isReadOnly(str("owner")));
        QVERIFY(!record->isReadOnly(str("note")));
        QVERIFY(engine->objectType(str("Board"))->hostOnly);
        QVERIFY(!engine->objectType(str("Record"))->hostOnly);
    }

    void readOnlyAttributesRefuseEveryChange_data()
    {
        QTest::addColumn<QJsonObject>("command");
        QTest::addColumn<QString>("attribute");
        const auto row = [](const char *name, const char *attribute, const char *topicType,
                            const char *type, const QJsonObject &fields) {
            QTest::newRow(name) << change(str("a/r/") + str(attribute), str(topicType), str(type),
                                          str("c"), fields)
                                << str(attribute);
        };
        const QString v = sentValue;
        row("string set", "secret", "string", "set", {{str("value"), v}});
        row("string insert", "secret", "string", "insert",
            {{str("position"), 0}, {str("insertion"), v}, {str("topic_version"), QString()}});
        row("string delete", "secret", "string", "delete",
            {{str("position"), 0},
             {str("deletion"), secretValue},
             {str("topic_version"), QString()}});
        row("int set", "edits", "int", "set", {{str("value"), 99}});
        row("int add", "edits", "int", "add", {{str("value"), 1}});
        row("float set", "score", "float", "set", {{str("value"), 2.5}});
        row("float add", "score", "float", "add", {{str("value"), 0.5}});
        row("set set", "badges", "set", "set", {{str("value"), QJsonArray{v}}});
        row("set append", "badges", "set", "append", {{str("item"), v}});
        row("set remove", "badges", "set", "remove", {{str("item"), secretValue}});
        row("list set", "log", "list", "set", {{str("value"), QJsonArray{v}}});
        row("list insert", "log", "list", "insert", {{str("item"), v}, {str("position"), 0}});
        row("list pop", "log", "list", "pop", {{str("position"), 0}});
        row("dict set", "meta", "dict", "set", {{str("value"), QJsonObject{{v, v}}}});
        row("dict add", "meta", "dict", "add", {{str("key"), v}, {str("value"), v}});
        row("dict pop", "meta", "dict", "pop", {{str("key"), str("pin")}});
        row("dict change_value", "meta", "dict", "change_value",
            {{str("key"), str("pin")}, {str("value"), v}});
        row("generic set", "stamp", "generic", "set", {{str("value"), v}});
        row("event emit", "alarm", "event", "emit", {{str("args"), QJsonObject{{v, v}}}});
        row("reference set", "owner", "string", "set", {{str("value"), str("b")}});
        row("stamped by the host", "created_by", "int", "set", {{str("value"), 0}});
    }
    void readOnlyAttributesRefuseEveryChange()
    {
        QFETCH(QJsonObject, command);
        QFETCH(QString, attribute);
        const QString expected = str("attribute '%1' of object 'r' is read-only").arg(attribute);
        expectRejected({command}, expected);
        // With an acceptable command before it, the whole action is refused.
        expectRejected({setCommand(str("a/r/note"), str("string"), str("fine")), command},
                       str("command 1: ") + expected);
    }

    void readOnlyAttributesAreReadable()
    {
        a->subscribe(str("a/r/secret"));
        QCOMPARE(argsOf(a->takeOne()).value(str("value")).toString(), secretValue);
        // Writable attributes stay writable; a behaviour may change a read-only one.
        expectApplied({setCommand(str("a/r/note"), str("string"), str("mine"))});
        QCOMPARE(record->note->get(), str("mine"));
        QCOMPARE(record->edits->get(), 1);
        // The host's own writes reach the client.
        record->secret->set(str("rotated"));
        const QJsonObject update = a->takeOne();
        QCOMPARE(typeOf(update), str("update"));
        QCOMPARE(record->secret->get(), str("rotated"));
    }

    void hostOnlyObjectsRefuseEveryTopic_data()
    {
        QTest::addColumn<QJsonObject>("command");
        QTest::addColumn<QString>("what");
        const auto row = [](const char *name, const char *topic, const char *topicType,
                            const char *type, const QJsonObject &fields, const char *what) {
            QTest::newRow(name) << change(str(topic), str(topicType), str(type), str("c"), fields)
                                << str(what);
        };
        const QString v = sentValue;
        row("attribute set", "a/b/title", "string", "set", {{str("value"), v}},
            "change its attributes");
        row("attribute insert", "a/b/title", "string", "insert",
            {{str("position"), 0}, {str("insertion"), v}, {str("topic_version"), QString()}},
            "change its attributes");
        row("attribute delete", "a/b/title", "string", "delete",
            {{str("position"), 0}, {str("deletion"), str("h")}, {str("topic_version"), QString()}},
            "change its attributes");
        row("attribute append", "a/b/members", "set", "append", {{str("item"), v}},
            "change its attributes");
        row("attribute remove", "a/b/members", "set", "remove", {{str("item"), secretValue}},
            "change its attributes");
        row("event emit", "a/b/ping", "event", "emit", {{str("args"), QJsonObject()}},
            "change its attributes");
        row("move", "parent_id/b", "string", "set", {{str("value"), str("r")}}, "move it");
        row("move in place", "parent_id/b", "string", "set", {{str("value"), str("root")}},
            "move it");
        row("tags append", "tags/b", "set", "append", {{str("item"), v}}, "change its tags");
        row("tags remove", "tags/b", "set", "remove", {{str("item"), str("pinned")}},
            "change its tags");
        row("tags set", "tags/b", "set", "set", {{str("value"), QJsonArray()}}, "change its tags");
    }
    void hostOnlyObjectsRefuseEveryTopic()
    {
        QFETCH(QJsonObject, command);
        QFETCH(QString, what);
        expectRejected({command}, str("object 'b' belongs to the host: clients may not ") + what);
    }

    void hostOnlyTypesCannotBeCreated_data()
    {
        QTest::addColumn<QJsonObject>("args");
        const QString id = str("%1_1").arg(1); // the first peer is client 1
        const QJsonObject boardNode{{str("type"), str("Board")}, {str("id"), str("1_2")}};
        QTest::newRow("type") << QJsonObject{{str("type"), str("Board")}, {str("id"), id}};
        QTest::newRow("type, host-made id") << QJsonObject{{str("type"), str("Board")}};
        QTest::newRow("under a board") << QJsonObject{
            {str("type"), str("Board")}, {str("id"), id}, {str("parent_id"), str("b")}};
        QTest::newRow("serialized root") << QJsonObject{{str("serialized"), boardNode}};
        QTest::newRow("serialized child") << QJsonObject{
            {str("serialized"), QJsonObject{{str("type"), str("Record")},
                                            {str("id"), id},
                                            {str("children"), QJsonArray{boardNode}}}}};
        QTest::newRow("type and serialized")
            << QJsonObject{{str("type"), str("Record")}, {str("serialized"), boardNode}};
    }
    void hostOnlyTypesCannotBeCreated()
    {
        QFETCH(QJsonObject, args);
        QCOMPARE(a->id(), 1);
        expectRejected({createCommand(args)},
                       str("objects of type 'Board' belong to the host: clients may not create"));
    }

    void clientObjectsLiveInHostOnlyObjects()
    {
        // Create under a board, write, move out and back in, destroy.
        expectApplied({createCommand(
            {{str("type"), str("Record")}, {str("id"), own(1)}, {str("parent_id"), str("b")}})});
        auto *mine = engine->objectAs<Record>(own(1));
        QVERIFY(mine);
        QCOMPARE(mine->parent(), board);
        QCOMPARE(mine->createdBy->get(), a->id());
        expectApplied({setCommand(mine->note->name(), str("string"), str("mine"))});
        QCOMPARE(mine->note->get(), str("mine"));
        expectApplied({setCommand(str("parent_id/") + own(1), str("string"), str("root"))});
        QCOMPARE(mine->parent(), engine->root());
        expectApplied({setCommand(str("parent_id/") + own(1), str("string"), str("b"))});
        QCOMPARE(mine->parent(), board);
        // Its read-only attributes stay read-only for its creator.
        expectRejected({setCommand(mine->createdBy->name(), str("int"), 0)},
                       str("attribute 'created_by' of object '%1' is read-only").arg(own(1)));
        expectApplied({destroyCommand(own(1))});
        QVERIFY(!engine->object(own(1)));
        QCOMPARE(board->children().size(), 0);
    }

    void hostOnlyObjectsAndTheirAncestorsCannotBeDestroyed()
    {
        expectRejected({destroyCommand(str("b"))},
                       str("object 'b' belongs to the host: clients may not destroy it"));
        // The host puts a board two levels down in the client's objects.
        expectApplied(
            {createCommand({{str("type"), str("Record")}, {str("id"), own(1)}}),
             createCommand(
                 {{str("type"), str("Record")}, {str("id"), own(2)}, {str("parent_id"), own(1)}})});
        engine->createObject<Board>(engine->object(own(2)), str("deep"));
        expectRejected({destroyCommand(own(1))},
                       str("object '%1' holds objects that belong to the host").arg(own(1)));
        expectRejected({destroyCommand(own(2))},
                       str("object '%1' holds objects that belong to the host").arg(own(2)));
        QVERIFY(engine->object(own(1)) && engine->object(own(2)) && engine->object(str("deep")));
        // Moving them is fine: the board inside does not change.
        expectApplied({setCommand(str("parent_id/") + own(1), str("string"), str("b"))});
        QCOMPARE(engine->object(str("deep"))->parent()->parent()->parent(), board);
        // Once the host moves it away, the client's objects are its own again.
        engine->moveObject(engine->object(str("deep")), engine->root());
        expectApplied({destroyCommand(own(1))});
        QVERIFY(!engine->object(own(1)) && !engine->object(own(2)));
        QVERIFY(engine->object(str("deep")));
    }

    void systemTopicsAreNeverWritable_data()
    {
        QTest::addColumn<QJsonObject>("command");
        const auto row = [](const char *name, const char *topic, const char *type,
                            const QJsonObject &fields) {
            QTest::newRow(name) << change(str(topic), str("dict"), str(type), str("c"), fields);
        };
        const QString v = sentValue;
        row("topic list add", "_topicsync/topic_list", "add",
            {{str("key"), v}, {str("value"), QJsonObject{{str("type"), str("int")}}}});
        row("topic list pop", "_topicsync/topic_list", "pop", {{str("key"), str("a/r/note")}});
        row("topic list change_value", "_topicsync/topic_list", "change_value",
            {{str("key"), str("a/r/note")},
             {str("value"), QJsonObject{{str("type"), str("int")}}}});
        row("topic list set", "_topicsync/topic_list", "set", {{str("value"), QJsonObject()}});
        row("objects add", "_objects", "add", {{str("key"), str("1_9")}, {str("value"), v}});
        row("objects pop", "_objects", "pop", {{str("key"), str("r")}});
        row("objects change_value", "_objects", "change_value",
            {{str("key"), str("r")}, {str("value"), str("board")}});
        row("objects set", "_objects", "set", {{str("value"), QJsonObject()}});
        row("object types add", "_object_types", "add",
            {{str("key"), str("1_9")}, {str("value"), v}});
        row("object types pop", "_object_types", "pop", {{str("key"), str("b")}});
        row("object types change_value", "_object_types", "change_value",
            {{str("key"), str("r")}, {str("value"), str("Board")}});
        row("object types set", "_object_types", "set", {{str("value"), QJsonObject()}});
    }
    void systemTopicsAreNeverWritable()
    {
        QFETCH(QJsonObject, command);
        expectRejected({command}, str("belongs to the engine and cannot be changed by clients"));
    }

    void servicesDecideForThemselves()
    {
        // A service runs host-side code: it may write what clients may not.
        int origin = -1;
        engine->registerService(str("rotate"), [this, &origin](const QJsonObject &) {
            auto t = engine->transaction();
            origin = engine->currentOrigin();
            record->secret->set(str("rotated"));
            board->title->set(str("Renamed"));
            t.commit();
            return QJsonValue(true);
        });
        a->request(str("rotate"), {}, str("s"));
        QVERIFY(!argsOf(a->takeOne()).contains(str("error")));
        QCOMPARE(origin, a->id()); // the transition is the client's, the code the host's
        QCOMPARE(record->secret->get(), str("rotated"));
        QCOMPARE(board->title->get(), str("Renamed"));
    }

    void hostSideCodeIsNotBound()
    {
        followEverything();
        record->secret->set(str("host"));
        board->title->set(str("Host title"));
        board->addTag(str("archived"));
        engine->moveObject(board, record);
        QCOMPARE(board->parent(), record);
        engine->destroyObject(record); // with the board inside
        QVERIFY(!engine->object(str("b")));
        QCOMPARE(b->take().size(), 5); // one update per transition
        engine->createObject<Board>(nullptr, str("b2"));
        QVERIFY(engine->object(str("b2"))->isHostOnly());
    }

    void undoOfTheHostsReadOnlyWriteIsRefused()
    {
        record->edits->set(7); // the host writes a read-only attribute
        expectUndoRefused("undo", QString(), str("attribute 'edits' of object 'r' is read-only"));
        expectUndoRefused("undo", str("r"), str("attribute 'edits' of object 'r' is read-only"));
        // The host itself may undo it, and the client may not redo it.
        QCOMPARE(engine->undo().errorMessage(), QString());
        QCOMPARE(record->edits->get(), 0);
        expectUndoRefused("redo", QString(), str("attribute 'edits' of object 'r' is read-only"));
        QCOMPARE(engine->redo().errorMessage(), QString());
        QCOMPARE(record->edits->get(), 7);
    }

    void undoOfHostChangesToHostOnlyObjectsIsRefused()
    {
        board->title->set(str("Host title"));
        expectUndoRefused("undo", str("b"), str("object 'b' belongs to the host"));
        board->addTag(str("archived")); // tags are not recorded: the title is still the latest
        engine->moveObject(board, record);
        expectUndoRefused("undo", QString(),
                          str("object 'b' belongs to the host: clients may not move it"));
        QCOMPARE(engine->undo().errorMessage(), QString());

        // Undoing the host's creation or destruction of a board would destroy or create it.
        engine->createObject<Board>(nullptr, str("b2"));
        expectUndoRefused("undo", QString(),
                          str("object 'b2' belongs to the host: clients may not destroy it"));
        QVERIFY(engine->object(str("b2")));
        engine->destroyObject(engine->object(str("b2")));
        expectUndoRefused("undo", QString(),
                          str("object 'b2' belongs to the host: clients may not create it"));
        QVERIFY(!engine->object(str("b2")));
    }

    void undoOfUnprotectedHostChangesWorks()
    {
        record->note->set(str("by the host")); // the behaviour counts it in edits
        QCOMPARE(record->edits->get(), 1);
        // The transition wrote a read-only attribute through the behaviour: refused.
        expectUndoRefused("undo", str("r"), str("attribute 'edits' of object 'r' is read-only"));
        // Something the host did that touches nothing protected is fair game.
        auto *n = engine->addTopic<IntTopic>(str("n"), 1);
        n->set(2);
        QCOMPARE(requestUndo("undo"), QString());
        QCOMPARE(n->get(), 1);
        QCOMPARE(requestUndo("redo"), QString());
        QCOMPARE(n->get(), 2);
    }

    void clientsTakeBackWhatTheyCaused()
    {
        // a's own edit, with the behaviour's read-only write in the same transition.
        expectApplied({setCommand(str("a/r/note"), str("string"), str("mine"))});
        QCOMPARE(record->edits->get(), 1);
        // Another client may not undo it: it changes a read-only attribute.
        std::swap(a, b);
        expectUndoRefused("undo", str("r"), str("attribute 'edits' of object 'r' is read-only"));
        std::swap(a, b);
        // Its author may, and the undo is its transition.
        QList<TransitionPtr> committed;
        QObject listening; // ends the connection with this function
        connect(engine.get(), &Engine::transitionCommitted, &listening,
                [&committed](const TransitionPtr &t) { committed.append(t); });
        QCOMPARE(requestUndo("undo", str("r")), QString());
        QCOMPARE(record->note->get(), QString());
        QCOMPARE(record->edits->get(), 0);
        QCOMPARE(committed.size(), 1);
        QCOMPARE(committed.first()->kind, TransitionKind::Undo);
        QCOMPARE(committed.first()->origin, a->id());
        QCOMPARE(requestUndo("redo", str("r")), QString());
        QCOMPARE(record->edits->get(), 1);
        QCOMPARE(committed.last()->origin, a->id());

        // Its own object made under a board: undo takes it away again.
        expectApplied({createCommand(
            {{str("type"), str("Record")}, {str("id"), own(1)}, {str("parent_id"), str("b")}})});
        QCOMPARE(requestUndo("undo", str("b")), QString());
        QVERIFY(!engine->object(own(1)));
        QCOMPARE(requestUndo("redo", str("b")), QString());
        QVERIFY(engine->object(own(1)));
    }

    void clientsMayUndoOtherClientsUnprotectedWork()
    {
        // b makes a record of its own and writes its note; a undoes the creation.
        std::swap(a, b);
        const QString theirs = own(1);
        expectApplied({createCommand({{str("type"), str("Record")}, {str("id"), theirs}})});
        std::swap(a, b);
        QVERIFY(engine->object(theirs));
        QCOMPARE(requestUndo("undo"), QString());
        QVERIFY(!engine->object(theirs));
    }
};

QTEST_GUILESS_MAIN(TstAccessRules)
#include "tst_accessrules.moc"
