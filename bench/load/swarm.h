// SPDX-License-Identifier: MIT
#pragma once

#include "histogram.h"
#include "loadoptions.h"

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QTimer>
#include <utility>
#include <vector>

class LoadConnection;
class LoadWriter;

/*! What a swarm run measured. */
struct SwarmResult
{
    QString error; //!< why the run could not go on (preparing, the writer); empty otherwise
    QString topic;
    int clients = 0;
    int served = 0; //!< clients that got their hello and init and are still connected
    int failed = 0; //!< clients that failed at any point
    QList<std::pair<QString, int>> failures; //!< distinct reasons, first seen first, and counts
    double connectSeconds = -1; //!< first open() until every client was served; -1: not all were
    double settleSeconds = 0;   //!< first open() until every client was served or had failed
    qint64 rssBeforeKb = -1;    //!< the host's, before the swarm (writer ready)
    qint64 rssAfterKb = -1;     //!< ... once every client was served or had failed
    int updates = 0;            //!< set actions the writer sent
    double fanoutSeconds = 0;   //!< from the first update sent to the last delivery
    qint64 deliveries = 0;      //!< updates the swarm clients received
    qint64 missing = 0;         //!< expected deliveries that did not arrive in time
    qint64 outOfOrder = 0;      //!< updates whose value was not larger than the client's last one
    Histogram latency;          //!< send time -> every swarm client, microseconds
};

/*!
 * A writer prepares a topic as the throughput writers do; then --clients connections open in
 * one event-loop turn and each subscribes to the topic on its hello. A client is served when
 * its init has arrived. Once all are served the writer sends --updates `set` actions at
 * --rate, each carrying its send time, and every client must receive all of them in order.
 * One timer bounds each phase; the clients have none of their own.
 */
class SwarmRun : public QObject
{
    Q_OBJECT
public:
    explicit SwarmRun(const LoadOptions &options, QObject *parent = nullptr);
    void start();
    const SwarmResult &result() const { return m_result; }

signals:
    void finished();

private:
    enum class Phase { Preparing, Storm, Fanout, Done };
    enum class State : quint8 { Pending, Served, Failed };
    struct Client
    {
        LoadConnection *connection = nullptr;
        qint64 lastStamp = -1;
        int received = 0;
        State state = State::Pending;
    };

    void fail(const QString &why);
    void storm();
    void onClientFrame(Client &c, QByteArrayView text);
    void clientFailed(Client &c, const QString &why);
    void progress();
    void onTimeout();
    void fanout();
    void onTick();
    void sendUpdate();
    void finish();
    qint64 nowNs() const { return m_clock.nsecsElapsed(); }

    LoadOptions m_options;
    SwarmResult m_result;
    Phase m_phase = Phase::Preparing;
    LoadWriter *m_writer = nullptr;
    QByteArray m_topicUtf8;
    std::vector<Client> m_clients;
    QHash<QString, qsizetype> m_failureIndex; // reason -> its place in m_result.failures
    QElapsedTimer m_clock;
    qint64 m_stormStart = 0;
    qint64 m_lastServed = 0;
    qint64 m_fanoutStart = 0;
    qint64 m_lastStamp = 0;
    qint64 m_pending = 0; // deliveries still expected from connected clients
    QTimer m_timeout;     // the one deadline of the current phase
    QTimer m_ticker;      // paces the updates
};
