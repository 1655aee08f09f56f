// SPDX-License-Identifier: MIT
// The task board plugin's rules, driven through the engine the way the server applies a
// client's action: one transition per action, attributed to the client.
#include "core/pluginmanager.h"
#include "taskboardfixture.h"

#include <objectsync/engine.h>

#include <QtTest>

using namespace objectsync;
using namespace testing;

class TstTaskBoard : public QObject
{
    Q_OBJECT
private slots:
    void init()
    {
        m_engine = std::make_unique<Engine>();
        m_manager = std::make_unique<PluginManager>(m_engine.get());
        const QDir dir(QStringLiteral(OBJECTSYNC_EXAMPLE_PLUGIN_DIR));
        QString file;
        for (const QString &f : dir.entryList(QDir::Files))
            if (f.contains(QLatin1String("objectsync_taskboard")))
                file = dir.absoluteFilePath(f);
        const PluginInfo info = m_manager->loadFile(file);
        QVERIFY2(info.isLoaded(), qPrintable(file + QLatin1Char(' ') + info.error));
        QCOMPARE(m_manager->buildScene(QStringLiteral("taskboard")).errorMessage(), QString());
        QCOMPARE(m_engine->root()->children().size(), 1);
        m_board = m_engine->root()->children().first()->id();
        const QList<SObject *> columns = m_engine->object(m_board)->children();
        QCOMPARE(columns.size(), 3);
        m_todo = columns.at(0)->id();
        m_doing = columns.at(1)->id();
        m_done = columns.at(2)->id();
        m_guide = card(QStringLiteral("Write the plugin guide"));
        m_login = card(QStringLiteral("Fix the login bug"));
        m_setup = card(QStringLiteral("Set up the build"));
        m_release = card(QStringLiteral("Release 1.0"));
        QVERIFY(!m_guide.isEmpty() && !m_login.isEmpty() && !m_setup.isEmpty() &&
                !m_release.isEmpty());
    }

    void cleanup()
    {
        m_engine.reset();
        m_manager.reset();
    }

    void sceneContent()
    {
        QCOMPARE(attr(m_board, "title").toString(), QStringLiteral("Team board"));
        QCOMPARE(
            attr(m_board, "members").toArray(),
            (QJsonArray{QStringLiteral("alice"), QStringLiteral("bob"), QStringLiteral("carol")}));
        QCOMPARE(m_engine->object(m_board)->frontendType(), QStringLiteral("board"));
        // The board belongs to the host; its columns and cards do not.
        QVERIFY(m_engine->object(m_board)->isHostOnly());
        QVERIFY(!m_engine->object(m_todo)->isHostOnly());
        QVERIFY(!m_engine->object(m_login)->isHostOnly());
        QCOMPARE(attr(m_todo, "title").toString(), QStringLiteral("To do"));
        QCOMPARE(attr(m_doing, "title").toString(), QStringLiteral("Doing"));
        QCOMPARE(attr(m_doing, "wip_limit").toInt(), 2);
        QCOMPARE(attr(m_done, "title").toString(), QStringLiteral("Done"));
        QCOMPARE(attr(m_board, "done_column").toString(), m_done);
        QCOMPARE(cards(m_todo), (QStringList{m_guide, m_release}));
        QCOMPARE(cards(m_doing), QStringList{m_login});
        QCOMPARE(cards(m_done), QStringList{m_setup});
        QCOMPARE(attr(m_release, "blocked_by").toArray(), (QJsonArray{m_guide, m_login}));
        QCOMPARE(attr(m_login, "assignee").toString(), QStringLiteral("bob"));
        QCOMPARE(attr(m_login, "labels").toArray(), QJsonArray{QStringLiteral("bug")});
        QCOMPARE(attr(m_login, "created_by").toInt(), 0);
        QCOMPARE(m_engine->object(m_login)->frontendType(), QStringLiteral("card"));
    }

    void emptyTitlesAreRefused()
    {
        const QString why = act(3, {setString(topic(m_guide, "title"), QStringLiteral("   "))});
        QVERIFY2(why.contains(QStringLiteral("a card needs a title")), qPrintable(why));
        QCOMPARE(attr(m_guide, "title").toString(), QStringLiteral("Write the plugin guide"));
        QVERIFY(act(3, {setString(topic(m_todo, "title"), QString())})
                    .contains(QStringLiteral("a column needs a title")));
        QVERIFY(act(3, {setString(topic(m_board, "title"), QString())})
                    .contains(QStringLiteral("a board needs a title")));
        QCOMPARE(act(3, {setString(topic(m_guide, "title"), QStringLiteral("Write the guide"))}),
                 QString());
        QCOMPARE(attr(m_guide, "title").toString(), QStringLiteral("Write the guide"));
    }

    void movesKeepListsAndWipLimits()
    {
        QCOMPARE(act(3, {setString(QStringLiteral("parent_id/") + m_guide, m_doing)}), QString());
        QCOMPARE(cards(m_todo), QStringList{m_release});
        QCOMPARE(cards(m_doing), (QStringList{m_login, m_guide}));
        const QJsonObject last = attr(m_board, "activity").toArray().last().toObject();
        QCOMPARE(last.value(QStringLiteral("actor")).toString(), QStringLiteral("client 3"));
        QVERIFY(last.value(QStringLiteral("text")).toString().contains(QStringLiteral("moved")));

        // Doing holds two cards, its limit.
        const QString why = act(4, {setString(QStringLiteral("parent_id/") + m_release, m_doing)});
        QVERIFY2(why.contains(QStringLiteral("over its WIP limit of 2")), qPrintable(why));
        QCOMPARE(m_engine->object(m_release)->parent()->id(), m_todo);
        QCOMPARE(cards(m_todo), QStringList{m_release});
        QCOMPARE(cards(m_doing), (QStringList{m_login, m_guide}));

        // Nor may the limit drop below what the column holds, or below zero.
        QVERIFY(
            act(4, {setInt(topic(m_doing, "wip_limit"), 1)}).contains(QStringLiteral("WIP limit")));
        QVERIFY(
            act(4, {setInt(topic(m_doing, "wip_limit"), -1)}).contains(QStringLiteral("negative")));
        QCOMPARE(attr(m_doing, "wip_limit").toInt(), 2);
        QCOMPARE(act(4, {setInt(topic(m_doing, "wip_limit"), 0)}), QString());
        QCOMPARE(act(4, {setString(QStringLiteral("parent_id/") + m_release, m_doing)}), QString());
    }

    void moveServiceCountsCompletionsThroughUndo()
    {
        const QJsonValue result = m_engine->callService(
            m_login + QStringLiteral("/move"),
            {{QStringLiteral("column"), m_done}, {QStringLiteral("position"), 0}}, 4);
        QCOMPARE(result[QStringLiteral("position")].toInt(), 0);
        QCOMPARE(cards(m_done), (QStringList{m_login, m_setup}));
        QCOMPARE(cards(m_doing), QStringList());
        QCOMPARE(stats()[QStringLiteral("completed")].toInt(), 1);

        QCOMPARE(m_engine->undo().errorMessage(), QString());
        QCOMPARE(m_engine->object(m_login)->parent()->id(), m_doing);
        QCOMPARE(cards(m_doing), QStringList{m_login});
        QCOMPARE(cards(m_done), QStringList{m_setup});
        QCOMPARE(stats()[QStringLiteral("completed")].toInt(), 0);

        QCOMPARE(m_engine->redo().errorMessage(), QString());
        QCOMPARE(cards(m_done), (QStringList{m_login, m_setup}));
        QCOMPARE(stats()[QStringLiteral("completed")].toInt(), 1);

        QVERIFY_THROWS_EXCEPTION(Error,
                                 m_engine->callService(m_login + QStringLiteral("/move"),
                                                       {{QStringLiteral("column"), m_board}}, 4));
    }

    void cardsLiveInColumns()
    {
        QVERIFY(act(3, {setString(QStringLiteral("parent_id/") + m_guide, m_board)})
                    .contains(QStringLiteral("only be put in a column")));
        QVERIFY(act(3, {createCard(QStringLiteral("root"), QStringLiteral("3_1"),
                                   QStringLiteral("Stray"))})
                    .contains(QStringLiteral("only be put in a column")));
        QVERIFY(!m_engine->object(QStringLiteral("3_1")));
        QVERIFY(act(3, {createCard(m_todo, QStringLiteral("3_1"), QString())})
                    .contains(QStringLiteral("a card needs a title")));
        QVERIFY(!m_engine->object(QStringLiteral("3_1")));

        QCOMPARE(
            act(5, {createCard(m_todo, QStringLiteral("5_1"), QStringLiteral("Plan the demo"))}),
            QString());
        QCOMPARE(attr(QStringLiteral("5_1"), "created_by").toInt(), 5);
        QCOMPARE(cards(m_todo), (QStringList{m_guide, m_release, QStringLiteral("5_1")}));
        // Who created a card is read-only for clients (the protocol refuses their writes, see
        // tst_taskboard_client); code on the host may still correct it.
        QVERIFY(m_engine->object(QStringLiteral("5_1"))->isReadOnly(QStringLiteral("created_by")));
        QVERIFY(!m_engine->object(QStringLiteral("5_1"))->isReadOnly(QStringLiteral("title")));
        // A column's list holds only its own cards, once.
        QVERIFY(
            act(5, {change(topic(m_todo, "cards"), TopicType::List, ChangeType::Insert, m_login)})
                .contains(QStringLiteral("its own cards")));
        QCOMPARE(cards(m_todo), (QStringList{m_guide, m_release, QStringLiteral("5_1")}));

        // Destroying a card takes it out of its column and of other cards' blockers.
        QCOMPARE(act(5, {emitEvent(QStringLiteral("destroy_object"),
                                   {{QStringLiteral("id"), m_guide}})}),
                 QString());
        QCOMPARE(cards(m_todo), (QStringList{m_release, QStringLiteral("5_1")}));
        QCOMPARE(attr(m_release, "blocked_by").toArray(), QJsonArray{m_login});
    }

    void assigneesAreMembers()
    {
        const QString why =
            act(3, {setString(topic(m_guide, "assignee"), QStringLiteral("mallory"))});
        QVERIFY2(
            why.contains(QStringLiteral("\"mallory\" is not a member of board \"Team board\"")),
            qPrintable(why));
        QCOMPARE(attr(m_guide, "assignee").toString(), QStringLiteral("alice"));
        QCOMPARE(act(3, {setString(topic(m_guide, "assignee"), QStringLiteral("carol"))}),
                 QString());
        QCOMPARE(act(3, {setString(topic(m_guide, "assignee"), QString())}), QString());
        // bob still has the login card.
        QVERIFY(
            act(3, {removeItem(topic(m_board, "members"), QStringLiteral("bob"))})
                .contains(QStringLiteral("bob is still assigned to card \"Fix the login bug\"")));
        QVERIFY(act(3, {appendItem(topic(m_board, "members"), QString())})
                    .contains(QStringLiteral("needs a name")));
        QCOMPARE(act(3, {appendItem(topic(m_board, "members"), QStringLiteral("dave")),
                         setString(topic(m_guide, "assignee"), QStringLiteral("dave"))}),
                 QString());
    }

    void blockersAreCardsWithoutCycles()
    {
        const QString blockedBy = topic(m_guide, "blocked_by");
        QVERIFY(act(3, {appendItem(blockedBy, m_release)}).contains(QStringLiteral("cycle")));
        QVERIFY(act(3, {appendItem(blockedBy, m_guide)})
                    .contains(QStringLiteral("cannot block itself")));
        QVERIFY(act(3, {appendItem(blockedBy, m_todo)})
                    .contains(QStringLiteral("only refer to cards")));
        QCOMPARE(attr(m_guide, "blocked_by").toArray(), QJsonArray());
        QCOMPARE(act(3, {appendItem(blockedBy, m_setup)}), QString());
        QCOMPARE(act(3, {removeItem(topic(m_release, "blocked_by"), m_guide)}), QString());
        QCOMPARE(act(3, {appendItem(blockedBy, m_release)}), QString());
    }

    void labelsAreShortTexts()
    {
        const QString labels = topic(m_guide, "labels");
        QVERIFY(act(3, {appendItem(labels, QString())}).contains(QStringLiteral("non-empty")));
        QVERIFY(act(3, {appendItem(labels, QString(40, QLatin1Char('x')))})
                    .contains(QStringLiteral("at most")));
        QVERIFY(act(3, {appendItem(labels, 5)}).contains(QStringLiteral("non-empty text")));
        QCOMPARE(act(3, {appendItem(labels, QStringLiteral("urgent"))}), QString());
        QCOMPARE(attr(m_guide, "labels").toArray(),
                 (QJsonArray{QStringLiteral("docs"), QStringLiteral("urgent")}));
    }

    void clearingAColumnIsUndoable()
    {
        QCOMPARE(act(6, {emitEvent(topic(m_doing, "clear"))}), QString());
        QVERIFY(!m_engine->object(m_login));
        QCOMPARE(cards(m_doing), QStringList());
        QCOMPARE(attr(m_release, "blocked_by").toArray(), QJsonArray{m_guide});

        QCOMPARE(m_engine->undo(m_engine->object(m_board)).errorMessage(), QString());
        QVERIFY(m_engine->object(m_login));
        QCOMPARE(m_engine->object(m_login)->parent()->id(), m_doing);
        QCOMPARE(cards(m_doing), QStringList{m_login});
        QCOMPARE(attr(m_release, "blocked_by").toArray(), (QJsonArray{m_guide, m_login}));
        QCOMPARE(attr(m_login, "title").toString(), QStringLiteral("Fix the login bug"));
        // The restored card obeys the rules again.
        QVERIFY(act(3, {setString(topic(m_login, "title"), QString())})
                    .contains(QStringLiteral("needs a title")));
    }

    void boardServices()
    {
        QVERIFY_THROWS_EXCEPTION(
            Error, m_engine->callService(QStringLiteral("taskboard/create_board"), {}, 2));
        const QString ops = m_engine
                                ->callService(QStringLiteral("taskboard/create_board"),
                                              {{QStringLiteral("title"), QStringLiteral("Ops")}}, 2)
                                .toObject()
                                .value(QStringLiteral("id"))
                                .toString();
        SObject *board = m_engine->object(ops);
        QVERIFY(board);
        QCOMPARE(board->children().size(), 3);
        QCOMPARE(attr(ops, "done_column").toString(), board->children().at(2)->id());

        const QString column =
            m_engine
                ->callService(ops + QStringLiteral("/add_column"),
                              {{QStringLiteral("title"), QStringLiteral("Review")},
                               {QStringLiteral("wip_limit"), 1}},
                              2)
                .toObject()
                .value(QStringLiteral("id"))
                .toString();
        QCOMPARE(attr(column, "wip_limit").toInt(), 1);
        const QString first =
            m_engine
                ->callService(column + QStringLiteral("/add_card"),
                              {{QStringLiteral("title"), QStringLiteral("Check")}}, 2)
                .toObject()
                .value(QStringLiteral("id"))
                .toString();
        QCOMPARE(attr(first, "created_by").toInt(), 2);
        QVERIFY_THROWS_EXCEPTION(
            Error, m_engine->callService(column + QStringLiteral("/add_card"),
                                         {{QStringLiteral("title"), QStringLiteral("Again")}}, 2));
        QCOMPARE(cards(column), QStringList{first});

        const QJsonObject figures =
            m_engine->callService(ops + QStringLiteral("/stats"), {}).toObject();
        QCOMPARE(figures.value(QStringLiteral("title")).toString(), QStringLiteral("Ops"));
        QCOMPARE(figures.value(QStringLiteral("columns")).toArray().size(), 4);
    }

    void presenceFollowsClients()
    {
        const bool couldUndo = m_engine->canUndo();
        m_manager->clientConnected(7, QStringLiteral("127.0.0.1:4000"));
        const QJsonObject online =
            m_engine->topic(QStringLiteral("taskboard/online"))->value().toObject();
        QCOMPARE(online.value(QStringLiteral("7"))
                     .toObject()
                     .value(QStringLiteral("address"))
                     .toString(),
                 QStringLiteral("127.0.0.1:4000"));
        m_manager->clientDisconnected(7);
        QVERIFY(m_engine->topic(QStringLiteral("taskboard/online"))->value().toObject().isEmpty());
        QCOMPARE(m_engine->canUndo(), couldUndo);
    }

private:
    QString topic(const QString &id, const char *name) const
    {
        return QStringLiteral("a/%1/%2").arg(id, QLatin1String(name));
    }
    QJsonValue attr(const QString &id, const char *name) const
    {
        Topic *t = m_engine->topic(topic(id, name));
        return t ? t->value() : QJsonValue();
    }
    QStringList cards(const QString &column) const
    {
        QStringList out;
        for (const QJsonValue &v : attr(column, "cards").toArray())
            out.append(v.toString());
        return out;
    }
    QString card(const QString &title) const
    {
        for (const QString &id : m_engine->objectIds()) {
            SObject *o = m_engine->object(id);
            if (o && o->typeName() == QLatin1String("TaskCard") &&
                attr(id, "title").toString() == title)
                return id;
        }
        return {};
    }
    QJsonObject stats() const
    {
        return m_engine->callService(m_board + QStringLiteral("/stats"), {}).toObject();
    }
    static Change createCard(const QString &parent, const QString &id, const QString &title)
    {
        return emitEvent(
            QStringLiteral("create_object"),
            {{QStringLiteral("type"), QStringLiteral("TaskCard")},
             {QStringLiteral("parent_id"), parent},
             {QStringLiteral("id"), id},
             {QStringLiteral("build_kwargs"), QJsonObject{{QStringLiteral("title"), title}}}});
    }
    /*! Applies \a changes as one action of client \a client; returns the refusal or "". */
    QString act(int client, const QList<Change> &changes)
    {
        return m_engine
            ->tryTransition(
                [&] {
                    for (const Change &c : changes)
                        m_engine->applyChange(c);
                },
                client)
            .errorMessage();
    }

    std::unique_ptr<Engine> m_engine;
    std::unique_ptr<PluginManager> m_manager;
    QString m_board, m_todo, m_doing, m_done;
    QString m_guide, m_login, m_setup, m_release;
};

QTEST_GUILESS_MAIN(TstTaskBoard)
#include "tst_taskboard.moc"
