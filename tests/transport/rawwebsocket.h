// SPDX-License-Identifier: MIT
#pragma once

// A WebSocket client made by hand over QTcpSocket, for tests that need what QWebSocket hides:
// any handshake headers (Origin, Host), the HTTP status of a refused handshake, pings, and a
// client that does not answer them.

#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTest>
#include <QtEndian>
#include <functional>

namespace testing {

class RawWebSocket
{
public:
    struct Frame
    {
        int opcode = 0;
        QByteArray payload;
    };

    /*! Connects to 127.0.0.1:\a port (waits until connected). */
    bool connectTo(quint16 port)
    {
        m_port = port;
        socket.connectToHost(QHostAddress::LocalHost, port);
        return QTest::qWaitFor([&] { return socket.state() == QAbstractSocket::ConnectedState; },
                               5000);
    }

    /*! The opening handshake's request head, with \a extraHeaders (each "Name: value"). */
    QByteArray request(const QByteArray &target, const QList<QByteArray> &extraHeaders,
                       const QByteArray &host = {}) const
    {
        QByteArray head = "GET " + target + " HTTP/1.1\r\nHost: " +
                          (host.isEmpty() ? "127.0.0.1:" + QByteArray::number(m_port) : host) +
                          "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                          "Sec-WebSocket-Version: 13\r\n";
        for (const QByteArray &h : extraHeaders)
            head += h + "\r\n";
        return head + "\r\n";
    }

    /*! Sends the handshake and returns the HTTP status of the answer (0 when none came). */
    int handshake(const QByteArray &target = "/", const QList<QByteArray> &extraHeaders = {},
                  const QByteArray &host = {})
    {
        socket.write(request(target, extraHeaders, host));
        const bool answered = QTest::qWaitFor(
            [&] {
                m_buffer += socket.readAll();
                return m_buffer.contains("\r\n\r\n") ||
                       socket.state() != QAbstractSocket::ConnectedState;
            },
            5000);
        const qsizetype end = m_buffer.indexOf("\r\n\r\n");
        if (!answered || end < 0)
            return 0;
        const QByteArray statusLine = m_buffer.left(m_buffer.indexOf("\r\n"));
        m_buffer.remove(0, end + 4);
        const QList<QByteArray> parts = statusLine.split(' ');
        return parts.size() >= 2 ? parts.at(1).toInt() : 0;
    }

    /*! Sends a masked frame (clients must mask). */
    void sendFrame(int opcode, const QByteArray &payload)
    {
        QByteArray frame;
        frame.append(char(0x80 | opcode));
        if (payload.size() < 126) {
            frame.append(char(0x80 | payload.size()));
        } else {
            frame.append(char(0x80 | 126));
            frame.append(char(payload.size() >> 8));
            frame.append(char(payload.size() & 0xff));
        }
        const char mask[4] = {0x12, 0x34, 0x56, 0x78};
        frame.append(mask, 4);
        for (qsizetype i = 0; i < payload.size(); ++i)
            frame.append(char(payload[i] ^ mask[i % 4]));
        socket.write(frame);
        socket.flush();
    }
    void sendJson(const QString &type, const QJsonObject &args)
    {
        sendFrame(0x1, QJsonDocument(QJsonObject{{QStringLiteral("type"), type},
                                                 {QStringLiteral("args"), args}})
                           .toJson(QJsonDocument::Compact));
    }

    /*!
     * Reads frames until \a done says so, the connection closes or \a timeoutMs pass. Pings
     * are counted, and answered when answerPings is set; a close frame sets closeCode and
     * closeReason; text frames are kept in messages.
     */
    bool readUntil(const std::function<bool()> &done, int timeoutMs = 5000)
    {
        const QDeadlineTimer deadline(timeoutMs);
        for (;;) {
            poll();
            if (done())
                return true;
            if (deadline.hasExpired() ||
                (socket.state() != QAbstractSocket::ConnectedState && socket.bytesAvailable() == 0))
                return done();
            QTest::qWait(5);
        }
    }
    /*! Reads and handles what has arrived, without waiting. */
    void poll()
    {
        m_buffer += socket.readAll();
        parse();
    }
    /*! Reads until a close frame or the end of the connection. */
    bool readUntilClosed(int timeoutMs = 5000)
    {
        return readUntil([&] { return closeCode >= 0 || isDisconnected(); }, timeoutMs);
    }
    bool isDisconnected() const { return socket.state() == QAbstractSocket::UnconnectedState; }
    /*! The first text message of \a type, or an empty object. */
    QJsonObject message(const QString &type) const
    {
        for (const QJsonObject &m : messages)
            if (m.value(QStringLiteral("type")).toString() == type)
                return m;
        return {};
    }

    QTcpSocket socket;
    QList<QJsonObject> messages;
    int pings = 0;
    bool answerPings = false;
    int closeCode = -1;
    QString closeReason;

private:
    void parse()
    {
        for (;;) {
            if (m_buffer.size() < 2)
                return;
            const int opcode = m_buffer[0] & 0x0f;
            quint64 length = quint8(m_buffer[1]) & 0x7f;
            qsizetype header = 2;
            if (length == 126) {
                if (m_buffer.size() < 4)
                    return;
                length = qFromBigEndian<quint16>(m_buffer.constData() + 2);
                header = 4;
            } else if (length == 127) {
                if (m_buffer.size() < 10)
                    return;
                length = qFromBigEndian<quint64>(m_buffer.constData() + 2);
                header = 10;
            }
            if (quint64(m_buffer.size()) < header + length)
                return;
            const QByteArray payload = m_buffer.mid(header, qsizetype(length));
            m_buffer.remove(0, header + qsizetype(length));
            if (opcode == 0x1) {
                messages.append(QJsonDocument::fromJson(payload).object());
            } else if (opcode == 0x9) {
                ++pings;
                if (answerPings)
                    sendFrame(0xA, payload);
            } else if (opcode == 0x8) {
                closeCode = payload.size() >= 2 ? qFromBigEndian<quint16>(payload.constData()) : 0;
                closeReason = QString::fromUtf8(payload.mid(2));
            }
        }
    }

    quint16 m_port = 0;
    QByteArray m_buffer;
};

} // namespace testing
