// SPDX-License-Identifier: MIT
#pragma once

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

    bool open(QString *error);
    QSqlDatabase &db() { return m_db; }
    /*! Runs one statement; false with \a error set when SQLite refuses it. */
    bool exec(const QString &sql, QString *error);

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
 *  Sets \a isNew for a database with no tables at all (a workspace whose creation never
 *  completed); returns false with \a error naming the reason otherwise. */
bool inspectWorkspace(QSqlDatabase &db, bool *isNew, QString *error);

/*! Turns an empty database into a workspace: WAL mode, header ids, tables, meta rows. */
bool createSchema(QSqlDatabase &db, QString *error);

/*! Marks a workspace of an older format as one of formatVersion (meta and user_version),
 *  inside the caller's open SQLite transaction; nothing is written when it already is. Rows
 *  of the current format may only go into a file marked so, which older builds refuse. */
bool markCurrentFormat(QSqlDatabase &db, QString *error);

/*! Per-connection settings: WAL, the synchronous level, a busy timeout. */
bool configureConnection(QSqlDatabase &db, bool fullSync, QString *error);

/*! Stores a snapshot document as the snapshot at journal sequence \a sequence. */
bool insertSnapshot(QSqlDatabase &db, quint64 sequence, const QJsonObject &data, QString *error);

/*! The text of the last error of \a db, for messages. */
QString sqlError(const QSqlDatabase &db);

} // namespace objectsync::storage
