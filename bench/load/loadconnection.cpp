// SPDX-License-Identifier: MIT
#include "loadconnection.h"

#include "framescan.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <cstring>

namespace {
constexpr QByteArrayView acceptGuid("258EAFA5-E914-47DA-95CA-C5AB0DC85B11");
constexpr qsizetype maxResponseHead = 16 * 1024; // a longer HTTP head is not a valid answer
enum : quint8 {
    opContinuation = 0x0,
    opText = 0x1,
    opBinary = 0x2,
    opClose = 0x8,
    opPing = 0x9,
    opPong = 0xA
};
} // namespace

QString jsonString(const QString &s)
{
    const QByteArray a = QJsonDocument(QJsonArray{s}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(a.mid(1, a.size() - 2));
}

LoadConnection::LoadConnection(QObject *parent) : QObject(parent)
{
    m_mask = QRandomGenerator::global()->generate() | 1u;
    connect(&m_socket, &QTcpSocket::connected, this, &LoadConnection::onConnected);
    connect(&m_socket, &QTcpSocket::readyRead, this, &LoadConnection::onReadyRead);
    connect(&m_socket, &QTcpSocket::disconnected, this, [this] {
        if (!m_closing)
            fail(QStringLiteral("the host closed the connection"));
    });
    connect(&m_socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError) {
        if (!m_closing)
            fail(m_socket.errorString());
    });
}

void LoadConnection::open(const QUrl &url)
{
    m_url = url;
    m_socket.connectToHost(url.host(), quint16(url.port(80)));
}

void LoadConnection::close()
{
    if (m_closing)
        return;
    m_closing = true;
    if (m_upgraded && m_socket.state() == QAbstractSocket::ConnectedState) {
        const char code[2] = {char(0x03), char(0xE8)}; // 1000, normal closure
        sendFrame(opClose, QByteArrayView(code, 2));
        m_socket.flush();
    }
    m_socket.disconnectFromHost();
}

void LoadConnection::abort()
{
    m_closing = true;
    m_socket.abort();
}

void LoadConnection::fail(const QString &why)
{
    if (m_closing)
        return;
    m_closing = true;
    m_socket.abort();
    emit closed(why);
}

void LoadConnection::onConnected()
{
    m_tcpConnected = true;
    m_socket.setSocketOption(QAbstractSocket::LowDelayOption, 1);
    QByteArray nonce(16, Qt::Uninitialized);
    QRandomGenerator::global()->fillRange(reinterpret_cast<quint32 *>(nonce.data()), 4);
    m_key = nonce.toBase64();
    const QByteArray path = m_url.path().isEmpty() ? QByteArray("/") : m_url.path().toUtf8();
    QByteArray request =
        "GET " + path + " HTTP/1.1\r\nHost: " + m_url.host().toUtf8() + ':' +
        QByteArray::number(m_url.port(80)) +
        "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + m_key +
        "\r\nSec-WebSocket-Version: 13\r\n\r\n";
    m_socket.write(request);
}

void LoadConnection::onReadyRead()
{
    m_in += m_socket.readAll();
    if (!m_upgraded && !readHandshake())
        return;
    readFrames();
}

bool LoadConnection::readHandshake()
{
    const qsizetype end = m_in.indexOf("\r\n\r\n");
    if (end < 0) {
        if (m_in.size() > maxResponseHead)
            fail(QStringLiteral("the host sent no valid HTTP response"));
        return false;
    }
    const QByteArray head = m_in.left(end);
    m_in.remove(0, end + 4);
    const QByteArray accept =
        QCryptographicHash::hash(m_key + acceptGuid.toByteArray(), QCryptographicHash::Sha1)
            .toBase64();
    if (!head.startsWith("HTTP/1.1 101") || !head.contains(accept)) {
        const qsizetype eol = head.indexOf('\r');
        const QString first = QString::fromUtf8(eol < 0 ? head : head.left(eol));
        fail(head.startsWith("HTTP/")
                 ? QStringLiteral("the host refused the WebSocket upgrade: %1").arg(first)
                 : QStringLiteral("the host sent no valid HTTP response: %1").arg(first));
        return false;
    }
    m_upgraded = true;
    return true;
}

void LoadConnection::readFrames()
{
    qsizetype at = 0;
    const auto *d = reinterpret_cast<const uchar *>(m_in.constData());
    const qsizetype size = m_in.size();
    while (!m_closing) {
        if (size - at < 2)
            break;
        const bool fin = d[at] & 0x80;
        const quint8 opcode = d[at] & 0x0F;
        const bool masked = d[at + 1] & 0x80;
        quint64 length = d[at + 1] & 0x7F;
        qsizetype header = 2;
        if (length == 126) {
            if (size - at < 4)
                break;
            length = (quint64(d[at + 2]) << 8) | d[at + 3];
            header = 4;
        } else if (length == 127) {
            if (size - at < 10)
                break;
            length = 0;
            for (int i = 0; i < 8; ++i)
                length = (length << 8) | d[at + 2 + i];
            header = 10;
        }
        if (masked)
            header += 4; // a server must not mask, but tolerate it
        if (quint64(size - at - header) < length)
            break;
        QByteArrayView payload(m_in.constData() + at + header, qsizetype(length));
        QByteArray unmasked;
        if (masked) {
            unmasked = payload.toByteArray();
            const uchar *key = d + at + header - 4;
            for (qsizetype i = 0; i < unmasked.size(); ++i)
                unmasked[i] = char(uchar(unmasked[i]) ^ key[i % 4]);
            payload = unmasked;
        }
        at += header + qsizetype(length);
        switch (opcode) {
        case opText:
        case opBinary:
        case opContinuation:
            if (fin && m_fragments.isEmpty() && opcode != opContinuation) {
                message(payload);
            } else {
                m_fragments += payload;
                if (fin) {
                    const QByteArray whole = std::exchange(m_fragments, {});
                    message(whole);
                }
            }
            break;
        case opPing:
            sendFrame(opPong, payload);
            break;
        case opClose:
            fail(QStringLiteral("the host closed the connection (%1)")
                     .arg(payload.size() >= 2 ? (uchar(payload[0]) << 8) | uchar(payload[1]) : 0));
            return;
        default:
            break;
        }
    }
    m_in.remove(0, at);
}

void LoadConnection::message(QByteArrayView payload)
{
    ++framesReceived;
    bytesReceived += payload.size();
    if (m_clientId > 0) {
        if (onFrame)
            onFrame(payload);
        return;
    }
    if (frameType(payload) == "hello") {
        const QJsonObject args = QJsonDocument::fromJson(payload.toByteArray())
                                     .object()
                                     .value(QLatin1String("args"))
                                     .toObject();
        m_clientId = args.value(QLatin1String("id")).toInt();
        m_features.clear();
        for (const QJsonValue &f : args.value(QLatin1String("features")).toArray())
            m_features.append(f.toString());
        emit hello(m_clientId);
    }
}

void LoadConnection::sendFrame(quint8 opcode, QByteArrayView payload)
{
    QByteArray frame;
    const qsizetype n = payload.size();
    frame.reserve(n + 14);
    frame.append(char(0x80 | opcode));
    if (n < 126) {
        frame.append(char(0x80 | n));
    } else if (n < 65536) {
        frame.append(char(0x80 | 126));
        frame.append(char(n >> 8));
        frame.append(char(n & 0xFF));
    } else {
        frame.append(char(0x80 | 127));
        for (int i = 7; i >= 0; --i)
            frame.append(char((quint64(n) >> (8 * i)) & 0xFF));
    }
    uchar key[4];
    std::memcpy(key, &m_mask, 4);
    frame.append(reinterpret_cast<const char *>(key), 4);
    const qsizetype start = frame.size();
    frame.append(payload.data(), n);
    char *p = frame.data() + start;
    for (qsizetype i = 0; i < n; ++i)
        p[i] = char(uchar(p[i]) ^ key[i % 4]);
    m_socket.write(frame);
}

void LoadConnection::send(const QByteArray &utf8)
{
    if (!m_closing)
        sendFrame(opText, utf8);
}

void LoadConnection::subscribe(const QString &topicName)
{
    send(QStringLiteral("{\"type\":\"subscribe\",\"args\":{\"topic_name\":%1}}")
             .arg(jsonString(topicName)));
}
