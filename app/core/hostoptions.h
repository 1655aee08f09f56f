// SPDX-License-Identifier: MIT
#pragma once

#include <QHostAddress>
#include <QMap>
#include <QStringList>

namespace objectsync {

/*! What the host was asked to do on its command line. */
struct HostOptions
{
    bool headless = false;
    QHostAddress address = QHostAddress(QHostAddress::LocalHost);
    quint16 port = 8765;
    QStringList pluginDirs;        //!< --plugin-dir, in the order given
    bool defaultPluginDirs = true; //!< false with --no-default-plugins
    QString scene;                 //!< --scene; empty for none
    QString workspace;             //!< --workspace; empty for none
    bool noWorkspace = false;
    bool listPlugins = false; //!< --list-plugins: print the plugins and scenes, then exit
    bool serveWeb = true;     //!< false with --no-web: WebSockets only, no web pages
    bool verbose = false;     //!< --verbose: also log debug messages
    // Limits and security of the server; -1 keeps ServerOptions' default.
    int maxMessagesPerSecond = -1;  //!< --max-messages-per-second
    qint64 maxMessageBytes = -1;    //!< --max-message-bytes
    int maxJsonDepth = -1;          //!< --max-json-depth
    qint64 maxPendingBytes = -1;    //!< --max-pending-bytes
    int handshakeTimeoutMs = -1;    //!< --handshake-timeout
    int idleTimeoutMs = -1;         //!< --idle-timeout
    int pingIntervalMs = -1;        //!< --ping-interval
    int maxPendingConnections = -1; //!< --max-pending-connections
    QStringList allowedOrigins;     //!< --allow-origin, in the order given
    QString tlsCertificate;         //!< --tls-cert: serve wss:// and https:// with this PEM file
    QString tlsKey;                 //!< --tls-key: the certificate's private key (PEM)

    // Rooms (see docs/host.md): which rooms clients may open, and where rooms are kept.
    enum class RoomMode : quint8 {
        Fixed, //!< only the default room and the rooms of --room (the default)
        Open   //!< any valid name
    };
    RoomMode roomMode = RoomMode::Fixed; //!< --rooms open|fixed
    QMap<QString, QString> fixedRooms;   //!< --room NAME[=SCENE]: name -> scene (may be empty)
    QString roomScene;                   //!< --room-scene: the scene of new rooms
    QString workspaceDir;           //!< --workspace-dir: the rooms' files; empty: rooms in memory
    bool noWorkspaceDir = false;    //!< rooms in memory even with a workspace (--no-workspace)
    int roomIdleTimeoutMs = 300000; //!< --room-idle-timeout (seconds); 0: never close
    int maxRooms = 1000;            //!< --max-rooms: rooms open at once, the default included
};

/*! The outcome of reading a command line. */
struct HostCommandLine
{
    enum class Action : quint8 {
        Run,
        ShowHelp,
        ShowVersion,
        Error //!< message says what is wrong
    };
    Action action = Action::Run;
    HostOptions options;
    QString message; //!< the help text, the version text or the error
};

/*! Reads \a arguments (the program name first, as QCoreApplication::arguments()). */
HostCommandLine parseHostCommandLine(const QStringList &arguments);

/*! True when \a argc / \a argv ask for no window (--headless, --help, --version,
 *  --list-plugins): then no GUI application object is made. */
bool commandLineWantsNoWindow(int argc, char **argv);

/*! Exit codes of objectsync-host. */
enum HostExitCode : int {
    ExitOk = 0,
    ExitFailure = 1, //!< could not start (port in use, unknown scene, ...)
    ExitBadUsage = 2 //!< bad command line
};

} // namespace objectsync
