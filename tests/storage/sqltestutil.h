// SPDX-License-Identifier: MIT
// Plain SQL access to workspace files, for tests that inspect or damage them.
#pragma once

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QtTest>

namespace storagetest {

/*! Runs \a fn on a plain SQLite connection to \a path, then closes it (which also folds
 *  the WAL into the database file when no other connection is open). */
template<class Fn> void withSql(const QString &path, Fn fn)
{
    {
        QSqlDatabase db =
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("raw"));
        db.setDatabaseName(path);
        QVERIFY(db.open());
        fn(db);
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("raw"));
}

inline void exec(QSqlDatabase &db, const QString &sql)
{
    QSqlQuery q(db);
    QVERIFY2(q.exec(sql), qPrintable(sql));
}

/*! The first column of the first row \a sql returns, or -1. */
inline qint64 scalar(const QString &path, const QString &sql)
{
    qint64 v = -1;
    withSql(path, [&](QSqlDatabase &db) {
        QSqlQuery q(db);
        if (q.exec(sql) && q.next())
            v = q.value(0).toLongLong();
    });
    return v;
}

} // namespace storagetest
