// SPDX-License-Identifier: MIT
#include "hostoptions.h"

#include <objectsync/global.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <cstring>

#ifndef OBJECTSYNC_VERSION
#define OBJECTSYNC_VERSION "0.0.0"
#endif

namespace objectsync {

namespace {

QString versionText()
{
    return QStringLiteral("objectsync-host %1 (engine API %2, Qt %3)\n")
        .arg(QStringLiteral(OBJECTSYNC_VERSION))
        .arg(ApiVersion)
        .arg(QString::fromLatin1(qVersion()));
}

} // namespace

HostCommandLine parseHostCommandLine(const QStringList &arguments)
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
                       "starts, written as they change."),
        QStringLiteral("path"));
    const QCommandLineOption noWorkspace(
        QStringLiteral("no-workspace"),
        QStringLiteral("Keep nothing on disk; the objects live as long as the host (the "
                       "default)."));
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
    parser.addOptions({help, version, headless, port, address, pluginDir, noDefaultPlugins,
                       listPlugins, scene, workspace, noWorkspace, noWeb, verbose, maxRate});

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
    if (parser.isSet(maxRate)) {
        const QString rateText = parser.value(maxRate);
        const int rate = rateText.toInt(&ok);
        if (!ok || rate < 0)
            return fail(QStringLiteral("invalid --max-messages-per-second '%1': expected a "
                                       "number from 0 up")
                            .arg(rateText));
        o.maxMessagesPerSecond = rate;
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
    return out;
}

bool commandLineWantsNoWindow(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        const char *a = argv[i];
        for (const char *flag : {"--headless", "-headless", "--help", "-help", "-h", "--version",
                                 "-version", "-v", "--list-plugins", "-list-plugins"})
            if (std::strcmp(a, flag) == 0)
                return true;
    }
    return false;
}

} // namespace objectsync
