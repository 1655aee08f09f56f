// SPDX-License-Identifier: MIT
#pragma once

// Many WebSocket clients at once for tests of the host's door, each a QTcpSocket driven by
// signals (no waiting per client): it sends the opening handshake when connected, subscribes
// to one topic on hello and keeps every message it receives.

#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QTcpSocket>
#include <QtEndian>

namespace testing {

class SwarmClient : public QObject
{
public:
    enum class State { Connecting, Upgrading, Open, Failed };

    SwarmClient(quint16 port, const QString &topic, QObject *parent = nullptr)
        : QObject(parent), m_topic(topic)
    {
        QObject::connect(&m_socket, &QTcpSocket::connected, this, [this] {
            m_state = State::Upgrading;
            m_socket.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                           "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                           "Sec-WebSocket-Version: 13\r\n\r\n");
        });
        QObject::connect(&m_socket, &QTcpSocket::readyRead, this, &SwarmClient::onReadyRead);
        QObject::connect(&m_socket, &QTcpSocket::disconnected, this,
                         [this] { fail(QStringLiteral("disconnected")); });
        QObject::connect(&m_socket, &QTcpSocket::errorOccurred, this,
                         [this] { fail(m_socket.errorString()); });
        m_socket.connectToHost(QHostAddress::LocalHost, port);
    }

    State state() const { return m_state; }
    QString failure() const { return m_failure; }
    /*! Hello and the init of the topic arrived. */
    bool isServed() const { return m_served; }
    /*! The messages after the init, parsed. */
    const QList<QJsonObject> &updates() const { return m_updates; }

private:
    void fail(const QString &why)
    {
        if (m_state == State::Failed)
            return;
        m_state = State::Failed;
        m_failure = why;
    }

    void onReadyRead()
    {
        m_in += m_socket.readAll();
        if (m_state == State::Upgrading) {
            const qsizetype end = m_in.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            if (!m_in.startsWith("HTTP/1.1 101")) {
                fail(QString::fromLatin1(m_in.left(m_in.indexOf('\r'))));
                return;
            }
            m_in.remove(0, end + 4);
            m_state = State::Open;
        }
        while (m_state == State::Open && readFrame()) {
        }
    }

    /*! Takes one complete frame from m_in; false when none is complete. */
    bool readFrame()
    {
        if (m_in.size() < 2)
            return false;
        const auto *b = reinterpret_cast<const uchar *>(m_in.constData());
        const int opcode = b[0] & 0x0f;
        qint64 length = b[1] & 0x7f;
        qsizetype at = 2;
        if (length == 126) {
            if (m_in.size() < 4)
                return false;
            length = qFromBigEndian<quint16>(b + 2);
            at = 4;
        } else if (length == 127) {
            if (m_in.size() < 10)
                return false;
            length = qint64(qFromBigEndian<quint64>(b + 2));
            at = 10;
        }
        if (m_in.size() < at + length)
            return false;
        const QByteArray payload = m_in.mid(at, length);
        m_in.remove(0, at + length);
        if (opcode == 1)
            onMessage(QJsonDocument::fromJson(payload).object());
        else if (opcode == 8)
            fail(QStringLiteral("closed by the host"));
        return true;
    }

    void onMessage(const QJsonObject &message)
    {
        const QString type = message.value(QLatin1String("type")).toString();
        if (type == QLatin1String("hello")) {
            send(QJsonObject{
                {QStringLiteral("type"), QStringLiteral("subscribe")},
                {QStringLiteral("args"), QJsonObject{{QStringLiteral("topic_name"), m_topic}}}});
        } else if (type == QLatin1String("init")) {
            m_served = true;
        } else if (type == QLatin1String("update") && m_served) {
            m_updates.append(message);
        }
    }

    void send(const QJsonObject &message)
    {
        const QByteArray payload = QJsonDocument(message).toJson(QJsonDocument::Compact);
        QByteArray frame;
        frame.append(char(0x81));
        if (payload.size() < 126) {
            frame.append(char(0x80 | payload.size()));
        } else {
            frame.append(char(0x80 | 126));
            frame.append(char(payload.size() >> 8));
            frame.append(char(payload.size() & 0xff));
        }
        const char mask[4] = {0x11, 0x22, 0x33, 0x44};
        frame.append(mask, 4);
        for (qsizetype i = 0; i < payload.size(); ++i)
            frame.append(char(payload.at(i) ^ mask[i % 4]));
        m_socket.write(frame);
    }

    QTcpSocket m_socket;
    QString m_topic;
    QByteArray m_in;
    QList<QJsonObject> m_updates;
    QString m_failure;
    State m_state = State::Connecting;
    bool m_served = false;
};

} // namespace testing
