// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/result.h>

#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

namespace objectsync {

/*! Where a command line asks for a configuration file (--config FILE). */
struct HostConfigScan
{
    QString path;  //!< empty when there is none
    QString error; //!< set when --config is malformed (no file, given twice)
};

/*! Finds `--config FILE` or `--config=FILE` in \a arguments (the program name first). */
HostConfigScan scanForConfigFile(const QStringList &arguments);

/*! One option of a configuration file. */
struct HostConfigEntry
{
    int line = 0;     //!< 1-based
    QString name;     //!< the long option name, such as "port"
    QString argument; //!< as on a command line: "--port=8765", or "--headless" for a switch
};

/*!
 * Reads the configuration file \a path: one option per line, `name = value`, with the names of
 * the command-line options without their dashes (`port = 8765`, `plugin-dir = /opt/plugins`).
 * A switch is `name = true` (or `false`, `yes`, `no`, `on`, `off`, `1`, `0`), or its name
 * alone. Blank lines and lines starting with `#` or `;` are ignored; a value may be put in
 * double quotes. Options that may be repeated on the command line (`plugin-dir`,
 * `allow-origin`) may be repeated; any other option may be set once.
 *
 * Returns the entries, or what is wrong as "FILE:LINE: reason" (InvalidArgument) or "cannot
 * read ..." (NotFound, Io). Whether a name is an option and a value fits it is checked by the
 * command-line parser.
 */
Result<QList<HostConfigEntry>> readHostConfigFile(const QString &path);

/*! The long names of the options given in \a arguments (`-p` counts as `port`). */
QSet<QString> longOptionNames(const QStringList &arguments);

} // namespace objectsync
