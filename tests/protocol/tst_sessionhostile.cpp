// SPDX-License-Identifier: MIT
// Hostile object-tree actions from a client: each one is refused with a reject to its sender,
// changes nothing, and reaches nobody else.

#include "testsupport.h"

using namespace testsupport;

namespace {

QJsonObject createEvent(const QString &changeId, const QJsonObject &args)
{
    return change(str("create_object"), str("event"), str("emit"), changeId, {{str("args"), args}});
}

QJsonObject destroyEvent(const QString &changeId, const QString &objectId)
{
    return change(str("destroy_object"), str("event"), str("emit"), changeId,
                  {{str("args"), QJsonObject{{str("id"), objectId}}}});
}

QJsonObject move(const QString &changeId, const QString &objectId, const QString &parentId)
{
    return change(str("parent_id/") + objectId, str("string"), str("set"), changeId,
                  {{str("value"), parentId}});
}

} // namespace

class TstSessionHostile : public QObject
{
    Q_OBJECT
private:
    struct World
    {
        Engine engine;
        std::unique_ptr<Hub> hub;
        std::unique_ptr<Peer> a, b;
        QString parent, child; // a's objects: child lives under parent
    };

    static void build(World &w)
    {
        w.engine.registerType<Note>();
        w.hub = std::make_unique<Hub>(&w.engine);
        w.a = std::make_unique<Peer>(w.hub.get());
        w.b = std::make_unique<Peer>(w.hub.get());
        w.parent = QString::number(w.a->id()) + str("_p");
        w.child = QString::number(w.a->id()) + str("_c");
        w.a->action(str("setup"),
                    {createEvent(str("s1"), {{str("type"), str("Note")}, {str("id"), w.parent}}),
                     createEvent(str("s2"), {{str("type"), str("Note")},
                                             {str("id"), w.child},
                                             {str("parent_id"), w.parent}})});
        QVERIFY(w.engine.object(w.child));
        QCOMPARE(w.engine.object(w.child)->parent()->id(), w.parent);
        for (Peer *p : {w.a.get(), w.b.get()})
            for (const char *t : {"_objects", "_topicsync/topic_list"})
                p->subscribe(str(t));
        w.b->subscribe(str("parent_id/") + w.parent);
        w.b->subscribe(str("parent_id/") + w.child);
        w.a->take();
        w.b->take();
    }

private slots:
    void refusedTreeActions_data()
    {
        QTest::addColumn<QString>("what");
        for (const char *name :
             {"destroy the root", "destroy an unknown object", "duplicate id",
              "duplicate id inside one action", "unknown type", "type not a string",
              "unknown parent", "parent is not a string", "cycle: parent under its child",
              "cycle: object under itself", "move under an unknown object", "move the root",
              "good command then a bad one"})
            QTest::newRow(name) << str(name);
    }

    void refusedTreeActions()
    {
        QFETCH(QString, what);
        World w;
        build(w);
        if (QTest::currentTestFailed())
            return;
        const QString prefix = QString::number(w.a->id()) + str("_");
        QJsonArray commands;
        if (what == str("destroy the root")) {
            commands = {destroyEvent(str("c"), str("root"))};
        } else if (what == str("destroy an unknown object")) {
            commands = {destroyEvent(str("c"), prefix + str("nothing"))};
        } else if (what == str("duplicate id")) {
            commands = {createEvent(str("c"), {{str("type"), str("Note")}, {str("id"), w.child}})};
        } else if (what == str("duplicate id inside one action")) {
            commands = {createEvent(str("c1"),
                                    {{str("type"), str("Note")}, {str("id"), prefix + str("d")}}),
                        createEvent(str("c2"),
                                    {{str("type"), str("Note")}, {str("id"), prefix + str("d")}})};
        } else if (what == str("unknown type")) {
            commands = {createEvent(str("c"), {{str("type"), str("NoSuchType")}})};
        } else if (what == str("type not a string")) {
            commands = {createEvent(str("c"), {{str("type"), 42}})};
        } else if (what == str("unknown parent")) {
            commands = {createEvent(str("c"), {{str("type"), str("Note")},
                                               {str("parent_id"), prefix + str("nowhere")}})};
        } else if (what == str("parent is not a string")) {
            commands = {createEvent(
                str("c"), {{str("type"), str("Note")}, {str("parent_id"), QJsonArray{1}}})};
        } else if (what == str("cycle: parent under its child")) {
            commands = {move(str("c"), w.parent, w.child)};
        } else if (what == str("cycle: object under itself")) {
            commands = {move(str("c"), w.child, w.child)};
        } else if (what == str("move under an unknown object")) {
            commands = {move(str("c"), w.child, prefix + str("nowhere"))};
        } else if (what == str("move the root")) {
            commands = {move(str("c"), str("root"), w.child)};
        } else if (what == str("good command then a bad one")) {
            commands = {createEvent(str("c1"),
                                    {{str("type"), str("Note")}, {str("id"), prefix + str("ok")}}),
                        destroyEvent(str("c2"), str("root"))};
        }
        QVERIFY(!commands.isEmpty());
        const QJsonObject before = snapshot(w.engine);
        const qsizetype objects = w.engine.objectCount();

        w.a->action(str("bad"), commands);

        QCOMPARE(snapshot(w.engine), before);
        QCOMPARE(w.engine.objectCount(), objects);
        QVERIFY(w.engine.object(str("root")));
        QCOMPARE(w.engine.object(w.child)->parent()->id(), w.parent);
        const QList<QJsonObject> out = w.a->take();
        QCOMPARE(out.size(), 1);
        QCOMPARE(typeOf(out[0]), str("reject"));
        QCOMPARE(argsOf(out[0]).value(str("action_id")).toString(), str("bad"));
        QVERIFY(!argsOf(out[0]).value(str("reason")).toString().isEmpty());
        QVERIFY(w.b->take().isEmpty());
        QVERIFY(!w.a->session->isClosed());

        // The session and the engine still work afterwards.
        w.a->action(str("after"), {createEvent(str("c9"), {{str("type"), str("Note")},
                                                           {str("id"), prefix + str("later")}})});
        QVERIFY(w.engine.object(prefix + str("later")));
        QCOMPARE(w.b->take().size(), 1); // one update: _objects and the topic list
    }

    void burstOfBadActionsChangesNothing()
    {
        World w;
        build(w);
        const QJsonObject before = snapshot(w.engine);
        for (int i = 0; i < 300; ++i)
            w.a->action(QStringLiteral("bad%1").arg(i), {destroyEvent(str("c"), str("root"))});
        QCOMPARE(snapshot(w.engine), before);
        const QList<QJsonObject> out = w.a->take();
        QCOMPARE(out.size(), 300);
        for (const QJsonObject &m : out)
            QCOMPARE(typeOf(m), str("reject"));
        QVERIFY(w.b->take().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TstSessionHostile)
#include "tst_sessionhostile.moc"
