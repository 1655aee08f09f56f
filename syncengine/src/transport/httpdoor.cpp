// SPDX-License-Identifier: MIT
#include "httpdoor.h"

#include "clientconnection.h"
#include "listeners.h"
#include "originpolicy.h"
#include "pendingconnections.h"

#include <objectsync/room.h>

#include <QFile>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QTcpSocket>

namespace objectsync {

namespace {

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 308:
        return "Permanent Redirect";
    case 405:
        return "Method Not Allowed";
    case 500:
        return "Internal Server Error";
    case 503:
        return "Service Unavailable";
    default:
        return {};
    }
}

} // namespace

HttpReply HttpReply::error(int status, const QByteArray &message)
{
    HttpReply reply;
    reply.status = status;
    reply.body = QByteArray::number(status);
    if (const QByteArray phrase = reasonPhrase(status); !phrase.isEmpty())
        reply.body += ' ' + phrase;
    if (!message.isEmpty())
        reply.body += ": " + message;
    reply.body += '\n';
    return reply;
}

} // namespace objectsync

namespace objectsync::transport {

namespace {

bool isWebSocketUpgrade(const QHttpServerRequest &request)
{
    // The test Qt makes before it hands a request to its WebSocket server.
    return request.value("connection").toLower().contains("upgrade") &&
           request.value("upgrade").compare("websocket", Qt::CaseInsensitive) == 0;
}

QByteArray methodName(QHttpServerRequest::Method method)
{
    switch (method) {
    case QHttpServerRequest::Method::Get:
        return "GET";
    case QHttpServerRequest::Method::Head:
        return "HEAD";
    case QHttpServerRequest::Method::Post:
        return "POST";
    case QHttpServerRequest::Method::Put:
        return "PUT";
    case QHttpServerRequest::Method::Delete:
        return "DELETE";
    case QHttpServerRequest::Method::Options:
        return "OPTIONS";
    case QHttpServerRequest::Method::Patch:
        return "PATCH";
    case QHttpServerRequest::Method::Connect:
        return "CONNECT";
    case QHttpServerRequest::Method::Trace:
        return "TRACE";
    default:
        return "?";
    }
}

QString peerOf(const QTcpSocket *socket)
{
    return QStringLiteral("%1:%2").arg(socket->peerAddress().toString()).arg(socket->peerPort());
}

} // namespace

HttpDoor::HttpDoor(PendingConnections *pending, QObject *parent)
    : QAbstractHttpServer(parent), m_pending(pending)
{}

void HttpDoor::setRoute(const QString &path, HttpHandler handler)
{
    if (handler)
        m_routes.insert(path, std::move(handler));
    else
        m_routes.remove(path);
}

bool HttpDoor::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    m_answered = false;
    if (isWebSocketUpgrade(request))
        return handleUpgrade(request, socket);

    ++m_httpRequests;
    const QHttpServerRequest::Method method = request.method();
    if (method != QHttpServerRequest::Method::Get && method != QHttpServerRequest::Method::Head) {
        answer(request, socket, HttpReply::error(405));
        return true;
    }
    const QString path = request.url().path();
    if (const auto route = m_routes.constFind(path); route != m_routes.cend()) {
        HttpRequest info;
        info.method = methodName(method);
        info.url = request.url();
        info.headers = request.headers();
        HttpReply reply;
        try {
            reply = route.value()(info);
        } catch (...) {
            qCWarning(lcTransport).noquote() << "the handler of" << path << "failed";
            reply = HttpReply::error(500);
        }
        answer(request, socket, reply);
        return true;
    }
    if (m_roomPages) {
        if (std::optional<HttpReply> page = serveRoomPage(request.url())) {
            answer(request, socket, *page);
            return true;
        }
    }
    answer(request, socket, serveFile(request.url().path(QUrl::FullyEncoded)));
    return true;
}

std::optional<HttpReply> HttpDoor::serveRoomPage(const QUrl &url) const
{
    const QString path = url.path();
    if (!path.startsWith(QLatin1String("/rooms/")))
        return std::nullopt;
    const qsizetype slash = path.indexOf(QLatin1Char('/'), 7);
    const QString name = path.mid(7, slash < 0 ? -1 : slash - 7);
    if (!isValidRoomName(name))
        return std::nullopt;
    if (slash < 0) { // the page's relative links need the trailing slash
        HttpReply reply = HttpReply::error(308);
        reply.location = QByteArray("/rooms/") + name.toUtf8() + '/';
        return reply;
    }
    const QString encoded = url.path(QUrl::FullyEncoded);
    return serveFile(encoded.mid(encoded.indexOf(QLatin1Char('/'), 7)));
}

int HttpDoor::httpStatusOf(const Error &error)
{
    switch (error.code()) {
    case ErrorCode::InvalidArgument:
        return 400;
    case ErrorCode::PermissionDenied:
        return 403;
    case ErrorCode::NotFound:
        return 404;
    case ErrorCode::LimitExceeded:
        return 503;
    default:
        return 500;
    }
}

bool HttpDoor::handleUpgrade(const QHttpServerRequest &request, QTcpSocket *socket)
{
    const auto refuse = [&](int status, const QString &reason, const QByteArray &told,
                            const QString &kind) {
        qCWarning(lcTransport).noquote()
            << QStringLiteral("refused the connection from %1 (HTTP %2): %3")
                   .arg(peerOf(socket))
                   .arg(status)
                   .arg(reason);
        emit upgradeRefused(peerOf(socket), reason, status, kind);
        answer(request, socket, HttpReply::error(status, told), false);
        m_answered = true;
        return false;
    };
    if (request.method() != QHttpServerRequest::Method::Get)
        return refuse(400, QStringLiteral("a WebSocket upgrade must be a GET request"),
                      "not a valid WebSocket handshake", QStringLiteral("bad_handshake"));
    const Result<void> allowed =
        refuseOrigin(QString::fromUtf8(request.value("origin")),
                     QString::fromUtf8(request.value("host")), m_allowedOrigins);
    if (!allowed)
        return refuse(403, allowed.error().message(), "this origin may not connect",
                      QStringLiteral("origin"));

    // Qt's HTTP reader accepts heads that end in bare line feeds; its WebSocket handshake
    // reader waits for CR LF CR LF and would wait forever. Look at the raw head (the request
    // is read inside a transaction that Qt rolls back before the handshake).
    socket->rollbackTransaction();
    const QByteArray head = socket->peek(maxRequestHeadBytes);
    socket->startTransaction();
    if (!head.contains("\r\n\r\n"))
        return refuse(400, QStringLiteral("the handshake's lines do not end in CR LF"),
                      "not a valid WebSocket handshake", QStringLiteral("bad_handshake"));
    if (m_upgradeCheck) {
        Result<void> admitted = Error(ErrorCode::Internal, QStringLiteral("the room check failed"));
        try {
            admitted = m_upgradeCheck(request, socket);
        } catch (...) {
        }
        if (!admitted) {
            const int status = httpStatusOf(admitted.error());
            // A refusal of the access policy is only logged: it might tell what a token is worth.
            return refuse(status, admitted.errorMessage(),
                          status == 403 ? QByteArray("you may not enter this room")
                                        : admitted.errorMessage().toUtf8(),
                          QStringLiteral("room"));
        }
    }

    // From here Qt's WebSocket server reads the handshake and makes the QWebSocket; the
    // server admits it as a client (Server's newWebSocketConnection handler).
    m_pending->release(socket);
    socket->setReadBufferSize(0);
    return true;
}

void HttpDoor::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    if (std::exchange(m_answered, false))
        return;
    answer(request, socket, HttpReply::error(404));
}

HttpReply HttpDoor::serveFile(const QString &encodedPath) const
{
    const web::FileLookup found = m_files.lookup(encodedPath.toUtf8());
    if (found.status == web::FileLookup::Forbidden)
        return HttpReply::error(403);
    if (found.status == web::FileLookup::NotFound)
        return HttpReply::error(404);
    QFile file(found.filePath);
    if (!file.open(QIODevice::ReadOnly)) {
        qCWarning(lcTransport).noquote()
            << "cannot read" << found.filePath << ":" << file.errorString();
        return HttpReply::error(500);
    }
    HttpReply reply;
    reply.contentType = web::StaticFiles::contentType(found.filePath);
    reply.body = file.readAll();
    return reply;
}

void HttpDoor::answer(const QHttpServerRequest &request, QTcpSocket *socket, const HttpReply &reply,
                      bool report)
{
    const bool headOnly = request.method() == QHttpServerRequest::Method::Head;
    QHttpServerResponder responder = makeResponder(request, socket);
    responder.writeStatusLine(QHttpServerResponder::StatusCode(reply.status));
    responder.writeHeader("Server", "ObjectSync");
    responder.writeHeader("Content-Type", reply.contentType);
    responder.writeHeader("Content-Length", QByteArray::number(reply.body.size()));
    responder.writeHeader("Cache-Control", "no-cache");
    responder.writeHeader("X-Content-Type-Options", "nosniff");
    if (reply.status == 405)
        responder.writeHeader("Allow", "GET, HEAD");
    if (!reply.location.isEmpty())
        responder.writeHeader("Location", reply.location);
    responder.writeHeader("Connection", "close");
    responder.writeBody(headOnly ? QByteArray() : reply.body);
    if (report)
        emit requestServed(QString::fromLatin1(methodName(request.method())), request.url().path(),
                           reply.status);
    // Closes once the answer is written; a peer that does not take it in time is cut.
    m_pending->restartClock(socket);
    socket->disconnectFromHost();
}

} // namespace objectsync::transport
