// SPDX-License-Identifier: MIT
#pragma once

#include "web/staticfiles.h"
#include <objectsync/server.h>

#include <QAbstractHttpServer>
#include <QHash>
#include <QStringList>
#include <functional>
#include <optional>

namespace objectsync::transport {

class PendingConnections;

/*!
 * The HTTP side of a server's port, on Qt's QAbstractHttpServer: it reads each request head
 * once and then either
 * - lets a WebSocket upgrade go on to Qt's WebSocket handshake (newWebSocketConnection()),
 *   after checking its Origin against the allowed origins (403 otherwise) and that its head
 *   is one Qt's handshake reader accepts (400 otherwise);
 * - answers GET and HEAD with a route's handler (exact path) or a file from the web roots;
 * - answers anything else with an error status (403, 404, 405).
 * Every HTTP answer closes its connection. It owns no timer: the server's PendingConnections
 * cuts connections that take too long.
 */
class HttpDoor : public QAbstractHttpServer
{
    Q_OBJECT
public:
    explicit HttpDoor(PendingConnections *pending, QObject *parent = nullptr);

    void setAllowedOrigins(const QStringList &origins) { m_allowedOrigins = origins; }
    void setRoots(const QStringList &roots) { m_files.setRoots(roots); }
    QStringList roots() const { return m_files.roots(); }
    void setRoute(const QString &path, HttpHandler handler);
    /*! Asked about each WebSocket upgrade whose origin and head passed, before Qt's handshake:
     *  an Error refuses it with the HTTP status of its code (see httpStatusOf()). */
    using UpgradeCheck =
        std::function<Result<void>(const QHttpServerRequest &request, const QTcpSocket *socket)>;
    void setUpgradeCheck(UpgradeCheck check) { m_upgradeCheck = std::move(check); }
    /*! Serve the web pages under `/rooms/<name>/` as at `/` (and redirect `/rooms/<name>`). */
    void setServeRoomPages(bool serve) { m_roomPages = serve; }

    /*! The HTTP status that refuses an upgrade for \a error. */
    static int httpStatusOf(const Error &error);

    qint64 httpRequests() const { return m_httpRequests; }

signals:
    /*! An HTTP request was answered with \a status (WebSocket upgrades are not reported). */
    void requestServed(const QString &method, const QString &path, int status);
    /*! A WebSocket upgrade was refused with an HTTP status before Qt's handshake; \a kind is
     *  the ServerStats::refused key ("origin", "bad_handshake", "room"). */
    void upgradeRefused(const QString &peerAddress, const QString &reason, int status,
                        const QString &kind);

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    bool handleUpgrade(const QHttpServerRequest &request, QTcpSocket *socket);
    /*! Writes \a reply and closes the connection once it is taken; \a report: emit
     *  requestServed() (not for refused upgrades). */
    void answer(const QHttpServerRequest &request, QTcpSocket *socket, const HttpReply &reply,
                bool report = true);
    HttpReply serveFile(const QString &encodedPath) const;
    /*! The answer to a GET of a room's pages (`/rooms/<name>...`), or none for other paths. */
    std::optional<HttpReply> serveRoomPage(const QUrl &url) const;

    PendingConnections *m_pending;
    QStringList m_allowedOrigins;
    web::StaticFiles m_files;
    QHash<QString, HttpHandler> m_routes;
    UpgradeCheck m_upgradeCheck;
    bool m_roomPages = false;
    qint64 m_httpRequests = 0;
    bool m_answered = false; //!< the request handleRequest() refused was answered already
};

} // namespace objectsync::transport
