// SPDX-License-Identifier: MIT
#pragma once

// Helpers shared by the protocol tests: an in-memory peer around a Session, a small object
// type, and a snapshot of the engine's whole state.

#include <objectsync/objectsync.h>

#include "protocol/hub.h"
#include "protocol/session.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <memory>

namespace testsupport {

using namespace objectsync;
using protocol::Hub;
using protocol::Session;

inline QString str(const char *s)
{
    return QString::fromUtf8(s);
}

/*! A note: some text and a counter. */
class Note : public SObject
{
    OBJECTSYNC_OBJECT(Note, "note")
public:
    StringTopic *text = nullptr;
    IntTopic *count = nullptr;

protected:
    void preBuild(const QJsonObject &) override
    {
        text = addAttribute<StringTopic>(QStringLiteral("text"), QString());
        count = addAttribute<IntTopic>(QStringLiteral("count"), 0);
    }
};

inline QJsonObject message(const QString &type, const QJsonObject &args)
{
    return QJsonObject{{QStringLiteral("type"), type}, {QStringLiteral("args"), args}};
}

inline QByteArray toText(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

/*! One client talking to the host through a Session, with no sockets. */
class Peer
{
public:
    explicit Peer(Hub *hub, const protocol::SessionLimits &limits = {})
        : session(std::make_unique<Session>(hub, hub->allocateClientId(), limits))
    {}

    int id() const { return session->clientId(); }

    void sendText(const QByteArray &text) { session->receiveText(text); }
    void send(const QString &type, const QJsonObject &args)
    {
        sendText(toText(message(type, args)));
    }
    void subscribe(const QString &topic) { send(str("subscribe"), {{str("topic_name"), topic}}); }
    void action(const QString &actionId, const QJsonArray &commands)
    {
        send(str("action"), {{str("commands"), commands}, {str("action_id"), actionId}});
    }
    void request(const QString &service, const QJsonObject &args, const QString &requestId)
    {
        send(str("request"),
             {{str("service_name"), service}, {str("args"), args}, {str("request_id"), requestId}});
    }

    /*! Everything the host queued for this peer, parsed; the queue is emptied. */
    QList<QJsonObject> take()
    {
        QList<QJsonObject> out;
        for (const QByteArray &frame : session->takeOutgoing()) {
            QJsonParseError error;
            const QJsonDocument doc = QJsonDocument::fromJson(frame, &error);
            if (error.error != QJsonParseError::NoError || !doc.isObject())
                qFatal("the host sent something that is not a JSON object: %s", frame.constData());
            out.append(doc.object());
        }
        return out;
    }

    /*! The only message queued; fails the test (returns {}) if there is not exactly one. */
    QJsonObject takeOne()
    {
        const QList<QJsonObject> all = take();
        if (all.size() != 1) {
            qWarning() << "expected one message, got" << all;
            return {};
        }
        return all.first();
    }

    std::unique_ptr<Session> session;
};

inline QString typeOf(const QJsonObject &m)
{
    return m.value(QStringLiteral("type")).toString();
}

inline QJsonObject argsOf(const QJsonObject &m)
{
    return m.value(QStringLiteral("args")).toObject();
}

/*! Every topic's name, type and value: equal snapshots mean nothing changed. */
inline QJsonObject snapshot(const Engine &engine)
{
    QJsonObject all;
    QStringList names = engine.topicNames();
    names.sort();
    for (const QString &name : names) {
        const Topic *t = engine.topic(name);
        QJsonObject entry{{str("type"), topicTypeName(t->type())}, {str("value"), t->value()}};
        if (t->type() == TopicType::String)
            entry.insert(str("version"), static_cast<const StringTopic *>(t)->version());
        all.insert(name, entry);
    }
    return all;
}

inline QJsonObject change(const QString &topic, const QString &topicType, const QString &type,
                          const QString &id, const QJsonObject &fields = {})
{
    QJsonObject c = fields;
    c.insert(str("topic_name"), topic);
    c.insert(str("topic_type"), topicType);
    c.insert(str("type"), type);
    c.insert(str("id"), id);
    return c;
}

} // namespace testsupport
