// SPDX-License-Identifier: MIT
#include "operations.h"

#include "endpoint.h"
#include "host.h"
#include "roommanager.h"

#include <objectsync/engine.h>
#include <objectsync/workspace.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <prometheus/metric_family.h>
#include <prometheus/text_serializer.h>

#ifndef OBJECTSYNC_VERSION
#define OBJECTSYNC_VERSION "0.0.0"
#endif

namespace objectsync {

namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

MetricFamily family(const char *name, const char *help, MetricType type)
{
    MetricFamily f;
    f.name = name;
    f.help = help;
    f.type = type;
    return f;
}

void addValue(MetricFamily &f, double value, std::vector<ClientMetric::Label> labels = {})
{
    ClientMetric m;
    m.label = std::move(labels);
    if (f.type == MetricType::Counter)
        m.counter.value = value;
    else
        m.gauge.value = value;
    f.metric.push_back(std::move(m));
}

MetricFamily single(const char *name, const char *help, MetricType type, double value)
{
    MetricFamily f = family(name, help, type);
    addValue(f, value);
    return f;
}

const char *workspaceState(const Host &host)
{
    switch (host.workspaceState()) {
    case Host::WorkspaceState::None:
        return "none";
    case Host::WorkspaceState::Open:
        return "ok";
    case Host::WorkspaceState::Failed:
        return "failed";
    }
    return "none";
}

} // namespace

Operations::Operations(Host *host, QObject *parent) : QObject(parent), m_host(host)
{
    m_uptime.start();
    connect(host->engine(), &Engine::transitionCommitted, this, [this] { ++m_transitions; });
    // Every room's transitions count.
    connect(host->rooms(), &RoomManager::roomOpened, this, [this](const QString &name) {
        connect(m_host->rooms()->find(name), &Engine::transitionCommitted, this,
                [this] { ++m_transitions; });
    });
    connect(&m_sampler, &QTimer::timeout, this, &Operations::sample);
    m_sampler.start(1000);
}

void Operations::install(Server *server)
{
    server->setHttpRoute(QStringLiteral("/healthz"),
                         [this](const HttpRequest &) { return health(); });
    server->setHttpRoute(QStringLiteral("/metrics"),
                         [this](const HttpRequest &) { return metrics(); });
    server->setHttpRoute(QStringLiteral("/rooms"), [this](const HttpRequest &) { return rooms(); });
}

HttpReply Operations::rooms() const
{
    QJsonArray list;
    for (const RoomInfo &room : m_host->rooms()->list()) {
        list.append(QJsonObject{{QStringLiteral("name"), room.name},
                                {QStringLiteral("state"),
                                 room.open ? QStringLiteral("open") : QStringLiteral("closed")},
                                {QStringLiteral("clients"), room.clients},
                                {QStringLiteral("objects"), room.objects}});
    }
    HttpReply reply;
    reply.contentType = "application/json";
    reply.body = QJsonDocument(list).toJson(QJsonDocument::Compact) + '\n';
    return reply;
}

ServerStats Operations::hostStats() const
{
    ServerStats total = m_host->endpoint()->server()->stats();
    const RoomManager *rooms = m_host->rooms();
    for (const QString &name : rooms->openRooms()) {
        if (name == defaultRoomName)
            continue;
        const ServerStats r = rooms->serverOf(name)->stats();
        total.clients += r.clients;
        for (auto it = r.refused.cbegin(); it != r.refused.cend(); ++it)
            total.refused[it.key()] += it.value();
        for (auto it = r.closed.cbegin(); it != r.closed.cend(); ++it)
            total.closed[it.key()] += it.value();
        total.messagesIn += r.messagesIn;
        total.bytesIn += r.bytesIn;
        total.messagesOut += r.messagesOut;
        total.bytesOut += r.bytesOut;
        total.actionsCommitted += r.actionsCommitted;
        total.actionsRejected += r.actionsRejected;
        total.updatesSent += r.updatesSent;
        total.pendingOutgoingBytes += r.pendingOutgoingBytes;
    }
    return total;
}

void Operations::addRoomMetrics(std::vector<prometheus::MetricFamily> &families) const
{
    const RoomManager *rooms = m_host->rooms();
    const QStringList open = rooms->openRooms();
    families.push_back(single("objectsync_rooms_open", "Rooms open now, the default one included.",
                              MetricType::Gauge, double(open.size())));
    MetricFamily clients =
        family("objectsync_room_clients", "Clients connected now, by room.", MetricType::Gauge);
    MetricFamily objects =
        family("objectsync_room_objects",
               "Objects in the room's tree (the root included), by room.", MetricType::Gauge);
    MetricFamily committed =
        family("objectsync_room_actions_committed_total",
               "Client actions committed, by room (since it opened).", MetricType::Counter);
    MetricFamily received =
        family("objectsync_room_messages_received_total",
               "Messages received from clients, by room (since it opened).", MetricType::Counter);
    for (const QString &name : open) {
        const ServerStats r = rooms->serverOf(name)->stats();
        const std::vector<ClientMetric::Label> label{{"room", name.toStdString()}};
        addValue(clients, r.clients, label);
        addValue(objects, double(rooms->find(name)->objectCount()), label);
        addValue(committed, double(r.actionsCommitted), label);
        addValue(received, double(r.messagesIn), label);
    }
    for (MetricFamily *f : {&clients, &objects, &committed, &received})
        families.push_back(std::move(*f));
}

void Operations::sample()
{
    const qint64 now = m_uptime.elapsed();
    const qint64 span = now - m_sampledMs;
    if (span <= 0)
        return;
    m_transitionRate = double(m_transitions - m_sampledAt) * 1000.0 / double(span);
    m_sampledAt = m_transitions;
    m_sampledMs = now;
}

HttpReply Operations::health() const
{
    const ServerStats stats = hostStats();
    const bool failed = m_host->workspaceState() == Host::WorkspaceState::Failed;
    QJsonObject body{
        {QStringLiteral("status"), failed ? QStringLiteral("failing") : QStringLiteral("ok")},
        {QStringLiteral("version"), QStringLiteral(OBJECTSYNC_VERSION)},
        {QStringLiteral("uptime_s"), double(m_uptime.elapsed()) / 1000.0},
        {QStringLiteral("clients"), stats.clients},
        {QStringLiteral("workspace"), QString::fromLatin1(workspaceState(*m_host))},
    };
    HttpReply reply;
    reply.status = failed ? 503 : 200;
    reply.contentType = "application/json";
    reply.body = QJsonDocument(body).toJson(QJsonDocument::Compact) + '\n';
    return reply;
}

HttpReply Operations::metrics() const
{
    const ServerStats s = hostStats();
    std::vector<MetricFamily> families;
    families.push_back(
        single("objectsync_clients", "Clients connected now.", MetricType::Gauge, s.clients));
    families.push_back(single("objectsync_pending_connections",
                              "Connections accepted that are not clients yet.", MetricType::Gauge,
                              s.pendingConnections));
    families.push_back(single("objectsync_connections_accepted_total", "TCP connections accepted.",
                              MetricType::Counter, double(s.connectionsAccepted)));
    families.push_back(single("objectsync_websockets_opened_total",
                              "WebSocket opening handshakes completed.", MetricType::Counter,
                              double(s.webSocketsOpened)));
    families.push_back(single("objectsync_http_requests_total",
                              "HTTP requests answered (pages, routes and errors).",
                              MetricType::Counter, double(s.httpRequests)));
    MetricFamily refused = family("objectsync_connections_refused_total",
                                  "Connections refused or cut before they became clients, by "
                                  "reason.",
                                  MetricType::Counter);
    for (const char *reason : {"origin", "bad_handshake", "handshake_timeout", "too_many_pending",
                               "access_policy", "no_token", "room"})
        addValue(refused, double(s.refused.value(QString::fromLatin1(reason))),
                 {{"reason", reason}});
    families.push_back(std::move(refused));
    MetricFamily closed =
        family("objectsync_connections_closed_total",
               "Client connections ended, by WebSocket close code.", MetricType::Counter);
    for (auto it = s.closed.cbegin(); it != s.closed.cend(); ++it)
        addValue(closed, double(it.value()), {{"code", std::to_string(it.key())}});
    families.push_back(std::move(closed));
    families.push_back(single("objectsync_messages_received_total",
                              "Messages received from clients.", MetricType::Counter,
                              double(s.messagesIn)));
    families.push_back(single("objectsync_bytes_received_total",
                              "Message payload bytes received from clients.", MetricType::Counter,
                              double(s.bytesIn)));
    families.push_back(single("objectsync_messages_sent_total", "Messages sent to clients.",
                              MetricType::Counter, double(s.messagesOut)));
    families.push_back(single("objectsync_bytes_sent_total",
                              "Message payload bytes sent to clients.", MetricType::Counter,
                              double(s.bytesOut)));
    families.push_back(single("objectsync_actions_committed_total", "Client actions committed.",
                              MetricType::Counter, double(s.actionsCommitted)));
    families.push_back(single("objectsync_actions_rejected_total", "Client actions refused.",
                              MetricType::Counter, double(s.actionsRejected)));
    families.push_back(single("objectsync_updates_sent_total",
                              "Update messages queued for clients.", MetricType::Counter,
                              double(s.updatesSent)));
    families.push_back(single("objectsync_pending_outgoing_bytes",
                              "Bytes waiting in client sockets to be sent.", MetricType::Gauge,
                              double(s.pendingOutgoingBytes)));
    families.push_back(single("objectsync_transitions_total", "Transitions committed.",
                              MetricType::Counter, double(m_transitions)));
    families.push_back(single("objectsync_transitions_per_second",
                              "Transitions committed per second, over the last second.",
                              MetricType::Gauge, m_transitionRate));
    families.push_back(single("objectsync_workspace_ok",
                              "1 while the workspace writes, 0 without one or after it failed.",
                              MetricType::Gauge,
                              m_host->workspaceState() == Host::WorkspaceState::Open ? 1 : 0));
    addRoomMetrics(families);
    if (const Workspace *workspace = m_host->workspace()) {
        const CommitLatency latency = workspace->commitLatency();
        MetricFamily f = family("objectsync_journal_commit_seconds",
                                "How long the journal's commits took, flush to disk included.",
                                MetricType::Histogram);
        ClientMetric m;
        m.histogram.sample_count = latency.count;
        m.histogram.sample_sum = latency.sumSeconds;
        std::uint64_t cumulative = 0;
        for (qsizetype i = 0; i < latency.counts.size(); ++i) {
            cumulative += latency.counts.at(i);
            ClientMetric::Bucket b;
            b.cumulative_count = cumulative;
            b.upper_bound = i < latency.upperBounds.size()
                                ? latency.upperBounds.at(i)
                                : std::numeric_limits<double>::infinity();
            m.histogram.bucket.push_back(b);
        }
        f.metric.push_back(std::move(m));
        families.push_back(std::move(f));
    }

    HttpReply reply;
    reply.contentType = "text/plain; version=0.0.4; charset=utf-8";
    reply.body = QByteArray::fromStdString(prometheus::TextSerializer().Serialize(families));
    return reply;
}

} // namespace objectsync
