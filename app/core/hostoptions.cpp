// SPDX-License-Identifier: MIT
#include "hostoptions.h"

#include "hostconfig.h"

#include <objectsync/room.h>

#include <objectsync/global.h>
#include <objectsync/server.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QSet>
#include <QUrl>
#include <cstring>
#include <functional>
#include <limits>

#ifndef OBJECTSYNC_VERSION
#define OBJECTSYNC_VERSION "0.0.0"
#endif

namespace objectsync {

namespace {

/*! A non-negative whole number no larger than \a max, or -1. */
qint64 nonNegative(const QString &text, qint64 max)
{
    bool ok = false;
    const qint64 value = text.trimmed().toLongLong(&ok);
    return ok && value >= 0 && value <= max ? value : -1;
}

/*! True for "*", "null" and an origin such as https://example.com or http://localhost:3000. */
bool isOriginPattern(const QString &text)
{
    if (text == QLatin1String("*") || text == QLatin1String("null"))
        return true;
    const QUrl url(text, QUrl::StrictMode);
    return url.isValid() && !url.scheme().isEmpty() && !url.host().isEmpty() &&
           url.userInfo().isEmpty() && (url.path().isEmpty() || url.path() == QLatin1String("/")) &&
           !url.hasQuery() && !url.hasFragment();
}

QString versionText()
{
    return QStringLiteral("objectsync-host %1 (engine API %2, Qt %3)\n")
        .arg(QStringLiteral(OBJECTSYNC_VERSION))
        .arg(ApiVersion)
        .arg(QString::fromLatin1(qVersion()));
}

} // namespace

namespace {

/*!
 * Reads \a arguments. \a wholeLine: they are a complete command line; false for one option of
 * a configuration file checked on its own, which skips the checks that combine options.
 */
/*! Reads the room options (--rooms, --room, --room-scene, --workspace-dir,
 *  --room-idle-timeout, --max-rooms, in that order in \a opts) into \a o; an error text or
 *  nothing. */
QString readRoomOptions(const QCommandLineParser &parser, HostOptions &o,
                        const QList<QCommandLineOption> &opts)
{
    const QCommandLineOption &mode = opts.at(0);
    if (parser.isSet(mode)) {
        const QString value = parser.value(mode);
        if (value == QLatin1String("open"))
            o.roomMode = HostOptions::RoomMode::Open;
        else if (value == QLatin1String("fixed"))
            o.roomMode = HostOptions::RoomMode::Fixed;
        else
            return QStringLiteral("--rooms must be 'open' or 'fixed', not '%1'").arg(value);
    }
    for (const QString &entry : parser.values(opts.at(1))) {
        const qsizetype eq = entry.indexOf(QLatin1Char('='));
        const QString name = eq < 0 ? entry : entry.left(eq);
        const QString roomScene = eq < 0 ? QString() : entry.mid(eq + 1);
        if (!isValidRoomName(name))
            return QStringLiteral("invalid --room '%1': a room name is 1 to 64 characters of "
                                  "A-Z a-z 0-9 . _ - (and not only dots)")
                .arg(name);
        if (eq >= 0 && roomScene.isEmpty())
            return QStringLiteral("--room %1= needs a scene name after '='").arg(name);
        o.fixedRooms.insert(name, roomScene);
    }
    if (parser.isSet(opts.at(2))) {
        o.roomScene = parser.value(opts.at(2));
        if (o.roomScene.isEmpty())
            return QStringLiteral("--room-scene needs a name");
    }
    if (parser.isSet(opts.at(3))) {
        o.workspaceDir = parser.value(opts.at(3));
        if (o.workspaceDir.isEmpty())
            return QStringLiteral("--workspace-dir needs a folder");
        if (o.noWorkspace)
            return QStringLiteral("--workspace-dir and --no-workspace exclude each other");
    }
    const auto number = [&](const QCommandLineOption &opt, int min, int *out) -> QString {
        if (!parser.isSet(opt))
            return {};
        bool ok = false;
        const int value = parser.value(opt).toInt(&ok);
        if (!ok || value < min)
            return QStringLiteral("--%1 needs a whole number of at least %2, not '%3'")
                .arg(opt.names().constFirst())
                .arg(min)
                .arg(parser.value(opt));
        *out = value;
        return {};
    };
    int idleSeconds = o.roomIdleTimeoutMs / 1000;
    if (QString failure = number(opts.at(4), 0, &idleSeconds); !failure.isEmpty())
        return failure;
    if (idleSeconds > 24 * 3600 * 24)
        return QStringLiteral("--room-idle-timeout is at most 24 days");
    o.roomIdleTimeoutMs = idleSeconds * 1000;
    return number(opts.at(5), 1, &o.maxRooms);
}

HostCommandLine parseArguments(const QStringList &arguments, bool wholeLine)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Serves a tree of synchronized objects to web and C++ clients over "
                       "WebSockets.\nObject types come from plugins; without --headless an "
                       "inspector window shows the live state."));
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")},
                                  QStringLiteral("Show this help and exit."));
    const QCommandLineOption version({QStringLiteral("v"), QStringLiteral("version")},
                                     QStringLiteral("Show the version and exit."));
    const QCommandLineOption headless(QStringLiteral("headless"),
                                      QStringLiteral("Run without the inspector window."));
    const QCommandLineOption port({QStringLiteral("p"), QStringLiteral("port")},
                                  QStringLiteral("Listen on <port> (default 8765; 0 picks a free "
                                                 "port and prints it)."),
                                  QStringLiteral("port"), QStringLiteral("8765"));
    const QCommandLineOption address(
        QStringLiteral("address"),
        QStringLiteral("Listen on <address> (default 127.0.0.1; 0.0.0.0 for every interface)."),
        QStringLiteral("address"), QStringLiteral("127.0.0.1"));
    const QCommandLineOption pluginDir(
        QStringLiteral("plugin-dir"),
        QStringLiteral("Also load the plugins in <dir>; may be given more than once."),
        QStringLiteral("dir"));
    const QCommandLineOption noDefaultPlugins(
        QStringLiteral("no-default-plugins"),
        QStringLiteral("Load only the plugins of --plugin-dir, not those found by default."));
    const QCommandLineOption listPlugins(
        QStringLiteral("list-plugins"),
        QStringLiteral("Print every plugin found, with its state, and the scenes; then exit."));
    const QCommandLineOption scene(
        QStringLiteral("scene"),
        QStringLiteral("Build scene <name> (offered by a plugin) in a new, empty workspace."),
        QStringLiteral("name"));
    const QCommandLineOption workspace(
        QStringLiteral("workspace"),
        QStringLiteral("Keep the objects in the workspace file <path>: restored when the host "
                       "starts, written as they change. Without this option the default "
                       "workspace in the user's data folder is used."),
        QStringLiteral("path"));
    const QCommandLineOption noWorkspace(
        QStringLiteral("no-workspace"),
        QStringLiteral("Keep nothing on disk; the objects live as long as the host."));
    const QCommandLineOption verbose(
        QStringLiteral("verbose"),
        QStringLiteral("Log debug messages too (QT_LOGGING_RULES refines what is logged)."));
    const QCommandLineOption noWeb(
        QStringLiteral("no-web"),
        QStringLiteral("Serve only WebSocket clients on the port, not the demo web pages."));
    const QCommandLineOption maxRate(
        QStringLiteral("max-messages-per-second"),
        QStringLiteral("Close a client that sends more than <n> messages per second (default "
                       "500; 0 for no limit)."),
        QStringLiteral("n"));
    const QCommandLineOption maxMessageBytes(
        QStringLiteral("max-message-bytes"),
        QStringLiteral("Close a client that sends a message larger than <bytes> (default "
                       "1048576; 0 for no limit)."),
        QStringLiteral("bytes"));
    const QCommandLineOption maxJsonDepth(
        QStringLiteral("max-json-depth"),
        QStringLiteral("Close a client that sends JSON nested deeper than <n> levels (default "
                       "64; 0 for no limit)."),
        QStringLiteral("n"));
    const QCommandLineOption maxPendingBytes(
        QStringLiteral("max-pending-bytes"),
        QStringLiteral("Close a client that lets more than <bytes> wait to be sent to it "
                       "(default 16777216; 0 for no limit)."),
        QStringLiteral("bytes"));
    const QCommandLineOption handshakeTimeout(
        QStringLiteral("handshake-timeout"),
        QStringLiteral("Drop a connection that has not become a client (TLS handshake, HTTP "
                       "request, WebSocket handshake, and its token when one is awaited) within "
                       "<ms> (default 10000; 0 for no limit)."),
        QStringLiteral("ms"));
    const QCommandLineOption idleTimeout(
        QStringLiteral("idle-timeout"),
        QStringLiteral("Close a client that has sent nothing, not even a pong, for <ms> "
                       "(default 60000; 0 for no limit)."),
        QStringLiteral("ms"));
    const QCommandLineOption pingInterval(
        QStringLiteral("ping-interval"),
        QStringLiteral("Ping a client that has been silent for <ms> (default 15000; 0 for no "
                       "pings). Must be shorter than --idle-timeout."),
        QStringLiteral("ms"));
    const QCommandLineOption maxPendingConnections(
        QStringLiteral("max-pending-connections"),
        QStringLiteral("Keep at most <n> connections that are not clients yet (TLS, HTTP or "
                       "WebSocket handshake on its way); past that the one silent longest is cut "
                       "(default 16384; 0 for no limit)."),
        QStringLiteral("n"));
    const QCommandLineOption tlsCert(
        QStringLiteral("tls-cert"),
        QStringLiteral("Serve wss:// and https:// with the certificate (chain) in the PEM file "
                       "<file>; needs --tls-key."),
        QStringLiteral("file"));
    const QCommandLineOption tlsKey(
        QStringLiteral("tls-key"),
        QStringLiteral("The private key (PEM, not encrypted) of --tls-cert."),
        QStringLiteral("file"));
    const QCommandLineOption config(
        QStringLiteral("config"),
        QStringLiteral("Read options from <file>: one per line, \"name = value\" with the "
                       "names of these options (\"headless = true\" for a switch); options on "
                       "the command line win. See docs/host.md."),
        QStringLiteral("file"));
    const QCommandLineOption allowOrigin(
        QStringLiteral("allow-origin"),
        QStringLiteral("Let browser pages from <origin> (such as https://app.example.com) "
                       "connect; may be given more than once; '*' allows every origin. By "
                       "default only the host's own pages and pages from localhost may."),
        QStringLiteral("origin"));
    const QCommandLineOption rooms(
        QStringLiteral("rooms"),
        QStringLiteral("Which rooms a client may open by connecting to /rooms/<name>: 'fixed' "
                       "(default) only the default room and those of --room; 'open' any name."),
        QStringLiteral("mode"));
    const QCommandLineOption room(
        QStringLiteral("room"),
        QStringLiteral("Allow the room <name> (with --rooms fixed), built from scene <scene> "
                       "when new (otherwise from --room-scene); may be given more than once."),
        QStringLiteral("name[=scene]"));
    const QCommandLineOption roomScene(
        QStringLiteral("room-scene"),
        QStringLiteral("Build new rooms from scene <name> (default: the --scene of the "
                       "default room)."),
        QStringLiteral("name"));
    const QCommandLineOption workspaceDir(
        QStringLiteral("workspace-dir"),
        QStringLiteral("Keep each room other than the default one in its own file in <dir> "
                       "(default: the folder 'rooms' next to the default room's workspace)."),
        QStringLiteral("dir"));
    const QCommandLineOption roomIdleTimeout(
        QStringLiteral("room-idle-timeout"),
        QStringLiteral("Close a room kept on disk that has had no client for <seconds> "
                       "(default 300; 0 never); it opens again on the next connection."),
        QStringLiteral("seconds"));
    const QCommandLineOption maxRooms(
        QStringLiteral("max-rooms"),
        QStringLiteral("Keep at most <n> rooms open at once, the default room included "
                       "(default 1000)."),
        QStringLiteral("n"));
    parser.addOptions({help,
                       version,
                       headless,
                       port,
                       address,
                       pluginDir,
                       noDefaultPlugins,
                       listPlugins,
                       scene,
                       workspace,
                       noWorkspace,
                       noWeb,
                       verbose,
                       maxRate,
                       maxMessageBytes,
                       maxJsonDepth,
                       maxPendingBytes,
                       handshakeTimeout,
                       idleTimeout,
                       pingInterval,
                       maxPendingConnections,
                       tlsCert,
                       tlsKey,
                       config,
                       allowOrigin,
                       rooms,
                       room,
                       roomScene,
                       workspaceDir,
                       roomIdleTimeout,
                       maxRooms});

    HostCommandLine out;
    const auto fail = [&](const QString &message) {
        out.action = HostCommandLine::Action::Error;
        out.message = message;
        return out;
    };
    if (!parser.parse(arguments))
        return fail(parser.errorText());
    if (!parser.positionalArguments().isEmpty())
        return fail(
            QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().first()));
    if (parser.isSet(help)) {
        out.action = HostCommandLine::Action::ShowHelp;
        out.message = parser.helpText();
        return out;
    }
    if (parser.isSet(version)) {
        out.action = HostCommandLine::Action::ShowVersion;
        out.message = versionText();
        return out;
    }

    HostOptions &o = out.options;
    o.headless = parser.isSet(headless);
    bool ok = false;
    const QString portText = parser.value(port);
    const uint portValue = portText.toUInt(&ok);
    if (!ok || portValue > 65535)
        return fail(
            QStringLiteral("invalid port '%1': expected a number from 0 to 65535").arg(portText));
    o.port = static_cast<quint16>(portValue);
    const QString addressText = parser.value(address);
    if (addressText == QLatin1String("localhost")) {
        o.address = QHostAddress(QHostAddress::LocalHost);
    } else if (!o.address.setAddress(addressText)) {
        return fail(QStringLiteral("invalid address '%1': expected an IP address such as "
                                   "127.0.0.1 or 0.0.0.0")
                        .arg(addressText));
    }
    o.pluginDirs = parser.values(pluginDir);
    for (const QString &dir : std::as_const(o.pluginDirs)) {
        if (dir.isEmpty())
            return fail(QStringLiteral("--plugin-dir needs a directory"));
    }
    o.defaultPluginDirs = !parser.isSet(noDefaultPlugins);
    o.listPlugins = parser.isSet(listPlugins);
    o.verbose = parser.isSet(verbose);
    o.serveWeb = !parser.isSet(noWeb);
    // Each of these is a whole number from 0 up; 0 turns the limit off.
    struct Limit
    {
        const QCommandLineOption &option;
        qint64 max;
        std::function<void(qint64)> store;
    };
    constexpr qint64 intMax = std::numeric_limits<int>::max();
    const Limit limits[] = {
        {maxRate, intMax, [&](qint64 v) { o.maxMessagesPerSecond = int(v); }},
        {maxMessageBytes, std::numeric_limits<qint64>::max(),
         [&](qint64 v) { o.maxMessageBytes = v; }},
        {maxJsonDepth, intMax, [&](qint64 v) { o.maxJsonDepth = int(v); }},
        {maxPendingBytes, std::numeric_limits<qint64>::max(),
         [&](qint64 v) { o.maxPendingBytes = v; }},
        {handshakeTimeout, intMax, [&](qint64 v) { o.handshakeTimeoutMs = int(v); }},
        {idleTimeout, intMax, [&](qint64 v) { o.idleTimeoutMs = int(v); }},
        {pingInterval, intMax, [&](qint64 v) { o.pingIntervalMs = int(v); }},
        {maxPendingConnections, intMax, [&](qint64 v) { o.maxPendingConnections = int(v); }},
    };
    for (const Limit &limit : limits) {
        if (!parser.isSet(limit.option))
            continue;
        const QString text = parser.value(limit.option);
        const qint64 value = nonNegative(text, limit.max);
        if (value < 0)
            return fail(QStringLiteral("invalid --%1 '%2': expected a whole number from 0 to %3")
                            .arg(limit.option.names().constFirst(), text)
                            .arg(limit.max));
        limit.store(value);
    }
    const ServerOptions serverDefaults;
    const int ping = o.pingIntervalMs >= 0 ? o.pingIntervalMs : serverDefaults.pingIntervalMs;
    const int idle = o.idleTimeoutMs >= 0 ? o.idleTimeoutMs : serverDefaults.idleTimeoutMs;
    if (wholeLine && ping > 0 && idle > 0 && ping >= idle)
        return fail(QStringLiteral("--ping-interval (%1 ms) must be shorter than --idle-timeout "
                                   "(%2 ms), or live clients are closed before they can answer")
                        .arg(ping)
                        .arg(idle));
    o.tlsCertificate = parser.value(tlsCert);
    o.tlsKey = parser.value(tlsKey);
    if (wholeLine && parser.isSet(tlsCert) != parser.isSet(tlsKey))
        return fail(QStringLiteral("--tls-cert and --tls-key go together: give both or neither"));
    if ((parser.isSet(tlsCert) && o.tlsCertificate.isEmpty()) ||
        (parser.isSet(tlsKey) && o.tlsKey.isEmpty()))
        return fail(QStringLiteral("--tls-cert and --tls-key need a file each"));
    o.allowedOrigins = parser.values(allowOrigin);
    for (const QString &origin : std::as_const(o.allowedOrigins)) {
        if (!isOriginPattern(origin))
            return fail(QStringLiteral("invalid --allow-origin '%1': expected '*' or an origin "
                                       "such as https://example.com or http://localhost:3000")
                            .arg(origin));
    }
    if (parser.isSet(scene)) {
        o.scene = parser.value(scene);
        if (o.scene.isEmpty())
            return fail(QStringLiteral("--scene needs a name"));
    }
    o.noWorkspace = parser.isSet(noWorkspace);
    if (parser.isSet(workspace)) {
        o.workspace = parser.value(workspace);
        if (o.workspace.isEmpty())
            return fail(QStringLiteral("--workspace needs a path"));
        if (o.noWorkspace)
            return fail(QStringLiteral("--workspace and --no-workspace exclude each other"));
    }
    if (const QString failure = readRoomOptions(
            parser, o, {rooms, room, roomScene, workspaceDir, roomIdleTimeout, maxRooms});
        !failure.isEmpty())
        return fail(failure);
    return out;
}

} // namespace

HostCommandLine parseHostCommandLine(const QStringList &arguments)
{
    const HostConfigScan scan = scanForConfigFile(arguments);
    if (!scan.error.isEmpty()) {
        HostCommandLine out;
        out.action = HostCommandLine::Action::Error;
        out.message = scan.error;
        return out;
    }
    if (scan.path.isEmpty())
        return parseArguments(arguments, true);

    const Result<QList<HostConfigEntry>> read = readHostConfigFile(scan.path);
    if (!read) {
        HostCommandLine out;
        out.action = HostCommandLine::Action::Error;
        out.message = read.error().message();
        return out;
    }
    const QList<HostConfigEntry> &entries = *read;
    // Each line on its own first, so that a bad value is reported with its line.
    const QString program = arguments.value(0, QStringLiteral("objectsync-host"));
    for (const HostConfigEntry &entry : std::as_const(entries)) {
        const HostCommandLine one = parseArguments({program, entry.argument}, false);
        if (one.action == HostCommandLine::Action::Error) {
            HostCommandLine out = one;
            out.message =
                QStringLiteral("%1:%2: %3").arg(scan.path).arg(entry.line).arg(one.message);
            return out;
        }
    }
    // The command line wins: the file gives only what it does not.
    const QSet<QString> given = longOptionNames(arguments);
    QStringList merged{program};
    for (const HostConfigEntry &entry : std::as_const(entries))
        if (!given.contains(entry.name))
            merged.append(entry.argument);
    merged += arguments.mid(1);
    HostCommandLine out = parseArguments(merged, true);
    if (out.action == HostCommandLine::Action::Error)
        out.message = QStringLiteral("%1 (with the options of %2)").arg(out.message, scan.path);
    return out;
}

bool commandLineWantsNoWindow(int argc, char **argv)
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i) {
        const char *a = argv[i];
        for (const char *flag : {"--headless", "-headless", "--help", "-help", "-h", "--version",
                                 "-version", "-v", "--list-plugins", "-list-plugins"})
            if (i > 0 && std::strcmp(a, flag) == 0)
                return true;
        arguments.append(QString::fromLocal8Bit(a));
    }
    // A configuration file may ask for no window (a service has no display). When it cannot
    // be read, no window either: the error is printed without needing a display.
    const HostConfigScan scan = scanForConfigFile(arguments);
    if (!scan.error.isEmpty())
        return true;
    if (scan.path.isEmpty())
        return false;
    const Result<QList<HostConfigEntry>> read = readHostConfigFile(scan.path);
    if (!read)
        return true;
    for (const HostConfigEntry &entry : *read)
        if (entry.argument == QLatin1String("--headless") ||
            entry.argument == QLatin1String("--list-plugins"))
            return true;
    return false;
}

} // namespace objectsync
