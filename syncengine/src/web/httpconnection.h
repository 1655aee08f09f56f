// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/webfrontend.h>

#include <QObject>
#include <QTimer>
#include <functional>

QT_BEGIN_NAMESPACE
class QTcpSocket;
QT_END_NAMESPACE

namespace objectsync::web {

class StaticFiles;
struct HttpResponse;

/*!
 * One accepted TCP connection until its request head has been read: then it either hands
 * the socket over for a WebSocket upgrade (request unread) or answers one HTTP request and
 * closes. Owns the socket until it hands it over.
 */
class HttpConnection : public QObject
{
    Q_OBJECT
public:
    /*! Takes a socket whose upgrade request is unread; returns false, without taking it,
     *  when nothing serves WebSockets. */
    using UpgradeTarget = std::function<bool(QTcpSocket *socket)>;

    HttpConnection(QTcpSocket *socket, const StaticFiles *files, const WebFrontendOptions &options,
                   UpgradeTarget upgradeTarget, QObject *parent = nullptr);
    ~HttpConnection() override;

    /*! Looks at what has arrived already; call once after construction. */
    void start();
    /*! Cuts the connection at once. */
    void abort();

signals:
    /*! An HTTP request was answered. */
    void served(const QString &method, const QString &path, int status);
    /*! The connection is closed or handed over; the object may be deleted. Emitted once. */
    void finished(objectsync::web::HttpConnection *connection);

private:
    enum class State : quint8 { ReadingHead, Closing, Done };

    void onReadyRead();
    void onTimeout();
    void respond(const QByteArray &method, const QByteArray &path, const HttpResponse &response,
                 bool headOnly = false);
    HttpResponse serveFile(const QByteArray &path) const;
    void finish();

    QTcpSocket *m_socket;
    const StaticFiles *m_files;
    WebFrontendOptions m_options;
    UpgradeTarget m_upgradeTarget;
    QTimer m_timer;
    State m_state = State::ReadingHead;
};

} // namespace objectsync::web
