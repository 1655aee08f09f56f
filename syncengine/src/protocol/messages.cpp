// SPDX-License-Identifier: MIT
#include "messages.h"

#include "jsonwriter.h"
#include "wire.h"

#include <objectsync/topic.h>

namespace objectsync::protocol::messages {

namespace {
/*! Writes `{"type":<type>,"args":{` and leaves the args object open. */
void open(JsonWriter &w, QLatin1String type)
{
    w.beginObject();
    w.key(wire::type);
    w.string(QString(type));
    w.key(wire::args);
    w.beginObject();
}

void close(JsonWriter &w)
{
    w.endObject();
    w.endObject();
}
} // namespace

QByteArray hello(int clientId, bool batchedJoin)
{
    QByteArray out;
    JsonWriter w(&out);
    open(w, wire::hello);
    w.key(wire::id);
    w.integer(clientId);
    if (batchedJoin) {
        w.key(wire::features);
        w.beginArray();
        w.string(QString(wire::batchedJoinFeature));
        w.endArray();
    }
    close(w);
    return out;
}

QByteArray init(const Topic &topic)
{
    QByteArray out;
    JsonWriter w(&out);
    open(w, wire::init);
    w.key(wire::topicName);
    w.string(topic.name());
    w.key(wire::value);
    w.value(topic.value());
    if (topic.type() == TopicType::String) {
        w.key(wire::id);
        w.string(static_cast<const StringTopic &>(topic).version());
    }
    close(w);
    return out;
}

QByteArray reject(QStringView reason, QStringView actionId)
{
    QByteArray out;
    JsonWriter w(&out);
    open(w, wire::reject);
    w.key(wire::reason);
    w.string(reason);
    w.key(wire::actionId);
    w.string(actionId);
    close(w);
    return out;
}

QByteArray response(const QJsonValue &requestId, const QJsonValue &response, QStringView error)
{
    QByteArray out;
    JsonWriter w(&out);
    open(w, wire::response);
    w.key(wire::response);
    w.value(response);
    w.key(wire::requestId);
    w.value(requestId);
    if (!error.isEmpty()) {
        w.key(wire::error);
        w.string(error);
    }
    close(w);
    return out;
}

QByteArray request(QStringView serviceName, const QJsonObject &args, QStringView requestId)
{
    QByteArray out;
    JsonWriter w(&out);
    open(w, wire::request);
    w.key(wire::serviceName);
    w.string(serviceName);
    w.key(wire::args);
    w.value(args);
    w.key(wire::requestId);
    w.string(requestId);
    close(w);
    return out;
}

QByteArray error(QStringView reason, QStringView messageType)
{
    QByteArray out;
    JsonWriter w(&out);
    open(w, wire::error);
    w.key(wire::reason);
    w.string(reason);
    w.key(wire::messageType);
    w.string(messageType);
    close(w);
    return out;
}

QByteArray update(const QList<QByteArray> &pieces, const qint32 *indices, qsizetype count,
                  QStringView actionId)
{
    static constexpr QByteArrayView head = R"({"type":"update","args":{"changes":[)";
    static constexpr QByteArrayView middle = R"(],"action_id":)";
    qsizetype size = head.size() + middle.size() + actionId.size() * 3 + 4 + count;
    for (qsizetype i = 0; i < count; ++i)
        size += pieces.at(indices[i]).size();
    QByteArray out;
    out.reserve(size);
    out.append(head);
    for (qsizetype i = 0; i < count; ++i) {
        if (i)
            out.append(',');
        out.append(pieces.at(indices[i]));
    }
    out.append(middle);
    JsonWriter::appendString(&out, actionId);
    out.append("}}", 2);
    return out;
}

} // namespace objectsync::protocol::messages
