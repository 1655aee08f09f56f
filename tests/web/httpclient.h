// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QEventLoop>
#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QTcpSocket>
#include <QTimer>

/*! A raw HTTP exchange over a real socket, for tests: sends bytes, reads until the server
 *  closes the connection (or a generous safety limit passes), and splits the response. */
struct RawHttpResponse
{
    bool complete = false; //!< the server closed the connection
    QByteArray raw;
    int status = 0;
    QList<QPair<QByteArray, QByteArray>> headers; //!< names lower-cased
    QByteArray body;

    QByteArray header(const QByteArray &lowerCaseName) const
    {
        for (const auto &[name, value] : headers)
            if (name == lowerCaseName)
                return value;
        return {};
    }
};

inline RawHttpResponse parseRawResponse(const QByteArray &raw, bool complete)
{
    RawHttpResponse r;
    r.raw = raw;
    r.complete = complete;
    const qsizetype end = raw.indexOf("\r\n\r\n");
    if (end < 0)
        return r;
    const QList<QByteArray> lines = raw.left(end).split('\n');
    const QList<QByteArray> statusLine = lines.value(0).trimmed().split(' ');
    r.status = statusLine.value(1).toInt();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon > 0)
            r.headers.append({line.left(colon).toLower(), line.mid(colon + 1).trimmed()});
    }
    r.body = raw.mid(end + 4);
    return r;
}

/*! Sends \a request to 127.0.0.1:\a port and waits for the whole response. */
inline RawHttpResponse exchange(quint16 port, const QByteArray &request, int safetyMs = 5000)
{
    QTcpSocket socket;
    QByteArray received;
    QEventLoop loop;
    QTimer safety;
    safety.setSingleShot(true);
    QObject::connect(&safety, &QTimer::timeout, &loop, &QEventLoop::quit);
    QObject::connect(&socket, &QTcpSocket::readyRead, [&] { received += socket.readAll(); });
    QObject::connect(&socket, &QTcpSocket::disconnected, &loop, &QEventLoop::quit);
    QObject::connect(&socket, &QTcpSocket::connected, [&] { socket.write(request); });
    socket.connectToHost(QHostAddress::LocalHost, port);
    safety.start(safetyMs);
    loop.exec();
    received += socket.readAll();
    const bool closed = socket.state() == QAbstractSocket::UnconnectedState;
    return parseRawResponse(received, closed);
}

inline RawHttpResponse get(quint16 port, const QByteArray &target, const QByteArray &method = "GET")
{
    return exchange(port, method + ' ' + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
}
