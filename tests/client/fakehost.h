// SPDX-License-Identifier: MIT
#pragma once

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QWebSocket>
#include <QWebSocketServer>

/*!
 * A scripted host for client unit tests: accepts one WebSocket on 127.0.0.1, records every
 * message the client sends and sends whatever the test tells it to.
 */
class FakeHost : public QObject
{
    Q_OBJECT
public:
    FakeHost() : m_server(QStringLiteral("fake"), QWebSocketServer::NonSecureMode)
    {
        m_server.listen(QHostAddress::LocalHost, 0);
        connect(&m_server, &QWebSocketServer::newConnection, this, [this] {
            m_peer = m_server.nextPendingConnection();
            m_peer->setParent(this); // the server hands it over: it is ours to delete
            connect(m_peer, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
                received.append(QJsonDocument::fromJson(text.toUtf8()).object());
            });
            emit peerConnected();
        });
    }

    QUrl url() const
    {
        return QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(m_server.serverPort()));
    }
    QWebSocket *peer() const { return m_peer; }

    void send(const QString &type, const QJsonObject &args)
    {
        QJsonObject m{{QStringLiteral("type"), type}, {QStringLiteral("args"), args}};
        m_peer->sendTextMessage(QString::fromUtf8(QJsonDocument(m).toJson(QJsonDocument::Compact)));
    }
    void sendRaw(const QString &text) { m_peer->sendTextMessage(text); }

    /*! Messages of \a type received so far (their args). */
    QList<QJsonObject> args(const QString &type) const
    {
        QList<QJsonObject> out;
        for (const QJsonObject &m : received)
            if (m.value(QStringLiteral("type")).toString() == type)
                out.append(m.value(QStringLiteral("args")).toObject());
        return out;
    }
    /*! Topic names the client subscribed to, in order. */
    QStringList subscriptions() const
    {
        QStringList names;
        for (const QJsonObject &a : args(QStringLiteral("subscribe")))
            names.append(a.value(QStringLiteral("topic_name")).toString());
        return names;
    }

    QList<QJsonObject> received;

signals:
    void peerConnected();

private:
    QWebSocketServer m_server;
    QWebSocket *m_peer = nullptr;
};
