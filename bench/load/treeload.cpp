// SPDX-License-Identifier: MIT
#include "treeload.h"

#include "framescan.h"
#include "loadconnection.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace {
const QString topicList = QStringLiteral("_topicsync/topic_list");
constexpr int batchesInFlight = 4;
} // namespace

TreeLoad::TreeLoad(const LoadOptions &options, QObject *parent)
    : QObject(parent), m_options(options)
{
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, [this] {
        fail(QStringLiteral("not done within %1 s").arg(m_options.setupTimeoutS * 2));
    });
}

void TreeLoad::start()
{
    m_timeout.start(m_options.setupTimeoutS * 2000);
    if (m_options.populate && m_options.objects > 0)
        populate();
    else
        load();
}

void TreeLoad::fail(const QString &why)
{
    if (m_done)
        return;
    m_result.error = why;
    done();
}

void TreeLoad::done()
{
    if (m_done)
        return;
    m_done = true;
    m_timeout.stop();
    if (m_populator)
        m_populator->close();
    if (m_loader)
        m_loader->close();
    emit finished();
}

// ---- creating the objects --------------------------------------------------------------

void TreeLoad::populate()
{
    m_clock.start();
    m_populator = new LoadConnection(this);
    connect(m_populator, &LoadConnection::closed, this, [this](const QString &why) {
        fail(QStringLiteral("the populating connection ended: %1").arg(why));
    });
    connect(m_populator, &LoadConnection::hello, this, [this] {
        // Updates of _objects carry the answer to each batch.
        m_populator->subscribe(QStringLiteral("_objects"));
    });
    m_populator->onFrame = [this](QByteArrayView text) { onPopulateFrame(text); };
    m_populator->open(m_options.url);
}

void TreeLoad::onPopulateFrame(QByteArrayView text)
{
    const QByteArrayView type = frameType(text);
    if (type == "init") {
        while (m_batchesInFlight < batchesInFlight && m_created < m_options.objects)
            sendBatch();
        return;
    }
    const QByteArray prefix = QByteArray::number(m_populator->clientId()) + '_';
    if (type == "reject") {
        fail(QStringLiteral("the host refused create_object: %1")
                 .arg(QJsonDocument::fromJson(text.toByteArray())
                          .object()
                          .value(QLatin1String("args"))
                          .toObject()
                          .value(QLatin1String("reason"))
                          .toString()));
        return;
    }
    if (type != "update" || !frameString(text, "action_id").startsWith(prefix))
        return;
    --m_batchesInFlight;
    if (m_created < m_options.objects) {
        sendBatch();
    } else if (m_batchesInFlight == 0) {
        m_result.objectsCreated = m_created;
        m_result.populateSeconds = double(m_clock.nsecsElapsed()) / 1e9;
        m_populator->close();
        m_populator->deleteLater();
        m_populator = nullptr;
        load();
    }
}

void TreeLoad::sendBatch()
{
    const QString prefix = QString::number(m_populator->clientId()) + QLatin1Char('_');
    const QString actionId = prefix + QStringLiteral("b") + QString::number(++m_batchCounter);
    QString commands;
    const qint64 n = qMin<qint64>(m_options.batch, m_options.objects - m_created);
    for (qint64 i = 0; i < n; ++i) {
        const QString id = prefix + QString::number(++m_created);
        if (i)
            commands += QLatin1Char(',');
        commands += QStringLiteral("{\"topic_name\":\"create_object\",\"topic_type\":\"event\","
                                   "\"type\":\"emit\",\"id\":\"%1c\",\"args\":{\"type\":%2,"
                                   "\"parent_id\":\"root\",\"id\":\"%1\"}}")
                        .arg(id, jsonString(m_options.type));
    }
    m_populator->send(
        QStringLiteral("{\"type\":\"action\",\"args\":{\"action_id\":\"%1\",\"commands\":[%2]}}")
            .arg(actionId, commands));
    ++m_batchesInFlight;
}

// ---- loading ---------------------------------------------------------------------------

void TreeLoad::load()
{
    m_initsWanted = -1;
    m_initsSeen = 0;
    m_objectsFrame.clear();
    m_joinFrames.clear();
    const TreeResult populated = m_result;
    m_result = TreeResult{};
    m_result.objectsCreated = populated.objectsCreated;
    m_result.populateSeconds = populated.populateSeconds;
    m_loader = new LoadConnection(this);
    connect(m_loader, &LoadConnection::closed, this, [this](const QString &why) {
        fail(QStringLiteral("the loading connection ended: %1").arg(why));
    });
    connect(m_loader, &LoadConnection::hello, this, [this] {
        if (!m_batchedNow) {
            m_loader->subscribe(topicList);
            return;
        }
        if (!m_loader->features().contains(QStringLiteral("subscribe_many"))) {
            fail(QStringLiteral("the host does not offer the batched join (subscribe_many)"));
            return;
        }
        QString prefixes = QStringLiteral("\"parent_id/\",\"a/\"");
        if (m_options.tags)
            prefixes += QStringLiteral(",\"tags/\"");
        m_loader->send(QStringLiteral("{\"type\":\"subscribe_many\",\"args\":{\"topic_names\":"
                                      "[\"%1\",\"_objects\"],\"prefixes\":[%2]}}")
                           .arg(topicList, prefixes));
    });
    m_loader->onFrame = [this](QByteArrayView text) {
        if (m_batchedNow)
            onJoinFrame(text);
        else
            onLoadFrame(text);
    };
    m_clock.start();
    m_loader->open(m_options.url);
}

void TreeLoad::onJoinFrame(QByteArrayView text)
{
    if (frameType(text) != "init_many")
        return;
    m_joinFrames.append(text.toByteArray()); // read once the clock has stopped
    if (!text.endsWith("\"last\":true}}"))
        return;
    m_result.seconds = double(m_clock.nsecsElapsed()) / 1e9;
    m_result.bytes = m_loader->bytesReceived;
    m_result.frames = m_loader->framesReceived;
    for (const QByteArray &frame : std::as_const(m_joinFrames)) {
        const QJsonObject args =
            QJsonDocument::fromJson(frame).object().value(QLatin1String("args")).toObject();
        const QJsonArray topics = args.value(QLatin1String("topics")).toArray();
        m_result.topics += topics.size();
        for (const QJsonValue &entry : topics)
            if (entry.toArray().at(0).toString() == QLatin1String("_objects"))
                m_result.objects = entry.toArray().at(1).toObject().size();
    }
    ++m_result.topics; // the topic list
    loaded();
}

void TreeLoad::loaded()
{
    (m_batchedNow ? m_batched : m_perTopic).append(m_result);
    m_loader->onFrame = nullptr;
    m_loader->disconnect(this);
    m_loader->close();
    m_loader->deleteLater();
    m_loader = nullptr;
    if (m_options.join && !m_batchedNow) {
        m_batchedNow = true;
    } else {
        m_batchedNow = false;
        if (++m_round >= m_options.rounds) {
            done();
            return;
        }
    }
    // The next load on the next turn of the event loop, once this connection is let go.
    QTimer::singleShot(0, this, &TreeLoad::load);
}

void TreeLoad::onLoadFrame(QByteArrayView text)
{
    if (frameType(text) != "init")
        return;
    if (m_initsWanted < 0) {
        // The topic list: subscribe to everything a tree view needs. Keys are found by a scan
        // for "<prefix>...": the way a quick client would, without building a JSON tree.
        m_result.listSeconds = double(m_clock.nsecsElapsed()) / 1e9;
        QList<QByteArrayView> prefixes{"\"parent_id/", "\"a/"};
        if (m_options.tags)
            prefixes << "\"tags/";
        m_loader->subscribe(QStringLiteral("_objects"));
        m_initsWanted = 1;
        for (const QByteArrayView prefix : std::as_const(prefixes)) {
            qsizetype from = 0;
            while ((from = text.indexOf(prefix, from)) >= 0) {
                const qsizetype start = from + 1;
                const qsizetype end = text.indexOf('"', start);
                if (end < 0)
                    break;
                qsizetype after = end + 1;
                while (after < text.size() && text[after] == ' ')
                    ++after;
                if (after < text.size() && text[after] == ':') {
                    m_loader->subscribe(QString::fromUtf8(text.sliced(start, end - start)));
                    ++m_initsWanted;
                }
                from = end + 1;
            }
        }
        m_result.topics = m_initsWanted;
        return;
    }
    if (frameString(text, "topic_name") == "_objects")
        m_objectsFrame = text.toByteArray(); // counted once the clock has stopped
    if (++m_initsSeen == m_initsWanted) {
        m_result.seconds = double(m_clock.nsecsElapsed()) / 1e9;
        m_result.bytes = m_loader->bytesReceived;
        m_result.frames = m_loader->framesReceived;
        const QJsonObject args = QJsonDocument::fromJson(m_objectsFrame)
                                     .object()
                                     .value(QLatin1String("args"))
                                     .toObject();
        m_result.objects = args.value(QLatin1String("value")).toObject().size();
        loaded();
    }
}
