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

Result<void> Database::open()
{
    if (!m_db.isValid())
        return Error(ErrorCode::Io, QStringLiteral("the SQLite driver of Qt SQL is not available"));
    if (!m_db.open())
        return Error(ErrorCode::Io, sqlError(m_db));
    return {};
}

Result<void> Database::exec(const QString &sql)
{
    QSqlQuery q(m_db);
    if (!q.exec(sql))
        return Error(ErrorCode::Io, queryError(q));
    return {};
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

Result<bool> inspectWorkspace(QSqlDatabase &db)
{
    const auto corrupt = [](const QString &why) { return Error(ErrorCode::Corrupt, why); };
    QSet<QString> tables;
    {
        QSqlQuery q(db);
        if (!q.exec(QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table'")))
            return Error(
                ErrorCode::Io,
                QStringLiteral("it cannot be read as an SQLite database (%1)").arg(queryError(q)));
        while (q.next())
            tables.insert(q.value(0).toString());
        if (q.lastError().isValid())
            return Error(
                ErrorCode::Io,
                QStringLiteral("it cannot be read as an SQLite database (%1)").arg(queryError(q)));
    }
    if (tables.isEmpty()) {
        QSqlQuery q(db);
        qint64 appId = 0;
        if (q.exec(QStringLiteral("PRAGMA application_id")) && q.next())
            appId = q.value(0).toLongLong();
        if (appId != 0 && appId != applicationId)
            return corrupt(QStringLiteral("it is an SQLite database of another application"));
        return true;
    }
    if (!tables.contains(QStringLiteral("meta")))
        return corrupt(QStringLiteral("it is an SQLite database, but not an ObjectSync workspace "
                                      "(it has no meta table)"));
    QString format;
    QString version;
    {
        QSqlQuery q(db);
        if (!q.exec(QStringLiteral("SELECT key, value FROM meta")))
            return Error(ErrorCode::Io,
                         QStringLiteral("its meta table cannot be read (%1)").arg(queryError(q)));
        while (q.next()) {
            const QString key = q.value(0).toString();
            if (key == QLatin1String("format"))
                format = q.value(1).toString();
            else if (key == QLatin1String("format_version"))
                version = q.value(1).toString();
        }
    }
    if (format != formatName)
        return corrupt(QStringLiteral("it is an SQLite database, but its meta table does not mark "
                                      "it as an ObjectSync workspace"));
    bool ok = false;
    const int v = version.toInt(&ok);
    if (!ok || v < 1)
        return corrupt(QStringLiteral("its format version is missing or malformed"));
    if (v > formatVersion)
        return corrupt(QStringLiteral("it was written in workspace format %1, newer than this "
                                      "build reads (up to %2)")
                           .arg(v)
                           .arg(formatVersion));
    for (const char *required : {"journal", "snapshots", "dropped_journal", "app_values"}) {
        if (!tables.contains(QLatin1String(required)))
            return corrupt(QStringLiteral("it is damaged: the table %1 is missing")
                               .arg(QLatin1String(required)));
    }
    return false;
}

Result<void> createSchema(QSqlDatabase &db)
{
    const auto failed = [](const QString &why) {
        return Error(ErrorCode::Io, QStringLiteral("creating the workspace failed (%1)").arg(why));
    };
    const auto run = [&](const QString &sql) -> Result<void> {
        QSqlQuery q(db);
        if (q.exec(sql))
            return {};
        return failed(queryError(q));
    };
    if (Result<void> wal = run(QStringLiteral("PRAGMA journal_mode = WAL")); !wal)
        return wal;
    if (!db.transaction())
        return failed(sqlError(db));
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
        if (Result<void> done = run(sql); !done) {
            db.rollback();
            return done;
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
            const Error error = failed(queryError(insert));
            db.rollback();
            return error;
        }
    }
    if (!db.commit()) {
        const Error error = failed(sqlError(db));
        db.rollback();
        return error;
    }
    return {};
}

Result<void> insertSnapshot(QSqlDatabase &db, quint64 sequence, const QJsonObject &data)
{
    const QByteArray bytes = QJsonDocument(data).toJson(QJsonDocument::Compact);
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO snapshots (sequence, created, data, checksum) "
                             "VALUES (?, ?, ?, ?)"));
    q.bindValue(0, sequence);
    q.bindValue(1, QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
    q.bindValue(2, bytes);
    q.bindValue(3, qint64(crc32(bytes)));
    if (!q.exec())
        return Error(ErrorCode::Io, queryError(q));
    return {};
}

Result<void> markCurrentFormat(QSqlDatabase &db)
{
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT value FROM meta WHERE key = 'format_version'")))
        return Error(ErrorCode::Io, queryError(q));
    if (q.next() && q.value(0).toString().toInt() >= formatVersion)
        return {};
    q.finish();
    const QString version = QString::number(formatVersion);
    for (const QString &sql :
         {QStringLiteral("UPDATE meta SET value = '%1' WHERE key = 'format_version'").arg(version),
          QStringLiteral("PRAGMA user_version = %1").arg(version)}) {
        if (!q.exec(sql))
            return Error(ErrorCode::Io, queryError(q));
    }
    return {};
}

Result<void> configureConnection(QSqlDatabase &db, bool fullSync)
{
    for (const QString &sql : {QStringLiteral("PRAGMA journal_mode = WAL"),
                               fullSync ? QStringLiteral("PRAGMA synchronous = FULL")
                                        : QStringLiteral("PRAGMA synchronous = NORMAL")}) {
        QSqlQuery q(db);
        if (!q.exec(sql))
            return Error(ErrorCode::Io, queryError(q));
    }
    return {};
}

} // namespace objectsync::storage
