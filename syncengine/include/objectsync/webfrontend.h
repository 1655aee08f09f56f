// SPDX-License-Identifier: MIT
#pragma once

/*! \file webfrontend.h Web pages and WebSockets on one port. */

#include <objectsync/global.h>

#include <QHostAddress>
#include <QObject>
#include <QStringList>
#include <functional>
#include <memory>

QT_BEGIN_NAMESPACE
class QTcpSocket;
class QWebSocketServer;
QT_END_NAMESPACE

namespace objectsync {

class WebFrontendPrivate;

/*! Limits of a WebFrontend. They apply to connections accepted after they are set. */
struct WebFrontendOptions
{
    /*! Largest request head (request line and headers) accepted; larger ones get 431. */
    qint64 maxRequestHeadBytes = 16 * 1024;
    /*! How long a client may take to send its request head (408 after that), and to take
     *  the response before the connection is cut. */
    int readTimeoutMs = 10000;
    /*! HTTP connections served at once (WebSockets handed over do not count); more are
     *  closed as soon as they are accepted. */
    int maxConnections = 256;
};

/*!
 * Listens on one TCP port and serves both the browser pages and the WebSocket clients of a
 * host. Each new connection's HTTP request head is read first:
 * - a WebSocket upgrade request is handed over, unread, to the WebSocket side (a
 *   QWebSocketServer that does not listen itself, a handler, or another local port);
 * - a GET or HEAD request is answered with a file from the first root that has it (the
 *   built-in demo under `:/objectsync/web/` and the web client's directory by default);
 *   `/` and directories mean their `index.html`;
 * - anything else gets an error status (400, 403, 404, 405, 408, 431, 503).
 *
 * Every response closes its connection. Files are looked up under the roots only: a path
 * with `..`, `.`, a backslash or a NUL is refused (403), and so is a file that resolves
 * outside its root through a symbolic link.
 *
 * \code
 * objectsync::WebFrontend web;
 * QWebSocketServer sockets(QStringLiteral("host"), QWebSocketServer::NonSecureMode);
 * web.setWebSocketServer(&sockets); // sockets.newConnection() as usual, never listen()ed
 * if (!web.listen(QHostAddress::Any, 8765))
 *     qFatal("%s", qPrintable(web.errorString()));
 * \endcode
 */
class OBJECTSYNC_EXPORT WebFrontend : public QObject
{
    Q_OBJECT
public:
    /*! Receives a connection whose WebSocket upgrade request is still unread and takes
     *  ownership of the socket. */
    using UpgradeHandler = std::function<void(QTcpSocket *socket)>;

    explicit WebFrontend(QObject *parent = nullptr);
    ~WebFrontend() override;

    void setOptions(const WebFrontendOptions &options);
    WebFrontendOptions options() const;

    /*!
     * The places files are served from, searched in order: directories, or Qt resource
     * paths such as `:/objectsync/web`. Defaults to defaultRoots().
     */
    void setRoots(const QStringList &roots);
    QStringList roots() const;
    /*!
     * The directory named by the environment variable OBJECTSYNC_WEB_ROOT, if set (its files
     * win over the built-in ones); the built-in pages (`:/objectsync/web`); then the first of
     * `<application dir>/../webclient` (a build tree) and
     * `<application dir>/../share/objectsync/web` (an installation) that holds the web
     * client bundle, `objectsync-client.js`.
     */
    static QStringList defaultRoots();

    /*! Hands WebSocket upgrades to \a server (which must not listen itself). The server
     *  must outlive this object or be removed first (pass nullptr). */
    void setWebSocketServer(QWebSocketServer *server);
    /*! Hands WebSocket upgrades to \a handler; replaces any earlier WebSocket target. */
    void setUpgradeHandler(UpgradeHandler handler);
    /*!
     * Relays WebSocket upgrades, byte for byte, to a WebSocket server listening at
     * \a address : \a port (for a server that cannot be handed sockets). Its peers then all
     * appear to come from this process.
     */
    void forwardWebSocketsTo(const QHostAddress &address, quint16 port);
    /*! True when WebSocket upgrades have somewhere to go (otherwise they get 503). */
    bool servesWebSockets() const;

    /*! Starts listening; port 0 picks a free port (see port()). Returns false and sets
     *  errorString() when it cannot. */
    bool listen(const QHostAddress &address = QHostAddress::LocalHost, quint16 port = 8765);
    bool isListening() const;
    /*! The port listened on (0 when not listening). */
    quint16 port() const;
    QHostAddress address() const;
    QString errorString() const;
    /*! Stops listening and cuts the HTTP connections still open (handed-over WebSockets
     *  are not affected). */
    void close();

signals:
    /*! An HTTP request was answered with \a status (WebSocket hand-overs are not reported). */
    void requestServed(const QString &method, const QString &path, int status);

private:
    std::unique_ptr<WebFrontendPrivate> d;
};

} // namespace objectsync
