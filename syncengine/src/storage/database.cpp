// SPDX-License-Identifier: MIT
#include "database.h"

#include "checksum.h"
#include "storage_p.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <atomic>

namespace objectsync::storage {

namespace {
std::atomic<quint64> connectionCounter{0};

QString queryError(const QSqlQuery &q)
{
    const QSqlError e = q.lastError();
    return e.databaseText().isEmpty() ? e.text() : e.databaseText();
}
} // namespace

QString sqlError(const QSqlDatabase &db)
{
    const QSqlError e = db.lastError();
    return e.databaseText().isEmpty() ? e.text() : e.databaseText();
}

Database::Database(const QString &path)
    : m_name(QStringLiteral("objectsync.storage.%1").arg(++connectionCounter))
{
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
    m_db.setDatabaseName(path);
    m_db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
}

Database::~Database()
{
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_name);
}

bool Database::open(QString *error)
{
    if (!m_db.isValid()) {
        *error = QStringLiteral("the SQLite driver of Qt SQL is not available");
        return false;
    }
    if (!m_db.open()) {
        *error = sqlError(m_db);
        return false;
    }
    return true;
}

bool Database::exec(const QString &sql, QString *error)
{
    QSqlQuery q(m_db);
    if (!q.exec(sql)) {
        *error = queryError(q);
        return false;
    }
    return true;
}

void removeDatabaseFiles(const QString &path)
{
    for (const char *suffix : {"", "-wal", "-shm", "-journal"})
        QFile::remove(path + QLatin1String(suffix));
}

FileKind fileKind(const QString &path)
{
    QFileInfo info(path);
    if (!info.exists())
        return FileKind::Missing;
    if (!info.isFile())
        return FileKind::Foreign;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return FileKind::Unreadable;
    if (f.size() == 0)
        return FileKind::Empty;
    static const QByteArray magic("SQLite format 3\0", 16);
    return f.read(16) == magic ? FileKind::Sqlite : FileKind::Foreign;
}

bool inspectWorkspace(QSqlDatabase &db, bool *isNew, QString *error)
{
    *isNew = false;
    QSet<QString> tables;
    {
        QSqlQuery q(db);
        if (!q.exec(QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table'"))) {
            *error =
                QStringLiteral("it cannot be read as an SQLite database (%1)").arg(queryError(q));
            return false;
        }
        while (q.next())
            tables.insert(q.value(0).toString());
        if (q.lastError().isValid()) {
            *error =
                QStringLiteral("it cannot be read as an SQLite database (%1)").arg(queryError(q));
            return false;
        }
    }
    if (tables.isEmpty()) {
        QSqlQuery q(db);
        qint64 appId = 0;
        if (q.exec(QStringLiteral("PRAGMA application_id")) && q.next())
            appId = q.value(0).toLongLong();
        if (appId != 0 && appId != applicationId) {
            *error = QStringLiteral("it is an SQLite database of another application");
            return false;
        }
        *isNew = true;
        return true;
    }
    if (!tables.contains(QStringLiteral("meta"))) {
        *error = QStringLiteral("it is an SQLite database, but not an ObjectSync workspace "
                                "(it has no meta table)");
        return false;
    }
    QString format;
    QString version;
    {
        QSqlQuery q(db);
        if (!q.exec(QStringLiteral("SELECT key, value FROM meta"))) {
            *error = QStringLiteral("its meta table cannot be read (%1)").arg(queryError(q));
            return false;
        }
        while (q.next()) {
            const QString key = q.value(0).toString();
            if (key == QLatin1String("format"))
                format = q.value(1).toString();
            else if (key == QLatin1String("format_version"))
                version = q.value(1).toString();
        }
    }
    if (format != formatName) {
        *error = QStringLiteral("it is an SQLite database, but its meta table does not mark it "
                                "as an ObjectSync workspace");
        return false;
    }
    bool ok = false;
    const int v = version.toInt(&ok);
    if (!ok || v < 1) {
        *error = QStringLiteral("its format version is missing or malformed");
        return false;
    }
    if (v > formatVersion) {
        *error = QStringLiteral("it was written in workspace format %1, newer than this build "
                                "reads (up to %2)")
                     .arg(v)
                     .arg(formatVersion);
        return false;
    }
    for (const char *required : {"journal", "snapshots", "dropped_journal", "app_values"}) {
        if (!tables.contains(QLatin1String(required))) {
            *error = QStringLiteral("it is damaged: the table %1 is missing")
                         .arg(QLatin1String(required));
            return false;
        }
    }
    return true;
}

bool createSchema(QSqlDatabase &db, QString *error)
{
    const auto run = [&](const QString &sql) {
        QSqlQuery q(db);
        if (q.exec(sql))
            return true;
        *error = QStringLiteral("creating the workspace failed (%1)").arg(queryError(q));
        return false;
    };
    if (!run(QStringLiteral("PRAGMA journal_mode = WAL")))
        return false;
    if (!db.transaction()) {
        *error = QStringLiteral("creating the workspace failed (%1)").arg(sqlError(db));
        return false;
    }
    const QStringList statements = {
        QStringLiteral("PRAGMA application_id = %1").arg(applicationId),
        QStringLiteral("PRAGMA user_version = %1").arg(formatVersion),
        QStringLiteral("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"),
        QStringLiteral("CREATE TABLE journal (sequence INTEGER PRIMARY KEY, last_sequence "
                       "INTEGER NOT NULL, transitions BLOB NOT NULL, checksum INTEGER NOT NULL)"),
        QStringLiteral("CREATE TABLE snapshots (sequence INTEGER PRIMARY KEY, created TEXT NOT "
                       "NULL, data BLOB NOT NULL, checksum INTEGER NOT NULL)"),
        QStringLiteral("CREATE TABLE dropped_journal (id INTEGER PRIMARY KEY AUTOINCREMENT, "
                       "sequence INTEGER, last_sequence INTEGER, transitions BLOB, checksum "
                       "INTEGER, reason TEXT NOT NULL, dropped_at TEXT NOT NULL)"),
        QStringLiteral("CREATE TABLE app_values (key TEXT PRIMARY KEY, value BLOB NOT NULL)"),
    };
    for (const QString &sql : statements) {
        if (!run(sql)) {
            db.rollback();
            return false;
        }
    }
    QSqlQuery insert(db);
    insert.prepare(QStringLiteral("INSERT INTO meta (key, value) VALUES (?, ?)"));
    const QList<std::pair<QString, QString>> meta = {
        {QStringLiteral("format"), formatName},
        {QStringLiteral("format_version"), QString::number(formatVersion)},
        {QStringLiteral("created"), QDateTime::currentDateTimeUtc().toString(Qt::ISODate)},
    };
    for (const auto &[key, value] : meta) {
        insert.bindValue(0, key);
        insert.bindValue(1, value);
        if (!insert.exec()) {
            *error = QStringLiteral("creating the workspace failed (%1)").arg(queryError(insert));
            db.rollback();
            return false;
        }
    }
    if (!db.commit()) {
        *error = QStringLiteral("creating the workspace failed (%1)").arg(sqlError(db));
        db.rollback();
        return false;
    }
    return true;
}

bool insertSnapshot(QSqlDatabase &db, quint64 sequence, const QJsonObject &data, QString *error)
{
    const QByteArray bytes = QJsonDocument(data).toJson(QJsonDocument::Compact);
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO snapshots (sequence, created, data, checksum) "
                             "VALUES (?, ?, ?, ?)"));
    q.bindValue(0, sequence);
    q.bindValue(1, QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
    q.bindValue(2, bytes);
    q.bindValue(3, qint64(crc32(bytes)));
    if (!q.exec()) {
        *error = queryError(q);
        return false;
    }
    return true;
}

bool markCurrentFormat(QSqlDatabase &db, QString *error)
{
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT value FROM meta WHERE key = 'format_version'"))) {
        *error = queryError(q);
        return false;
    }
    if (q.next() && q.value(0).toString().toInt() >= formatVersion)
        return true;
    q.finish();
    const QString version = QString::number(formatVersion);
    for (const QString &sql :
         {QStringLiteral("UPDATE meta SET value = '%1' WHERE key = 'format_version'").arg(version),
          QStringLiteral("PRAGMA user_version = %1").arg(version)}) {
        if (!q.exec(sql)) {
            *error = queryError(q);
            return false;
        }
    }
    return true;
}

bool configureConnection(QSqlDatabase &db, bool fullSync, QString *error)
{
    for (const QString &sql : {QStringLiteral("PRAGMA journal_mode = WAL"),
                               fullSync ? QStringLiteral("PRAGMA synchronous = FULL")
                                        : QStringLiteral("PRAGMA synchronous = NORMAL")}) {
        QSqlQuery q(db);
        if (!q.exec(sql)) {
            *error = queryError(q);
            return false;
        }
    }
    return true;
}

} // namespace objectsync::storage
