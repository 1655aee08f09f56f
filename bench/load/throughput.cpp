// SPDX-License-Identifier: MIT
#include "throughput.h"

#include "framescan.h"
#include "loadconnection.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace {
const QString topicList = QStringLiteral("_topicsync/topic_list");
constexpr int maxInFlightAtRate = 100000;

QJsonObject parse(QByteArrayView text)
{
    return QJsonDocument::fromJson(text.toByteArray()).object();
}
} // namespace

ThroughputRun::ThroughputRun(const LoadOptions &options, QObject *parent)
    : QObject(parent), m_options(options)
{
    m_clock.start();
    m_ticker.setTimerType(Qt::PreciseTimer);
    m_ticker.setInterval(1);
    connect(&m_ticker, &QTimer::timeout, this, &ThroughputRun::onTick);
    m_setupTimer.setSingleShot(true);
    connect(&m_setupTimer, &QTimer::timeout, this, [this] {
        fail(QStringLiteral("setup did not finish within %1 s").arg(m_options.setupTimeoutS));
    });
}

void ThroughputRun::start()
{
    m_setupTimer.start(m_options.setupTimeoutS * 1000);
    m_writers.resize(m_options.writers);
    for (Writer &w : m_writers) {
        w.connection = new LoadConnection(this);
        Writer *wp = &w;
        connect(w.connection, &LoadConnection::hello, this, [this, wp] { onWriterHello(*wp); });
        w.connection->onFrame = [this, wp](QByteArrayView text) {
            if (wp->ready)
                onWriterFrame(*wp, text);
            else
                onWriterSetupFrame(*wp, text);
        };
        connect(w.connection, &LoadConnection::closed, this, [this](const QString &why) {
            fail(QStringLiteral("a writer's connection ended: %1").arg(why));
        });
        w.connection->open(m_options.url);
    }
    for (int i = 0; i < m_options.subscribers; ++i) {
        auto *c = new LoadConnection(this);
        connect(c, &LoadConnection::hello, this, [this] {
            ++m_subscribersReady;
            subscribeAll();
        });
        c->onFrame = [this](QByteArrayView text) { onSubscriberFrame(text); };
        connect(c, &LoadConnection::closed, this, [this](const QString &why) {
            fail(QStringLiteral("a subscriber's connection ended: %1").arg(why));
        });
        c->open(m_options.url);
        m_subscribers.append(c);
    }
}

void ThroughputRun::fail(const QString &why)
{
    if (m_done)
        return;
    if (m_result.error.isEmpty())
        m_result.error = why;
    stop();
}

// ---- preparing -------------------------------------------------------------------------

void ThroughputRun::onWriterHello(Writer &w)
{
    w.prefix = QString::number(w.connection->clientId()) + QLatin1Char('_');
    w.prefixUtf8 = w.prefix.toUtf8();
    w.connection->subscribe(topicList);
}

void ThroughputRun::onWriterSetupFrame(Writer &w, QByteArrayView text)
{
    const QJsonObject m = parse(text);
    const QString type = m.value(QLatin1String("type")).toString();
    const QJsonObject args = m.value(QLatin1String("args")).toObject();
    if (type == QLatin1String("reject")) {
        fail(QStringLiteral("the host refused to prepare: %1")
                 .arg(args.value(QLatin1String("reason")).toString()));
        return;
    }
    const QString objectId = w.prefix + QStringLiteral("1");
    const QString attrTopic = QStringLiteral("a/%1/%2").arg(objectId, m_options.attr);
    if (type == QLatin1String("init")) {
        const QString name = args.value(QLatin1String("topic_name")).toString();
        if (name == topicList) {
            const QJsonObject list = args.value(QLatin1String("value")).toObject();
            if (!m_options.topic.isEmpty()) {
                if (!list.contains(m_options.topic)) {
                    fail(QStringLiteral("the host has no topic %1").arg(m_options.topic));
                    return;
                }
                writerFound(
                    w, m_options.topic,
                    list.value(m_options.topic).toObject().value(QLatin1String("type")).toString());
                return;
            }
            // Create an object; its attribute appears in the topic list.
            const QJsonObject create{{QStringLiteral("type"), m_options.type},
                                     {QStringLiteral("parent_id"), QStringLiteral("root")},
                                     {QStringLiteral("id"), objectId}};
            const QJsonObject command{
                {QStringLiteral("topic_name"), QStringLiteral("create_object")},
                {QStringLiteral("topic_type"), QStringLiteral("event")},
                {QStringLiteral("type"), QStringLiteral("emit")},
                {QStringLiteral("id"), w.prefix + QStringLiteral("0c")},
                {QStringLiteral("args"), create}};
            const QJsonObject action{
                {QStringLiteral("type"), QStringLiteral("action")},
                {QStringLiteral("args"),
                 QJsonObject{{QStringLiteral("action_id"), w.prefix + QStringLiteral("0")},
                             {QStringLiteral("commands"), QJsonArray{command}}}}};
            w.connection->send(
                QString::fromUtf8(QJsonDocument(action).toJson(QJsonDocument::Compact)));
        } else if (name == w.topic) {
            w.ready = true;
            bool all = true;
            for (const Writer &x : std::as_const(m_writers))
                all = all && x.ready;
            if (all)
                subscribeAll();
        }
        return;
    }
    if (type == QLatin1String("update") && m_options.topic.isEmpty() && w.topic.isEmpty()) {
        for (const QJsonValue &v : args.value(QLatin1String("changes")).toArray()) {
            const QJsonObject c = v.toObject();
            if (c.value(QLatin1String("topic_name")).toString() == topicList &&
                c.value(QLatin1String("key")).toString() == attrTopic) {
                writerFound(w, attrTopic,
                            c.value(QLatin1String("value"))
                                .toObject()
                                .value(QLatin1String("type"))
                                .toString());
                return;
            }
        }
    }
}

void ThroughputRun::writerFound(Writer &w, const QString &topic, const QString &type)
{
    static const QStringList writable = {QStringLiteral("int"), QStringLiteral("float"),
                                         QStringLiteral("generic"), QStringLiteral("string")};
    if (!writable.contains(type)) {
        fail(QStringLiteral("topic %1 is a %2 topic; the load tool writes int, float, generic or "
                            "string topics")
                 .arg(topic, type));
        return;
    }
    w.topic = topic;
    w.topicType = type;
    w.connection->subscribe(topic); // its own echoes
}

void ThroughputRun::subscribeAll()
{
    for (const Writer &w : std::as_const(m_writers))
        if (!w.ready)
            return;
    if (m_subscribersReady < m_subscribers.size() || !m_topics.isEmpty())
        return;
    for (const Writer &w : std::as_const(m_writers))
        if (!m_topics.contains(w.topic))
            m_topics.append(w.topic);
    m_initsWanted = int(m_topics.size() * m_subscribers.size());
    if (m_initsWanted == 0) {
        begin();
        return;
    }
    for (LoadConnection *c : std::as_const(m_subscribers))
        for (const QString &t : std::as_const(m_topics))
            c->subscribe(t);
}

// ---- running ---------------------------------------------------------------------------

void ThroughputRun::begin()
{
    m_setupTimer.stop();
    m_started = nowNs();
    m_measureFrom = m_started + qint64(m_options.warmupS * 1e9);
    m_measureTo = m_measureFrom + qint64(m_options.durationS * 1e9);
    m_sending = true;
    if (m_options.rate <= 0) {
        for (Writer &w : m_writers)
            for (int i = 0; i < m_options.window; ++i)
                sendFrom(w);
    }
    m_ticker.start();
}

void ThroughputRun::sendFrom(Writer &w)
{
    const qint64 now = nowNs();
    const QString id = w.prefix + QString::number(++w.counter);
    const QString value = w.topicType == QLatin1String("string")
                              ? QLatin1Char('"') + QString::number(now) + QLatin1Char('"')
                              : QString::number(now);
    w.connection->send(
        QStringLiteral("{\"type\":\"action\",\"args\":{\"action_id\":\"%1\",\"commands\":"
                       "[{\"topic_name\":%2,\"topic_type\":\"%3\",\"type\":\"set\","
                       "\"id\":\"%1c\",\"value\":%4}]}}")
            .arg(id, jsonString(w.topic), w.topicType, value));
    ++w.inFlight;
    if (measuring(now))
        ++m_result.sent;
}

void ThroughputRun::onWriterFrame(Writer &w, QByteArrayView text)
{
    const QByteArrayView type = frameType(text);
    const bool update = type == "update";
    if (!update && type != "reject")
        return;
    if (update && !frameString(text, "action_id").startsWith(w.prefixUtf8))
        return; // another writer's action on the same topic
    const qint64 now = nowNs();
    --w.inFlight;
    if (update) {
        qint64 stamp = 0;
        if (measuring(now)) {
            ++m_result.actions;
            if (frameStamp(text, &stamp))
                m_result.echo.add((now - stamp) / 1000);
        }
    } else {
        ++m_result.rejects;
    }
    if (m_sending && m_options.rate <= 0)
        sendFrom(w);
}

void ThroughputRun::onSubscriberFrame(QByteArrayView text)
{
    const QByteArrayView type = frameType(text);
    if (type == "update") {
        const qint64 now = nowNs();
        if (!measuring(now))
            return;
        ++m_result.deliveries;
        m_result.subscriberBytes += text.size();
        qint64 stamp = 0;
        if (frameStamp(text, &stamp))
            m_result.latency.add((now - stamp) / 1000);
    } else if (type == "init" && m_initsSeen < m_initsWanted) {
        if (++m_initsSeen == m_initsWanted)
            begin();
    }
}

void ThroughputRun::onTick()
{
    const qint64 now = nowNs();
    if (m_sending && now >= m_measureTo) {
        m_sending = false;
        m_result.seconds = double(m_measureTo - m_measureFrom) / 1e9;
        QTimer::singleShot(1000, this, &ThroughputRun::stop); // let the last updates arrive
        return;
    }
    if (!m_sending || m_options.rate <= 0 || m_writers.isEmpty())
        return;
    const qint64 target = qint64(m_options.rate * double(now - m_started) / 1e9);
    int guard = 0;
    while (m_rateSent < target && guard < m_writers.size()) {
        Writer &w = m_writers[m_nextWriter];
        m_nextWriter = (m_nextWriter + 1) % m_writers.size();
        if (w.inFlight >= maxInFlightAtRate) {
            ++guard;
            continue;
        }
        guard = 0;
        sendFrom(w);
        ++m_rateSent;
    }
}

void ThroughputRun::stop()
{
    if (m_done)
        return;
    m_done = true;
    m_sending = false;
    m_ticker.stop();
    m_setupTimer.stop();
    if (m_result.seconds <= 0 && m_measureFrom < m_measureTo && m_result.error.isEmpty())
        m_result.seconds = double(m_measureTo - m_measureFrom) / 1e9;
    for (Writer &w : m_writers)
        w.connection->close();
    for (LoadConnection *c : std::as_const(m_subscribers))
        c->close();
    emit finished();
}
