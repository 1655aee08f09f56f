// SPDX-License-Identifier: MIT
#include "swarm.h"

#include "framescan.h"
#include "loadconnection.h"
#include "loadwriter.h"
#include "procstatus.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace {
/*! How far a client got, for its failure reason. */
QString stage(const LoadConnection &c, bool served)
{
    if (!c.isTcpConnected())
        return QStringLiteral("while connecting");
    if (!c.isUpgraded())
        return QStringLiteral("during the WebSocket handshake");
    if (c.clientId() <= 0)
        return QStringLiteral("before the hello");
    return served ? QStringLiteral("after being served") : QStringLiteral("before the init");
}

/*! What a client still waited for when the swarm's deadline passed. */
QString missingStep(const LoadConnection &c)
{
    if (!c.isTcpConnected())
        return QStringLiteral("no TCP connection");
    if (!c.isUpgraded())
        return QStringLiteral("no WebSocket upgrade");
    if (c.clientId() <= 0)
        return QStringLiteral("no hello");
    return QStringLiteral("no init");
}
} // namespace

SwarmRun::SwarmRun(const LoadOptions &options, QObject *parent)
    : QObject(parent), m_options(options)
{
    m_result.clients = m_options.clients;
    m_timeout.setSingleShot(true);
    m_timeout.setTimerType(Qt::PreciseTimer); // a coarse one may fire 5% early
    connect(&m_timeout, &QTimer::timeout, this, &SwarmRun::onTimeout);
    m_ticker.setTimerType(Qt::PreciseTimer);
    connect(&m_ticker, &QTimer::timeout, this, &SwarmRun::onTick);
}

void SwarmRun::start()
{
    m_clock.start();
    m_writer = new LoadWriter(m_options, this);
    // The storm starts in an event-loop turn of its own, not inside the writer's read.
    connect(m_writer, &LoadWriter::ready, this, &SwarmRun::storm, Qt::QueuedConnection);
    connect(m_writer, &LoadWriter::failed, this, &SwarmRun::fail);
    m_writer->onFrame = [this](QByteArrayView text) {
        if (frameType(text) != "reject")
            return; // its own echoes
        fail(QStringLiteral("the host rejected an update: %1")
                 .arg(QJsonDocument::fromJson(text.toByteArray())
                          .object()
                          .value(QLatin1String("args"))
                          .toObject()
                          .value(QLatin1String("reason"))
                          .toString()));
    };
    m_timeout.start(m_options.setupTimeoutS * 1000);
    m_writer->open(m_options.url);
}

void SwarmRun::fail(const QString &why)
{
    if (m_phase == Phase::Done)
        return;
    if (m_result.error.isEmpty())
        m_result.error = why;
    finish();
}

// ---- the storm -------------------------------------------------------------------------

void SwarmRun::storm()
{
    if (m_phase != Phase::Preparing)
        return;
    m_timeout.stop();
    m_result.topic = m_writer->topic();
    m_topicUtf8 = m_result.topic.toUtf8();
    const QByteArray subscribe =
        QStringLiteral("{\"type\":\"subscribe\",\"args\":{\"topic_name\":%1}}")
            .arg(jsonString(m_result.topic))
            .toUtf8();
    m_result.rssBeforeKb = readProcMemory(m_options.hostPid).rssKb;

    m_clients.resize(size_t(m_options.clients));
    for (Client &c : m_clients) {
        c.connection = new LoadConnection(this);
        Client *cp = &c;
        connect(c.connection, &LoadConnection::hello, this,
                [cp, subscribe] { cp->connection->send(subscribe); });
        c.connection->onFrame = [this, cp](QByteArrayView text) { onClientFrame(*cp, text); };
        connect(c.connection, &LoadConnection::closed, this, [this, cp](const QString &why) {
            if (m_phase == Phase::Done)
                return;
            clientFailed(*cp, QStringLiteral("%1 (%2)").arg(
                                  why, stage(*cp->connection, cp->state == State::Served)));
            progress();
        });
    }

    m_phase = Phase::Storm;
    m_timeout.start(m_options.setupTimeoutS * 1000);
    m_stormStart = nowNs();
    for (Client &c : m_clients)
        c.connection->open(m_options.url);
}

void SwarmRun::onClientFrame(Client &c, QByteArrayView text)
{
    const QByteArrayView type = frameType(text);
    if (type == "update") {
        qint64 stamp = 0;
        if (m_phase != Phase::Fanout || c.state != State::Served || !frameStamp(text, &stamp))
            return;
        m_result.latency.add((nowNs() - stamp) / 1000);
        ++m_result.deliveries;
        if (stamp <= c.lastStamp)
            ++m_result.outOfOrder;
        else
            c.lastStamp = stamp;
        if (++c.received <= m_options.updates && --m_pending == 0)
            progress();
    } else if (type == "init" && c.state == State::Pending &&
               frameString(text, "topic_name") == QByteArrayView(m_topicUtf8)) {
        c.state = State::Served;
        ++m_result.served;
        m_lastServed = nowNs();
        progress();
    }
}

void SwarmRun::clientFailed(Client &c, const QString &why)
{
    if (c.state == State::Failed)
        return;
    if (c.state == State::Served) {
        --m_result.served;
        if (m_phase == Phase::Fanout)
            m_pending -= qMax(0, m_options.updates - c.received);
    }
    c.state = State::Failed;
    ++m_result.failed;
    const auto at = m_failureIndex.constFind(why);
    if (at != m_failureIndex.cend()) {
        ++m_result.failures[*at].second;
    } else {
        m_failureIndex.insert(why, m_result.failures.size());
        m_result.failures.append({why, 1});
    }
}

void SwarmRun::progress()
{
    if (m_phase == Phase::Storm && m_result.served + m_result.failed == m_result.clients) {
        m_timeout.stop();
        m_result.settleSeconds = double(nowNs() - m_stormStart) / 1e9;
        m_result.rssAfterKb = readProcMemory(m_options.hostPid).rssKb;
        if (m_result.failed > 0) {
            finish();
            return;
        }
        m_result.connectSeconds = double(m_lastServed - m_stormStart) / 1e9;
        fanout();
    } else if (m_phase == Phase::Fanout && m_pending <= 0 &&
               m_result.updates == m_options.updates) {
        m_result.fanoutSeconds = double(nowNs() - m_fanoutStart) / 1e9;
        finish();
    }
}

void SwarmRun::onTimeout()
{
    switch (m_phase) {
    case Phase::Preparing:
        fail(QStringLiteral("the writer was not ready within %1 s").arg(m_options.setupTimeoutS));
        return;
    case Phase::Storm:
        for (Client &c : m_clients) {
            if (c.state != State::Pending)
                continue;
            const QString why = QStringLiteral("%1 within %2 s")
                                    .arg(missingStep(*c.connection))
                                    .arg(m_options.setupTimeoutS);
            c.connection->abort();
            clientFailed(c, why);
        }
        progress();
        return;
    case Phase::Fanout:
        m_result.missing = m_pending;
        m_result.fanoutSeconds = double(nowNs() - m_fanoutStart) / 1e9;
        finish();
        return;
    case Phase::Done:
        return;
    }
}

// ---- the fan-out -----------------------------------------------------------------------

void SwarmRun::fanout()
{
    m_phase = Phase::Fanout;
    m_pending = qint64(m_options.updates) * m_result.served;
    m_fanoutStart = nowNs();
    if (m_options.rate <= 0) {
        while (m_result.updates < m_options.updates)
            sendUpdate();
    } else if (m_options.updates > 0) {
        m_ticker.start(qBound(1, int(1000 / m_options.rate), 1000));
        onTick();
    }
    progress(); // no updates at all
}

void SwarmRun::onTick()
{
    if (m_phase != Phase::Fanout)
        return;
    const double elapsed = double(nowNs() - m_fanoutStart) / 1e9;
    const qint64 due = qMin<qint64>(m_options.updates, 1 + qint64(m_options.rate * elapsed));
    while (m_result.updates < due)
        sendUpdate();
}

void SwarmRun::sendUpdate()
{
    // Strictly increasing values, so that every client can check its order.
    m_lastStamp = qMax(nowNs(), m_lastStamp + 1);
    m_writer->sendSet(m_lastStamp);
    if (++m_result.updates == m_options.updates) {
        m_ticker.stop();
        m_timeout.start(m_options.setupTimeoutS * 1000); // for the last deliveries
        progress();                                      // every client may have gone already
    }
}

void SwarmRun::finish()
{
    if (m_phase == Phase::Done)
        return;
    m_phase = Phase::Done;
    m_timeout.stop();
    m_ticker.stop();
    if (m_writer)
        m_writer->close();
    for (Client &c : m_clients)
        if (c.state != State::Failed)
            c.connection->close();
    emit finished();
}
