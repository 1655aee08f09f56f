// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace objectsync::web {

/*! The outcome of looking a URL path up among the roots. */
struct FileLookup
{
    enum Status : quint8 {
        Found,    //!< filePath names a readable file
        NotFound, //!< no root has it
        Forbidden //!< the path tries to leave its root, or names a hidden file
    };
    Status status = NotFound;
    QString filePath; //!< a path QFile can open (a directory path or a ":/" resource path)
};

/*!
 * Maps URL paths to files under a list of roots (directories or Qt resource paths). Only
 * paths made of plain segments are accepted: no "." or ".." segment, no segment starting
 * with '.', no backslash, no NUL. "/" and directories mean their index.html.
 */
class StaticFiles
{
public:
    void setRoots(const QStringList &roots) { m_roots = roots; }
    const QStringList &roots() const { return m_roots; }

    /*! Looks up \a encodedPath (the path of a request target, still percent-encoded). */
    FileLookup lookup(const QByteArray &encodedPath) const;

    /*! The Content-Type for a file name, by its extension. */
    static QByteArray contentType(const QString &fileName);

private:
    QStringList m_roots;
};

} // namespace objectsync::web
