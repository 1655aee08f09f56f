// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/server.h>

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <vector>

namespace prometheus {
struct MetricFamily;
}

namespace objectsync {

class Host;

/*!
 * The host's operations routes on its port:
 * - `GET /healthz`: 200 with a small JSON body (version, uptime, clients, workspace state),
 *   503 when the workspace has failed;
 * - `GET /metrics`: the Prometheus text exposition format (written with prometheus-cpp's
 *   serializer) of the host's counters (every room's together), figures by room (a `room`
 *   label), the journal's commit latency and the transition rate;
 * - `GET /rooms`: every room, open or kept on disk, with its clients and objects (JSON).
 */
class Operations : public QObject
{
    Q_OBJECT
public:
    explicit Operations(Host *host, QObject *parent = nullptr);

    /*! Adds the routes to \a server. */
    void install(Server *server);
    HttpReply health() const;
    HttpReply metrics() const;
    /*! `GET /rooms`: every room, open or on disk, as JSON. */
    HttpReply rooms() const;

private:
    /*! The figures of the whole host: its server's and those of every open room's. */
    ServerStats hostStats() const;
    void addRoomMetrics(std::vector<prometheus::MetricFamily> &families) const;
    void sample();

    Host *m_host;
    QElapsedTimer m_uptime;
    QTimer m_sampler;
    quint64 m_transitions = 0;   //!< committed since the host started
    quint64 m_sampledAt = 0;     //!< m_transitions at the last sample
    qint64 m_sampledMs = 0;      //!< m_uptime at the last sample
    double m_transitionRate = 0; //!< per second, over the last sample interval
};

} // namespace objectsync
