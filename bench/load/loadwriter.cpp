// SPDX-License-Identifier: MIT
#include "loadwriter.h"

#include "framescan.h"
#include "loadconnection.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace {
const QString topicList = QStringLiteral("_topicsync/topic_list");
} // namespace

LoadWriter::LoadWriter(const LoadOptions &options, QObject *parent)
    : QObject(parent), m_connection(new LoadConnection(this)), m_wantedTopic(options.topic),
      m_type(options.type), m_attr(options.attr)
{
    connect(m_connection, &LoadConnection::hello, this, &LoadWriter::onHello);
    m_connection->onFrame = [this](QByteArrayView text) {
        if (!m_ready)
            onSetupFrame(text);
        else if (onFrame)
            onFrame(text);
    };
    connect(m_connection, &LoadConnection::closed, this, [this](const QString &why) {
        emit failed(QStringLiteral("a writer's connection ended: %1").arg(why));
    });
}

void LoadWriter::open(const QUrl &url)
{
    m_connection->open(url);
}

void LoadWriter::close()
{
    m_connection->close();
}

void LoadWriter::onHello()
{
    m_prefix = QString::number(m_connection->clientId()) + QLatin1Char('_');
    m_prefixUtf8 = m_prefix.toUtf8();
    m_connection->subscribe(topicList);
}

void LoadWriter::onSetupFrame(QByteArrayView text)
{
    const QJsonObject m = QJsonDocument::fromJson(text.toByteArray()).object();
    const QString type = m.value(QLatin1String("type")).toString();
    const QJsonObject args = m.value(QLatin1String("args")).toObject();
    if (type == QLatin1String("reject")) {
        emit failed(QStringLiteral("the host refused to prepare: %1")
                        .arg(args.value(QLatin1String("reason")).toString()));
        return;
    }
    const QString objectId = m_prefix + QStringLiteral("1");
    const QString attrTopic = QStringLiteral("a/%1/%2").arg(objectId, m_attr);
    if (type == QLatin1String("init")) {
        const QString name = args.value(QLatin1String("topic_name")).toString();
        if (name == topicList) {
            const QJsonObject list = args.value(QLatin1String("value")).toObject();
            if (!m_wantedTopic.isEmpty()) {
                if (!list.contains(m_wantedTopic)) {
                    emit failed(QStringLiteral("the host has no topic %1").arg(m_wantedTopic));
                    return;
                }
                found(m_wantedTopic,
                      list.value(m_wantedTopic).toObject().value(QLatin1String("type")).toString());
                return;
            }
            // Create an object; its attribute appears in the topic list.
            const QJsonObject create{{QStringLiteral("type"), m_type},
                                     {QStringLiteral("parent_id"), QStringLiteral("root")},
                                     {QStringLiteral("id"), objectId}};
            const QJsonObject command{
                {QStringLiteral("topic_name"), QStringLiteral("create_object")},
                {QStringLiteral("topic_type"), QStringLiteral("event")},
                {QStringLiteral("type"), QStringLiteral("emit")},
                {QStringLiteral("id"), m_prefix + QStringLiteral("0c")},
                {QStringLiteral("args"), create}};
            const QJsonObject action{
                {QStringLiteral("type"), QStringLiteral("action")},
                {QStringLiteral("args"),
                 QJsonObject{{QStringLiteral("action_id"), m_prefix + QStringLiteral("0")},
                             {QStringLiteral("commands"), QJsonArray{command}}}}};
            m_connection->send(QJsonDocument(action).toJson(QJsonDocument::Compact));
        } else if (!m_topic.isEmpty() && name == m_topic) {
            m_ready = true;
            emit ready();
        }
        return;
    }
    if (type == QLatin1String("update") && m_wantedTopic.isEmpty() && m_topic.isEmpty()) {
        for (const QJsonValue &v : args.value(QLatin1String("changes")).toArray()) {
            const QJsonObject c = v.toObject();
            if (c.value(QLatin1String("topic_name")).toString() == topicList &&
                c.value(QLatin1String("key")).toString() == attrTopic) {
                found(attrTopic, c.value(QLatin1String("value"))
                                     .toObject()
                                     .value(QLatin1String("type"))
                                     .toString());
                return;
            }
        }
    }
}

void LoadWriter::found(const QString &topic, const QString &type)
{
    static const QStringList writable = {QStringLiteral("int"), QStringLiteral("float"),
                                         QStringLiteral("generic"), QStringLiteral("string")};
    if (!writable.contains(type)) {
        emit failed(QStringLiteral("topic %1 is a %2 topic; the load tool writes int, float, "
                                   "generic or string topics")
                        .arg(topic, type));
        return;
    }
    m_topic = topic;
    m_topicType = type;
    m_connection->subscribe(topic); // its own echoes
}

void LoadWriter::sendSet(qint64 stamp)
{
    const QString id = m_prefix + QString::number(++m_counter);
    const QString value = m_topicType == QLatin1String("string")
                              ? QLatin1Char('"') + QString::number(stamp) + QLatin1Char('"')
                              : QString::number(stamp);
    m_connection->send(
        QStringLiteral("{\"type\":\"action\",\"args\":{\"action_id\":\"%1\",\"commands\":"
                       "[{\"topic_name\":%2,\"topic_type\":\"%3\",\"type\":\"set\","
                       "\"id\":\"%1c\",\"value\":%4}]}}")
            .arg(id, jsonString(m_topic), m_topicType, value));
}

bool LoadWriter::isOwnUpdate(QByteArrayView text) const
{
    return frameString(text, "action_id").startsWith(m_prefixUtf8);
}
