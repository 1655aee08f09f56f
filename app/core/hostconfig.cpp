// SPDX-License-Identifier: MIT
#include "hostconfig.h"

#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QRegularExpression>
#include <optional>

namespace objectsync {

namespace {

const QString configOption = QStringLiteral("config");

/*! The options that are switches (no value). */
bool isSwitch(const QString &name)
{
    static const QSet<QString> switches = {
        QStringLiteral("headless"), QStringLiteral("no-default-plugins"),
        QStringLiteral("no-workspace"), QStringLiteral("no-web"), QStringLiteral("verbose")};
    return switches.contains(name);
}

/*! The options a configuration file may not set: they are actions, not settings. */
bool isCommandOnly(const QString &name)
{
    static const QSet<QString> actions = {configOption, QStringLiteral("help"),
                                          QStringLiteral("version"),
                                          QStringLiteral("list-plugins")};
    return actions.contains(name);
}

/*! The options that may be given more than once. */
bool isRepeatable(const QString &name)
{
    return name == QLatin1String("plugin-dir") || name == QLatin1String("allow-origin") ||
           name == QLatin1String("room");
}

/*! true / false for a switch's value; empty optional when it is neither. */
std::optional<bool> switchValue(const QString &value)
{
    const QString v = value.toLower();
    if (v.isEmpty() || v == QLatin1String("true") || v == QLatin1String("yes") ||
        v == QLatin1String("on") || v == QLatin1String("1"))
        return true;
    if (v == QLatin1String("false") || v == QLatin1String("no") || v == QLatin1String("off") ||
        v == QLatin1String("0"))
        return false;
    return std::nullopt;
}

} // namespace

HostConfigScan scanForConfigFile(const QStringList &arguments)
{
    HostConfigScan scan;
    int found = 0;
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString &a = arguments.at(i);
        if (a == QLatin1String("--"))
            break;
        QString path;
        if (a == QLatin1String("--config") || a == QLatin1String("-config")) {
            if (i + 1 >= arguments.size()) {
                scan.error = QStringLiteral("--config needs a file");
                return scan;
            }
            path = arguments.at(++i);
        } else if (a.startsWith(QLatin1String("--config="))) {
            path = a.mid(9);
        } else {
            continue;
        }
        if (path.isEmpty()) {
            scan.error = QStringLiteral("--config needs a file");
            return scan;
        }
        if (++found > 1) {
            scan.error = QStringLiteral("--config may be given once");
            return scan;
        }
        scan.path = path;
    }
    return scan;
}

Result<QList<HostConfigEntry>> readHostConfigFile(const QString &path)
{
    QList<HostConfigEntry> entries;
    const QFileInfo info(path);
    if (!info.exists()) {
        return Error(
            ErrorCode::NotFound,
            QStringLiteral("cannot read the configuration file '%1': no such file").arg(path));
    }
    if (info.isDir()) {
        return Error(
            ErrorCode::InvalidArgument,
            QStringLiteral("cannot read the configuration file '%1': it is a directory").arg(path));
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
        return Error(ErrorCode::Io, QStringLiteral("cannot read the configuration file '%1': %2")
                                        .arg(path, file.errorString()));
    }
    static const QRegularExpression nameRule(QStringLiteral("^[a-z][a-z0-9-]*$"));
    QHash<QString, int> seenOn;
    int lineNumber = 0;
    while (!file.atEnd()) {
        ++lineNumber;
        const QString line = QString::fromUtf8(file.readLine()).trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')) ||
            line.startsWith(QLatin1Char(';')))
            continue;
        const auto fail = [&](const QString &reason) {
            return Error(ErrorCode::InvalidArgument,
                         QStringLiteral("%1:%2: %3").arg(path).arg(lineNumber).arg(reason));
        };
        const qsizetype equals = line.indexOf(QLatin1Char('='));
        QString name = (equals < 0 ? line : line.left(equals)).trimmed();
        QString value = equals < 0 ? QString() : line.mid(equals + 1).trimmed();
        if (name.startsWith(QLatin1String("--")))
            name = name.mid(2);
        if (!nameRule.match(name).hasMatch())
            return fail(QStringLiteral("expected \"name = value\", not '%1'").arg(line));
        if (value.size() >= 2 && value.startsWith(QLatin1Char('"')) &&
            value.endsWith(QLatin1Char('"')))
            value = value.mid(1, value.size() - 2);
        if (isCommandOnly(name))
            return fail(QStringLiteral("'%1' cannot be set in a configuration file").arg(name));
        if (!isRepeatable(name)) {
            if (const auto first = seenOn.constFind(name); first != seenOn.cend())
                return fail(
                    QStringLiteral("'%1' is set twice (first on line %2)").arg(name).arg(*first));
            seenOn.insert(name, lineNumber);
        }
        HostConfigEntry entry;
        entry.line = lineNumber;
        entry.name = name;
        if (isSwitch(name)) {
            const std::optional<bool> on = switchValue(value);
            if (!on)
                return fail(QStringLiteral("'%1' is a switch: write %1 = true or %1 = false, not "
                                           "'%2'")
                                .arg(name, value));
            if (!*on)
                continue;
            entry.argument = QStringLiteral("--") + name;
        } else if (equals < 0) {
            entry.argument = QStringLiteral("--") + name; // the parser says what is missing
        } else {
            entry.argument = QStringLiteral("--%1=%2").arg(name, value);
        }
        entries.append(entry);
    }
    return entries;
}

QSet<QString> longOptionNames(const QStringList &arguments)
{
    QSet<QString> names;
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString &a = arguments.at(i);
        if (a == QLatin1String("--"))
            break;
        if (a.startsWith(QLatin1String("--"))) {
            names.insert(a.mid(2).section(QLatin1Char('='), 0, 0));
        } else if (a == QLatin1String("-p") || a.startsWith(QLatin1String("-p"))) {
            names.insert(QStringLiteral("port"));
        }
    }
    return names;
}

} // namespace objectsync
