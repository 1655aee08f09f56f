// SPDX-License-Identifier: MIT
#include "throughput.h"

#include "framescan.h"
#include "loadconnection.h"
#include "loadwriter.h"

#include <cstdio>

namespace {
constexpr int maxInFlightAtRate = 100000;
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
    for (qsizetype i = 0; i < m_writers.size(); ++i) {
        Writer &w = m_writers[i];
        w.room = roomOf(i);
        w.writer = new LoadWriter(m_options, this);
        Writer *wp = &w;
        connect(w.writer, &LoadWriter::ready, this, &ThroughputRun::subscribeAll);
        connect(w.writer, &LoadWriter::failed, this, &ThroughputRun::fail);
        w.writer->onFrame = [this, wp](QByteArrayView text) { onWriterFrame(*wp, text); };
        w.writer->open(roomUrl(m_options, w.room));
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
        m_subscriberRooms.append(roomOf(i));
        c->open(roomUrl(m_options, m_subscriberRooms.last()));
        m_subscribers.append(c);
    }
}

int ThroughputRun::roomOf(qsizetype index) const
{
    return m_options.rooms > 0 ? int(index % m_options.rooms) + 1 : 0;
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

void ThroughputRun::subscribeAll()
{
    for (const Writer &w : std::as_const(m_writers))
        if (!w.writer->isReady())
            return;
    if (m_subscribersReady < m_subscribers.size() || m_subscribed)
        return;
    m_subscribed = true;
    // Each subscriber receives the topics of the writers in its room (all of them without
    // rooms).
    QList<std::pair<LoadConnection *, QString>> subscriptions;
    for (qsizetype i = 0; i < m_subscribers.size(); ++i) {
        QStringList topics;
        for (const Writer &w : std::as_const(m_writers))
            if (w.room == m_subscriberRooms[i] && !topics.contains(w.writer->topic()))
                topics.append(w.writer->topic());
        for (const QString &t : std::as_const(topics))
            subscriptions.append({m_subscribers[i], t});
    }
    m_initsWanted = int(subscriptions.size());
    if (m_initsWanted == 0) {
        begin();
        return;
    }
    for (const auto &[c, t] : std::as_const(subscriptions))
        c->subscribe(t);
}

// ---- running ---------------------------------------------------------------------------

void ThroughputRun::begin()
{
    m_setupTimer.stop();
    m_started = nowNs();
    // For scripts that start other work once this load runs (bench/rooms/run.sh).
    std::printf("prepared after %.2f s: sending\n", double(m_started) / 1e9);
    std::fflush(stdout);
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
    w.writer->sendSet(now);
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
    if (update && !w.writer->isOwnUpdate(text))
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
        w.writer->close();
    for (LoadConnection *c : std::as_const(m_subscribers))
        c->close();
    emit finished();
}
