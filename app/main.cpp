// SPDX-License-Identifier: MIT
// objectsync-host: serves a tree of synchronized objects; see docs/host.md.
#include "core/endpoint.h"
#include "core/filelimit.h"
#include "core/host.h"
#include "core/hostoptions.h"
#include "core/logging.h"
#include "core/pluginlist.h"
#include "core/pluginmanager.h"
#include "core/signalwatcher.h"
#include "gui/window.h"

#include <QLoggingCategory>

#include <cstdio>

using namespace objectsync;

namespace {

void printOut(const QString &text)
{
    std::fputs(text.toLocal8Bit().constData(), stdout);
    std::fflush(stdout);
}

void printError(const QString &text)
{
    std::fprintf(stderr, "objectsync-host: %s\n", text.toLocal8Bit().constData());
    std::fflush(stderr);
}

} // namespace

int main(int argc, char *argv[])
{
    // Headless, the host runs on its epoll dispatcher (createApplication()). With a window,
    // Qt's own event dispatcher, not glib's: glib removes a socket notifier by walking a list
    // of all of them, and a socket turns its write notifier on and off around every write.
    // With 10,000 clients that walk took three quarters of the host's time in a fan-out.
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
    const bool wantsWindow = !commandLineWantsNoWindow(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("objectsync-host"));
    QCoreApplication::setApplicationVersion(QStringLiteral(OBJECTSYNC_VERSION));
    const std::unique_ptr<QCoreApplication> app = createApplication(argc, argv, wantsWindow);

    const HostCommandLine commandLine = parseHostCommandLine(QCoreApplication::arguments());
    switch (commandLine.action) {
    case HostCommandLine::Action::ShowHelp:
    case HostCommandLine::Action::ShowVersion:
        printOut(commandLine.message);
        return ExitOk;
    case HostCommandLine::Action::Error:
        printError(commandLine.message);
        std::fprintf(stderr, "Try 'objectsync-host --help' for more information.\n");
        return ExitBadUsage;
    case HostCommandLine::Action::Run:
        break;
    }
    HostOptions options = commandLine.options;
    // QT_LOGGING_RULES, when set, still overrides these. Qt's HTTP server warns about every
    // WebSocket upgrade the door refuses; the door logs each refusal with its reason.
    QLoggingCategory::setFilterRules((options.verbose
                                          ? QStringLiteral("objectsync.*.debug=true")
                                          : QStringLiteral("objectsync.*.debug=false")) +
                                     QStringLiteral("\nqt.httpserver.warning=false"));

    // Installed before anything is announced: a SIGINT or SIGTERM from now on ends the event
    // loop cleanly (the workspace is written and closed), even one sent as soon as the
    // "listening" line appears.
    SignalWatcher signalWatcher;
    Host host;
    if (options.listPlugins) {
        host.pluginManager()->loadDirectories(Host::pluginDirectories(options));
        printOut(formatPluginList(*host.pluginManager()));
        return ExitOk;
    }
    // One open file per client: let the host have as many as the system allows.
    long long clientRoom = -1;
    const QString limitNote = raiseOpenFileLimit(&clientRoom);
    if (clientRoom >= 0 && clientRoom < 10000)
        qCWarning(lcHost).noquote()
            << QStringLiteral("%1: room for about %2 clients; raise the hard limit (ulimit -Hn, "
                              "or LimitNOFILE= in a service unit) to serve more")
                   .arg(limitNote)
                   .arg(clientRoom);
    else
        qCInfo(lcHost).noquote() << limitNote;
    // Without --workspace or --no-workspace the objects are kept in the user's data folder.
    options.workspaceDir = Host::roomDirectoryFor(options); // before the next line
    options.workspace = Host::workspaceFor(options);
    if (const Result<void> started = host.start(options); !started) {
        printError(started.error().message());
        return ExitFailure;
    }
    printOut(
        QStringLiteral("ObjectSync host listening on %1\n").arg(host.endpoint()->url().toString()));
    if (const QUrl web = host.endpoint()->webUrl(); !web.isEmpty())
        printOut(QStringLiteral("Web pages on %1\n").arg(web.toString()));
    printOut(host.hasWorkspace() ? QStringLiteral("Workspace %1\n").arg(host.workspacePath())
                                 : QStringLiteral("No workspace: nothing is kept on disk\n"));

    std::unique_ptr<QObject> window; // destroyed before the host
    if (!options.headless) {
        window = openInspector(host);
        if (!window)
            qCInfo(lcHost) << "no inspector window (no display, or a build without the "
                              "inspector): running headless";
    }
    return app->exec();
}
