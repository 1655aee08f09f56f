// SPDX-License-Identifier: MIT
#include "httpconnection.h"

#include "httprequest.h"
#include "httpresponse.h"
#include "staticfiles.h"
#include "weblog.h"

#include <QFile>
#include <QTcpSocket>

namespace objectsync::web {

HttpConnection::HttpConnection(QTcpSocket *socket, const StaticFiles *files,
                               const WebFrontendOptions &options, UpgradeTarget upgradeTarget,
                               QObject *parent)
    : QObject(parent), m_socket(socket), m_files(files), m_options(options),
      m_upgradeTarget(std::move(upgradeTarget))
{
    m_socket->setParent(this);
    // Nothing more than a head is ever buffered; the rest waits in the kernel.
    m_socket->setReadBufferSize(qMax<qint64>(64, m_options.maxRequestHeadBytes));
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &HttpConnection::onTimeout);
    connect(m_socket, &QTcpSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, &HttpConnection::finish);
}

HttpConnection::~HttpConnection()
{
    if (m_socket && m_socket->parent() == this) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
}

void HttpConnection::start()
{
    m_timer.start(qMax(1, m_options.readTimeoutMs));
    if (m_socket->state() != QAbstractSocket::ConnectedState) {
        QMetaObject::invokeMethod(this, &HttpConnection::finish, Qt::QueuedConnection);
        return;
    }
    if (m_socket->bytesAvailable() > 0)
        onReadyRead();
}

void HttpConnection::abort()
{
    if (m_state == State::Done)
        return;
    m_socket->abort();
    finish();
}

void HttpConnection::onReadyRead()
{
    if (m_state != State::ReadingHead)
        return;
    const qint64 limit = qMax<qint64>(64, m_options.maxRequestHeadBytes);
    const QByteArray received = m_socket->peek(limit);
    const HeadScan scan = scanRequestHead(received, limit);
    if (scan.status == HeadScan::Incomplete)
        return;
    if (scan.status == HeadScan::TooLarge) {
        respond({}, {}, HttpResponse::error(431, "the request head is too large"));
        return;
    }

    HttpRequestHead head;
    const QString error = parseRequestHead(QByteArrayView(received).first(scan.size), &head);
    if (!error.isEmpty()) {
        qCDebug(lcWeb).noquote() << "bad request from" << m_socket->peerAddress().toString() << ":"
                                 << error;
        respond({}, {}, HttpResponse::error(400, error.toUtf8()));
        return;
    }

    if (head.isWebSocketUpgrade()) {
        m_timer.stop();
        m_socket->disconnect(this);
        m_socket->setReadBufferSize(0);
        m_socket->setParent(nullptr);
        QTcpSocket *socket = m_socket;
        if (m_upgradeTarget && m_upgradeTarget(socket)) {
            // The path only: the query may hold a token.
            qCDebug(lcWeb) << "WebSocket upgrade handed over for" << head.path();
            m_socket = nullptr;
            m_state = State::Done;
            emit finished(this);
            return;
        }
        // Nothing takes WebSockets: keep the socket and say so.
        socket->setParent(this);
        connect(m_socket, &QTcpSocket::disconnected, this, &HttpConnection::finish);
        m_socket->skip(scan.size);
        respond(head.method, head.path(),
                HttpResponse::error(503, "this port does not serve WebSockets"));
        return;
    }

    m_socket->skip(scan.size);
    if (head.method == "GET" || head.method == "HEAD") {
        respond(head.method, head.path(), serveFile(head.path()), head.method == "HEAD");
        return;
    }
    HttpResponse notAllowed = HttpResponse::error(405);
    notAllowed.extraHeaders.emplaceBack("Allow", "GET, HEAD");
    respond(head.method, head.path(), notAllowed);
}

HttpResponse HttpConnection::serveFile(const QByteArray &path) const
{
    const FileLookup found = m_files->lookup(path);
    if (found.status == FileLookup::Forbidden)
        return HttpResponse::error(403);
    if (found.status == FileLookup::NotFound)
        return HttpResponse::error(404);
    QFile file(found.filePath);
    if (!file.open(QIODevice::ReadOnly)) {
        qCWarning(lcWeb).noquote() << "cannot read" << found.filePath << ":" << file.errorString();
        return HttpResponse::error(500);
    }
    HttpResponse response;
    response.contentType = StaticFiles::contentType(found.filePath);
    response.body = file.readAll();
    return response;
}

void HttpConnection::onTimeout()
{
    if (m_state == State::ReadingHead) {
        respond({}, {}, HttpResponse::error(408));
        return;
    }
    // The client does not take the response: cut it.
    abort();
}

void HttpConnection::respond(const QByteArray &method, const QByteArray &path,
                             const HttpResponse &response, bool headOnly)
{
    m_state = State::Closing;
    m_socket->write(response.serialize(headOnly));
    emit served(QString::fromLatin1(method), QString::fromUtf8(path), response.status);
    if (m_state == State::Done)
        return;
    m_timer.start(qMax(1, m_options.readTimeoutMs));
    m_socket->disconnectFromHost(); // after what is buffered has been written
}

void HttpConnection::finish()
{
    if (m_state == State::Done)
        return;
    m_state = State::Done;
    m_timer.stop();
    emit finished(this);
}

} // namespace objectsync::web
