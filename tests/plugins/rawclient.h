// SPDX-License-Identifier: MIT
#pragma once

// A bare WebSocket client speaking the wire protocol by hand, for tests that must see exactly
// what a client sends and receives.

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QWebSocket>
#include <functional>

namespace testing {

class RawClient : public QObject
{
public:
    explicit RawClient(QObject *parent = nullptr) : QObject(parent)
    {
        connect(&socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
            messages.append(QJsonDocument::fromJson(text.toUtf8()).object());
        });
    }

    /*! Connects and waits for the hello; returns the client id (0 on failure). */
    int open(const QUrl &url)
    {
        socket.open(url);
        const QJsonObject hello = waitFor(QStringLiteral("hello"));
        return hello.value(QStringLiteral("args")).toObject().value(QStringLiteral("id")).toInt();
    }

    void send(const QString &type, const QJsonObject &args)
    {
        const QJsonObject message{{QStringLiteral("type"), type}, {QStringLiteral("args"), args}};
        socket.sendTextMessage(
            QString::fromUtf8(QJsonDocument(message).toJson(QJsonDocument::Compact)));
    }

    /*! Subscribes and returns the init message's value. */
    QJsonValue subscribe(const QString &topic)
    {
        send(QStringLiteral("subscribe"), {{QStringLiteral("topic_name"), topic}});
        const QJsonObject init = waitFor(QStringLiteral("init"), [&](const QJsonObject &args) {
            return args.value(QStringLiteral("topic_name")).toString() == topic;
        });
        return init.value(QStringLiteral("args")).toObject().value(QStringLiteral("value"));
    }

    /*! Sends an action and returns the update or reject answering it (its args). */
    QJsonObject act(const QString &actionId, const QJsonArray &commands)
    {
        send(QStringLiteral("action"),
             {{QStringLiteral("commands"), commands}, {QStringLiteral("action_id"), actionId}});
        const QJsonObject answer = waitFor({}, [&](const QJsonObject &args) {
            return args.value(QStringLiteral("action_id")).toString() == actionId;
        });
        QJsonObject out = answer.value(QStringLiteral("args")).toObject();
        out.insert(QStringLiteral("type"), answer.value(QStringLiteral("type")));
        return out;
    }

    /*! Calls a host service and returns the response's args. */
    QJsonObject request(const QString &service, const QJsonObject &args)
    {
        const QString id = QStringLiteral("r%1").arg(++m_requests);
        send(QStringLiteral("request"), {{QStringLiteral("service_name"), service},
                                         {QStringLiteral("args"), args},
                                         {QStringLiteral("request_id"), id}});
        return waitFor(QStringLiteral("response"),
                       [&](const QJsonObject &a) {
                           return a.value(QStringLiteral("request_id")).toString() == id;
                       })
            .value(QStringLiteral("args"))
            .toObject();
    }

    /*! Waits for (and removes) the first message of \a type (any when empty) whose args match
     *  \a match. Returns an empty object after a timeout. */
    QJsonObject waitFor(const QString &type,
                        const std::function<bool(const QJsonObject &)> &match = {},
                        int timeoutMs = 10000)
    {
        QJsonObject found;
        (void)QTest::qWaitFor(
            [&] {
                for (qsizetype i = 0; i < messages.size(); ++i) {
                    const QJsonObject m = messages.at(i);
                    if (!type.isEmpty() && m.value(QStringLiteral("type")).toString() != type)
                        continue;
                    if (match && !match(m.value(QStringLiteral("args")).toObject()))
                        continue;
                    found = m;
                    messages.removeAt(i);
                    return true;
                }
                return false;
            },
            timeoutMs);
        return found;
    }

    QWebSocket socket;
    QList<QJsonObject> messages;

private:
    int m_requests = 0;
};

inline QJsonObject setCommand(const QString &id, const QString &topic, const QString &topicType,
                              const QJsonValue &value)
{
    return {{QStringLiteral("id"), id},
            {QStringLiteral("topic_name"), topic},
            {QStringLiteral("topic_type"), topicType},
            {QStringLiteral("type"), QStringLiteral("set")},
            {QStringLiteral("value"), value}};
}

inline QJsonObject emitCommand(const QString &id, const QString &topic, const QJsonObject &args)
{
    return {{QStringLiteral("id"), id},
            {QStringLiteral("topic_name"), topic},
            {QStringLiteral("topic_type"), QStringLiteral("event")},
            {QStringLiteral("type"), QStringLiteral("emit")},
            {QStringLiteral("args"), args}};
}

} // namespace testing
