// SPDX-License-Identifier: MIT
// Helpers shared by the workspace tests: a file as a crash leaves it, row counts, and a
// history with a little of everything to journal and restore.
#pragma once

#include "sqltestutil.h"
#include "storagetestutil.h"

#include <QFile>
#include <QtTest>

namespace storagetest {

/*! Copies a workspace as a crash would leave it: the database and its WAL, while open. */
inline void crashImage(const QString &from, const QString &to)
{
    for (const char *suffix : {"", "-wal"}) {
        QFile::remove(to + QLatin1String(suffix));
        if (QFile::exists(from + QLatin1String(suffix)))
            QVERIFY(QFile::copy(from + QLatin1String(suffix), to + QLatin1String(suffix)));
    }
}

/*! Folds a workspace's WAL into its database file, as SQLite does when the last
 *  connection closes, so that the file alone can be compared byte for byte. */
inline void foldWal(const QString &path)
{
    withSql(path,
            [](QSqlDatabase &db) { exec(db, QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)")); });
}

inline qint64 countRows(const QString &path, const QString &table)
{
    return scalar(path, QStringLiteral("SELECT COUNT(*) FROM ") + table);
}

/*! How many transitions a workspace's journal holds. */
inline qint64 countTransitions(const QString &path)
{
    return scalar(path, QStringLiteral("SELECT TOTAL(last_sequence - sequence + 1) FROM journal"));
}

/*! Makes a little of everything: objects made by code and by create_object, children
 *  made by build(), every change type, plain topics, tags, moves, destruction, undo and
 *  redo, and a refused transition. */
inline void makeHistory(Engine &e)
{
    auto *folder = e.createObject<Folder>(nullptr, {}, {{QStringLiteral("notes"), 2}});
    auto *note = e.createObject<Note>();
    note->text->insert(5, QStringLiteral(", world"));
    note->text->remove(0, 1);
    note->count->add(4);
    note->x->add(0.25);
    note->style->add(QStringLiteral("color"), QStringLiteral("red"));
    note->style->add(QStringLiteral("border"), 1);
    note->style->changeValue(QStringLiteral("border"), 2);
    note->style->pop(QStringLiteral("color"));
    note->items->append(1);
    note->items->append(QJsonObject{{QStringLiteral("k"), QJsonArray{1, 2}}});
    note->items->insert(0, QStringLiteral("first"));
    note->items->pop(1);
    note->marks->append(QStringLiteral("a"));
    note->marks->append(QStringLiteral("b"));
    note->marks->remove(QStringLiteral("a"));
    note->extra->set(QJsonObject{{QStringLiteral("big"), qint64(1) << 60}});
    note->addTag(QStringLiteral("pinned"));
    e.root()->addTag(QStringLiteral("root-tag"));

    auto *counter = e.addTopic<IntTopic>(QStringLiteral("counter"), 3);
    counter->add(39);
    auto *title = e.addTopic<StringTopic>(QStringLiteral("title"), QStringLiteral("board"));
    title->insert(0, QStringLiteral("my "));
    e.addTopic<DictTopic>(QStringLiteral("settings"))->add(QStringLiteral("zoom"), 2);
    e.addTopic<GenericTopic>(QStringLiteral("gone"), 1);
    e.removeTopic(QStringLiteral("gone"));
    e.addTopic(QStringLiteral("ping"), TopicType::Event);

    // Through the create_object and destroy_object events, as a client does.
    auto *create = e.topicAs<EventTopic>(QStringLiteral("create_object"));
    create->emitEvent({{QStringLiteral("type"), QStringLiteral("Note")},
                       {QStringLiteral("parent_id"), folder->id()},
                       {QStringLiteral("id"), QStringLiteral("3_1")}});
    create->emitEvent(
        {{QStringLiteral("type"), QStringLiteral("Folder")},
         {QStringLiteral("id"), QStringLiteral("3_2")},
         {QStringLiteral("build_kwargs"), QJsonObject{{QStringLiteral("notes"), 1}}}});
    e.objectAs<Note>(QStringLiteral("3_1"))->count->set(10);
    e.moveObject(note, folder);
    e.topicAs<EventTopic>(QStringLiteral("destroy_object"))
        ->emitEvent({{QStringLiteral("id"), QStringLiteral("3_2")}});
    {
        auto t = e.transaction(7, QStringLiteral("act-1"));
        note->count->set(100);
        note->text->set(QStringLiteral("replaced"));
    }
    QVERIFY(e.undo().ok());
    QVERIFY(e.undo().ok());
    QVERIFY(e.redo().ok());
    const QString refused =
        e.tryTransition([&] {
             note->count->set(5);
             note->style->pop(QStringLiteral("missing")); // refused: the whole transition goes
         }).errorMessage();
    QVERIFY(!refused.isEmpty());
    auto *doomed = e.createObject<Note>(folder);
    e.destroyObject(doomed);
}

} // namespace storagetest
