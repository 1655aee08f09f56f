// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QObject>
#include <QStringList>
#include <QTcpSocket>
#include <QUrl>
#include <functional>

/*!
 * One protocol connection of the load tool: a minimal WebSocket client (RFC 6455) on a
 * QTcpSocket. It reads in large chunks and hands every message over as UTF-8 bytes, without
 * converting or parsing it, so that it costs less per message than the host it measures.
 * The first message must be the hello; later ones go to onFrame.
 *
 * It holds one file descriptor and no timer of its own, so that a process can keep ten
 * thousand of them; whoever needs a deadline keeps one timer for all its connections.
 */
class LoadConnection : public QObject
{
    Q_OBJECT
public:
    explicit LoadConnection(QObject *parent = nullptr);

    void open(const QUrl &url);
    void close();
    /*! Drops the connection at once, without a close frame and without emitting closed. */
    void abort();
    bool isTcpConnected() const { return m_tcpConnected; } //!< the TCP connection came up
    bool isUpgraded() const { return m_upgraded; }         //!< the host answered 101
    int clientId() const { return m_clientId; }
    /*! The extensions the host announced in its hello (`features`). */
    QStringList features() const { return m_features; }
    /*! Sends one text message (UTF-8 JSON). */
    void send(const QByteArray &utf8);
    void send(const QString &text) { send(text.toUtf8()); }
    void subscribe(const QString &topicName);

    /*! Called for every message after the hello; the view is valid during the call only. */
    std::function<void(QByteArrayView message)> onFrame;
    qint64 framesReceived = 0;
    qint64 bytesReceived = 0; //!< message payload bytes, hello included

signals:
    void hello(int clientId);
    void closed(const QString &why);

private:
    void onConnected();
    void onReadyRead();
    bool readHandshake();
    void readFrames();
    void sendFrame(quint8 opcode, QByteArrayView payload);
    void message(QByteArrayView payload);
    void fail(const QString &why);

    QTcpSocket m_socket;
    QUrl m_url;
    QByteArray m_key;
    QByteArray m_in;
    QByteArray m_fragments; // a message split over several frames
    bool m_tcpConnected = false;
    bool m_upgraded = false;
    bool m_closing = false;
    int m_clientId = 0;
    QStringList m_features;
    quint32 m_mask = 0;
};

/*! JSON text of a string (quotes and escapes). */
QString jsonString(const QString &s);
