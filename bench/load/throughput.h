// SPDX-License-Identifier: MIT
#pragma once

#include "histogram.h"
#include "loadoptions.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QTimer>

class LoadConnection;
class LoadWriter;

/*! What a throughput run measured (rates per second of the measured window). */
struct ThroughputResult
{
    QString error;         //!< why the run failed; empty when it worked
    double seconds = 0;    //!< length of the measured window
    qint64 actions = 0;    //!< actions answered by the host (writers' own echoes)
    qint64 deliveries = 0; //!< updates received by the subscribers
    qint64 subscriberBytes = 0;
    qint64 sent = 0;   //!< actions sent in the window
    Histogram latency; //!< sender -> every subscriber, microseconds
    Histogram echo;    //!< sender -> its own echo
    qint64 rejects = 0;
};

/*!
 * Writers send `set` actions whose value is their send time; subscribers receive the updates
 * (with rooms, those of the writers in their own room).
 * Phases: connect and prepare (each writer creates its object or looks up the topic; the
 * subscribers subscribe to every written topic), warm up, measure, drain.
 */
class ThroughputRun : public QObject
{
    Q_OBJECT
public:
    explicit ThroughputRun(const LoadOptions &options, QObject *parent = nullptr);
    void start();
    const ThroughputResult &result() const { return m_result; }

signals:
    void finished();

private:
    struct Writer
    {
        LoadWriter *writer = nullptr;
        int inFlight = 0;
        int room = 0; //!< see LoadOptions::rooms; 0 without rooms
    };

    void fail(const QString &why);
    void subscribeAll();
    int roomOf(qsizetype index) const;
    void begin();
    void sendFrom(Writer &w);
    void onWriterFrame(Writer &w, QByteArrayView text);
    void onSubscriberFrame(QByteArrayView text);
    void onTick();
    void stop();
    bool measuring(qint64 now) const { return now >= m_measureFrom && now < m_measureTo; }
    qint64 nowNs() const { return m_clock.nsecsElapsed(); }

    LoadOptions m_options;
    ThroughputResult m_result;
    QList<Writer> m_writers;
    QList<LoadConnection *> m_subscribers;
    QList<int> m_subscriberRooms;
    bool m_subscribed = false;
    int m_subscribersReady = 0;
    int m_initsWanted = 0;
    int m_initsSeen = 0;
    QElapsedTimer m_clock;
    qint64 m_measureFrom = std::numeric_limits<qint64>::max();
    qint64 m_measureTo = std::numeric_limits<qint64>::max();
    qint64 m_started = 0;
    qint64 m_rateSent = 0;
    qsizetype m_nextWriter = 0;
    bool m_sending = false;
    bool m_done = false;
    QTimer m_ticker;
    QTimer m_setupTimer;
};
