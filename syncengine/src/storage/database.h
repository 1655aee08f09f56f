// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/result.h>

#include <QJsonObject>
#include <QSqlDatabase>
#include <QString>

namespace objectsync::storage {

/*!
 * One SQLite connection with a name of its own, removed again when this goes away. A
 * connection belongs to the thread that opened it. Every QSqlQuery made on it must be gone
 * before the Database is destroyed.
 */
class Database
{
public:
    explicit Database(const QString &path);
    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    /*! Opens the connection; an Io error when SQLite cannot. */
    Result<void> open();
    QSqlDatabase &db() { return m_db; }
    /*! Runs one statement; an Io error when SQLite refuses it. */
    Result<void> exec(const QString &sql);

private:
    QString m_name;
    QSqlDatabase m_db;
};

/*! Deletes a database file and the files SQLite keeps beside it (WAL, shared memory,
 *  rollback journal). */
void removeDatabaseFiles(const QString &path);

/*! What a file on disk is, judged from its first bytes (nothing is written). */
enum class FileKind : quint8 { Missing, Empty, Sqlite, Foreign, Unreadable };
FileKind fileKind(const QString &path);

/*! Checks that an open database is an ObjectSync workspace this build can read. Only reads.
 *  True for a database with no tables at all (a workspace whose creation never completed),
 *  false for a workspace; an error naming the reason otherwise (Io when SQLite cannot read
 *  it, Corrupt when it is not a workspace or of a newer format). */
Result<bool> inspectWorkspace(QSqlDatabase &db);

/*! Turns an empty database into a workspace: WAL mode, header ids, tables, meta rows. */
Result<void> createSchema(QSqlDatabase &db);

/*! Marks a workspace of an older format as one of formatVersion (meta and user_version),
 *  inside the caller's open SQLite transaction; nothing is written when it already is. Rows
 *  of the current format may only go into a file marked so, which older builds refuse. */
Result<void> markCurrentFormat(QSqlDatabase &db);

/*! Per-connection settings: WAL, the synchronous level, a busy timeout. */
Result<void> configureConnection(QSqlDatabase &db, bool fullSync);

/*! Stores a snapshot document as the snapshot at journal sequence \a sequence. */
Result<void> insertSnapshot(QSqlDatabase &db, quint64 sequence, const QJsonObject &data);

/*! The text of the last error of \a db, for messages. */
QString sqlError(const QSqlDatabase &db);

} // namespace objectsync::storage
