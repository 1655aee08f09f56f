// SPDX-License-Identifier: MIT
#include "staticfiles.h"

#include <QDir>
#include <QFileInfo>
#include <QUrl>

namespace objectsync::web {

namespace {

const QString indexFile = QStringLiteral("index.html");

bool isResourcePath(const QString &path)
{
    return path.startsWith(QLatin1Char(':'));
}

/*! The segments of a decoded path, or false when it is not acceptable. */
bool splitPath(const QString &decoded, QStringList *segments)
{
    if (!decoded.startsWith(QLatin1Char('/')))
        return false;
    if (decoded.contains(QLatin1Char('\\')) || decoded.contains(QChar(0)))
        return false;
    const QStringList parts = decoded.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    for (const QString &part : parts) {
        if (part.startsWith(QLatin1Char('.')))
            return false; // ".", "..", and hidden files
    }
    *segments = parts;
    return true;
}

/*! True when \a filePath, with links resolved, lies inside \a root. */
bool staysInside(const QString &root, const QString &filePath)
{
    if (isResourcePath(root))
        return true; // resources have no links
    const QString canonicalRoot = QFileInfo(root).canonicalFilePath();
    const QString canonicalFile = QFileInfo(filePath).canonicalFilePath();
    if (canonicalRoot.isEmpty() || canonicalFile.isEmpty())
        return false;
    return canonicalFile.startsWith(canonicalRoot + QLatin1Char('/'));
}

} // namespace

FileLookup StaticFiles::lookup(const QByteArray &encodedPath) const
{
    const QByteArray raw = QByteArray::fromPercentEncoding(encodedPath);
    const QString decoded = QString::fromUtf8(raw);
    if (decoded.toUtf8() != raw)
        return {FileLookup::Forbidden, {}}; // not UTF-8
    QStringList segments;
    if (!splitPath(decoded, &segments))
        return {FileLookup::Forbidden, {}};
    const QString relative = segments.join(QLatin1Char('/'));

    for (const QString &root : m_roots) {
        if (root.isEmpty())
            continue;
        QString candidate = relative.isEmpty() ? root : root + QLatin1Char('/') + relative;
        QFileInfo info(candidate);
        if (info.isDir()) {
            candidate += QLatin1Char('/') + indexFile;
            info = QFileInfo(candidate);
        }
        if (!info.isFile())
            continue;
        if (!staysInside(root, candidate))
            return {FileLookup::Forbidden, {}};
        if (!info.isReadable())
            continue;
        return {FileLookup::Found, candidate};
    }
    return {FileLookup::NotFound, {}};
}

QByteArray StaticFiles::contentType(const QString &fileName)
{
    const QString suffix = QFileInfo(fileName).suffix().toLower();
    struct Entry
    {
        const char *suffix;
        const char *type;
    };
    static constexpr Entry types[] = {
        {"html", "text/html; charset=utf-8"},
        {"htm", "text/html; charset=utf-8"},
        {"js", "text/javascript; charset=utf-8"},
        {"mjs", "text/javascript; charset=utf-8"},
        {"css", "text/css; charset=utf-8"},
        {"map", "application/json; charset=utf-8"},
        {"json", "application/json; charset=utf-8"},
        {"txt", "text/plain; charset=utf-8"},
        {"png", "image/png"},
        {"svg", "image/svg+xml"},
        {"ico", "image/x-icon"},
        {"jpg", "image/jpeg"},
        {"jpeg", "image/jpeg"},
        {"wasm", "application/wasm"},
    };
    for (const Entry &e : types) {
        if (suffix == QLatin1String(e.suffix))
            return e.type;
    }
    return "application/octet-stream";
}

} // namespace objectsync::web
