// SPDX-License-Identifier: MIT
// objectsync-load: drives an ObjectSync host on 127.0.0.1 and prints what it measured, as
// readable lines and as "result.<name>=<value>" lines for scripts.
#include "loadoptions.h"
#include "procstatus.h"
#include "roomsopen.h"
#include "swarm.h"
#include "throughput.h"
#include "treeload.h"

#include <algorithm>

#include <QCoreApplication>
#include <QLoggingCategory>
#include <cstdio>
#include <cstring>

namespace {
void result(const char *name, double value)
{
    std::printf("result.%s=%.6g\n", name, value);
}

void printMemory(qint64 pid)
{
    if (pid <= 0)
        return;
    const ProcMemory m = readProcMemory(pid);
    std::printf("host memory: %.1f MB resident, %.1f MB peak\n", double(m.rssKb) / 1024,
                double(m.peakKb) / 1024);
    result("host_rss_mb", double(m.rssKb) / 1024);
    result("host_peak_mb", double(m.peakKb) / 1024);
}

int reportThroughput(const LoadOptions &o, const ThroughputResult &r)
{
    if (!r.error.isEmpty()) {
        std::fprintf(stderr, "throughput run failed: %s\n", qPrintable(r.error));
        return 1;
    }
    const double s = r.seconds > 0 ? r.seconds : 1;
    std::printf("throughput: %d writer(s), %d subscriber(s), %s, %.1f s measured\n", o.writers,
                o.subscribers,
                o.rate > 0 ? qPrintable(QStringLiteral("%1 actions/s offered").arg(o.rate))
                           : qPrintable(QStringLiteral("window %1").arg(o.window)),
                r.seconds);
    std::printf("  actions/s     %10.0f   (sent %.0f/s, rejected %lld)\n", double(r.actions) / s,
                double(r.sent) / s, static_cast<long long>(r.rejects));
    std::printf("  deliveries/s  %10.0f   (%.1f MB/s to subscribers)\n", double(r.deliveries) / s,
                double(r.subscriberBytes) / s / 1e6);
    std::printf("  latency to subscribers: p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, max %.3f ms "
                "(%llu samples)\n",
                r.latency.percentile(0.5) / 1000, r.latency.percentile(0.9) / 1000,
                r.latency.percentile(0.99) / 1000, double(r.latency.max()) / 1000,
                static_cast<unsigned long long>(r.latency.count()));
    std::printf("  round trip to the writer: p50 %.3f ms, p99 %.3f ms\n",
                r.echo.percentile(0.5) / 1000, r.echo.percentile(0.99) / 1000);
    result("actions_per_s", double(r.actions) / s);
    result("sent_per_s", double(r.sent) / s);
    result("deliveries_per_s", double(r.deliveries) / s);
    result("rejects", double(r.rejects));
    result("latency_p50_ms", r.latency.percentile(0.5) / 1000);
    result("latency_p90_ms", r.latency.percentile(0.9) / 1000);
    result("latency_p99_ms", r.latency.percentile(0.99) / 1000);
    result("latency_max_ms", double(r.latency.max()) / 1000);
    result("echo_p50_ms", r.echo.percentile(0.5) / 1000);
    result("echo_p99_ms", r.echo.percentile(0.99) / 1000);
    printMemory(o.hostPid);
    return 0;
}

/*! The load of median time among \a loads (the one below the middle for an even count). */
TreeResult medianLoad(QList<TreeResult> loads)
{
    std::sort(loads.begin(), loads.end(),
              [](const TreeResult &a, const TreeResult &b) { return a.seconds < b.seconds; });
    return loads.isEmpty() ? TreeResult{} : loads.at((loads.size() - 1) / 2);
}

void printLoad(const char *path, const char *key, const QList<TreeResult> &loads)
{
    const TreeResult r = medianLoad(loads);
    std::printf("tree (%s, median of %lld): %lld objects, %lld topics loaded in %.1f ms (topic "
                "list after %.1f ms), %.2f MB in %lld messages\n",
                path, static_cast<long long>(loads.size()), static_cast<long long>(r.objects),
                static_cast<long long>(r.topics), r.seconds * 1000, r.listSeconds * 1000,
                double(r.bytes) / 1e6, static_cast<long long>(r.frames));
    const QString k = QString::fromLatin1(key);
    result(qPrintable(QStringLiteral("tree%1_objects").arg(k)), double(r.objects));
    result(qPrintable(QStringLiteral("tree%1_topics").arg(k)), double(r.topics));
    result(qPrintable(QStringLiteral("tree%1_load_ms").arg(k)), r.seconds * 1000);
    result(qPrintable(QStringLiteral("tree%1_list_ms").arg(k)), r.listSeconds * 1000);
    result(qPrintable(QStringLiteral("tree%1_mb").arg(k)), double(r.bytes) / 1e6);
    result(qPrintable(QStringLiteral("tree%1_messages").arg(k)), double(r.frames));
}

int reportTree(const LoadOptions &o, const TreeLoad &run)
{
    const TreeResult &r = run.result();
    if (!r.error.isEmpty()) {
        std::fprintf(stderr, "tree run failed: %s\n", qPrintable(r.error));
        return 1;
    }
    if (r.objectsCreated > 0)
        std::printf("created %lld objects in %.2f s\n", static_cast<long long>(r.objectsCreated),
                    r.populateSeconds);
    printLoad("per topic", "", run.perTopicLoads());
    if (o.join)
        printLoad("batched join", "_join", run.batchedLoads());
    result("populate_s", r.populateSeconds);
    printMemory(o.hostPid);
    return 0;
}

int reportSwarm(const LoadOptions &o, const SwarmResult &r)
{
    if (!r.error.isEmpty()) {
        std::fprintf(stderr, "swarm run failed: %s\n", qPrintable(r.error));
        return 1;
    }
    const auto mb = [](qint64 kb) { return double(kb) / 1024; };
    std::printf("swarm: %d clients on %s\n", r.clients, qPrintable(r.topic));
    if (r.connectSeconds >= 0)
        std::printf("  all %d served (hello and init) %.1f ms after the first open()\n", r.clients,
                    r.connectSeconds * 1000);
    else
        std::printf("  %d served, %d failed; every client served or failed after %.1f ms\n",
                    r.served, r.failed, r.settleSeconds * 1000);
    const bool memory = r.rssBeforeKb >= 0 && r.rssAfterKb >= 0;
    if (memory) {
        std::printf("  host memory: %.1f MB resident before the swarm, %.1f MB after",
                    mb(r.rssBeforeKb), mb(r.rssAfterKb));
        if (r.connectSeconds >= 0)
            std::printf(": %.1f KB per connection",
                        double(r.rssAfterKb - r.rssBeforeKb) / r.clients);
        std::printf("\n");
    }
    if (r.connectSeconds >= 0) {
        std::printf("  fan-out: %d updates at %s to %d clients, %lld deliveries (%lld missing) in "
                    "%.2f s\n",
                    r.updates, o.rate > 0 ? qPrintable(QStringLiteral("%1/s").arg(o.rate)) : "once",
                    r.clients, static_cast<long long>(r.deliveries),
                    static_cast<long long>(r.missing), r.fanoutSeconds);
        std::printf("  latency to the clients: p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, max %.3f ms "
                    "(%llu samples)\n",
                    r.latency.percentile(0.5) / 1000, r.latency.percentile(0.9) / 1000,
                    r.latency.percentile(0.99) / 1000, double(r.latency.max()) / 1000,
                    static_cast<unsigned long long>(r.latency.count()));
        std::printf("  out of order: %lld\n", static_cast<long long>(r.outOfOrder));
    }
    if (r.failed > 0) {
        std::printf("  %d client(s) failed:\n", r.failed);
        constexpr qsizetype shown = 5;
        for (qsizetype i = 0; i < qMin(shown, r.failures.size()); ++i)
            std::printf("    %6d x %s\n", r.failures[i].second, qPrintable(r.failures[i].first));
        if (r.failures.size() > shown)
            std::printf("    ... and %lld other reason(s)\n",
                        static_cast<long long>(r.failures.size() - shown));
    }
    result("swarm_clients", r.clients);
    result("swarm_served", r.served);
    result("swarm_failed", r.failed);
    if (r.connectSeconds >= 0) {
        result("swarm_connect_ms", r.connectSeconds * 1000);
        result("swarm_fanout_p50_ms", r.latency.percentile(0.5) / 1000);
        result("swarm_fanout_p99_ms", r.latency.percentile(0.99) / 1000);
        result("swarm_fanout_max_ms", double(r.latency.max()) / 1000);
        result("swarm_deliveries", double(r.deliveries));
        result("swarm_missing", double(r.missing));
        result("swarm_out_of_order", double(r.outOfOrder));
    }
    if (memory) {
        result("host_rss_before_mb", mb(r.rssBeforeKb));
        result("host_rss_mb", mb(r.rssAfterKb));
        if (r.connectSeconds >= 0)
            result("rss_per_client_kb", double(r.rssAfterKb - r.rssBeforeKb) / r.clients);
        const ProcMemory end = readProcMemory(o.hostPid);
        if (end.peakKb >= 0)
            result("host_peak_mb", mb(end.peakKb));
    }
    const bool ok = r.failed == 0 && r.missing == 0 && r.outOfOrder == 0;
    std::fflush(stdout);
    if (!ok)
        std::fprintf(stderr,
                     "swarm run failed: %d client(s) failed, %lld deliveries missing, %lld "
                     "out of order\n",
                     r.failed, static_cast<long long>(r.missing),
                     static_cast<long long>(r.outOfOrder));
    return ok ? 0 : 1;
}

void reportRoomsPass(const char *what, const char *key, const RoomsPass &p)
{
    std::printf("  %s: %.2f s in all, %.3f ms per room (median of %lld batches; one room p50 "
                "%.3f ms, p99 %.3f ms, max %.3f ms)\n",
                what, p.seconds, p.medianBatchMs(), static_cast<long long>(p.batchMs.size()),
                p.room.percentile(0.5) / 1000, p.room.percentile(0.99) / 1000,
                double(p.room.max()) / 1000);
    QStringList batches;
    for (const double ms : p.batchMs)
        batches.append(QString::number(ms, 'f', 3));
    std::printf("    ms per room by batch: %s\n", qPrintable(batches.join(QLatin1Char(' '))));
    const auto named = [key](const char *name) { return QByteArray(key) + '_' + name; };
    result(named("s").constData(), p.seconds);
    result(named("ms").constData(), p.medianBatchMs());
    result(named("p50_ms").constData(), p.room.percentile(0.5) / 1000);
    result(named("p99_ms").constData(), p.room.percentile(0.99) / 1000);
    result(named("max_ms").constData(), double(p.room.max()) / 1000);
}

int reportRooms(const LoadOptions &o, const RoomsResult &r)
{
    if (!r.error.isEmpty()) {
        std::fprintf(stderr, "rooms run failed: %s\n", qPrintable(r.error));
        return 1;
    }
    std::printf("rooms: %d rooms from %s, one after the other, in batches of %d\n", r.rooms,
                qPrintable(roomUrl(o, 1).toString()), qMin(o.batch, r.rooms));
    reportRoomsPass("opened (the host builds each room)", "room_open", r.open);
    reportRoomsPass("joined again (open rooms: the connection alone)", "room_join", r.join);
    result("rooms", r.rooms);
    if (r.rssBeforeKb >= 0 && r.rssAfterKb >= 0) {
        const double perRoomKb = double(r.rssAfterKb - r.rssBeforeKb) / r.rooms;
        std::printf("  host memory: %.1f MB resident before, %.1f MB with the rooms open: %.1f KB "
                    "per room\n",
                    double(r.rssBeforeKb) / 1024, double(r.rssAfterKb) / 1024, perRoomKb);
        QStringList growth;
        qint64 previous = r.rssBeforeKb;
        for (const qint64 kb : r.open.rssAfterKb) {
            growth.append(QString::number(double(kb - previous) / 1024, 'f', 1));
            previous = kb;
        }
        std::printf("    MB added by batch: %s\n", qPrintable(growth.join(QLatin1Char(' '))));
        result("host_rss_before_mb", double(r.rssBeforeKb) / 1024);
        result("host_rss_mb", double(r.rssAfterKb) / 1024);
        result("rss_per_room_kb", perRoomKb);
    }
    return 0;
}

/*!
 * A swarm keeps thousands of sockets. Glib's event loop (Qt's default on Linux) removes a
 * socket notifier by scanning the list of all of them, and a Qt socket turns its write
 * notifier on and off around its writes: quadratic work that took most of the tool's CPU
 * time in a storm of 10,000 connections. Qt's own UNIX event loop keeps the notifiers in a
 * hash. It has to be chosen before the application object exists, hence the look at the
 * raw arguments; a wrong guess (a topic named "swarm") only changes the event loop.
 */
void preferUnixEventLoopForSwarm(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "swarm") == 0) {
            if (qEnvironmentVariableIsEmpty("QT_NO_GLIB"))
                qputenv("QT_NO_GLIB", "1");
            return;
        }
    }
}

/*! Whether this process may open the swarm's sockets; explains why not. */
bool swarmFits(const LoadOptions &o, qint64 fileLimit)
{
    constexpr qint64 margin = 64; // the writer, stdio, the event loop's own descriptors
    const qint64 needed = qint64(o.clients) + margin;
    if (fileLimit >= 0 && needed > fileLimit) {
        std::fprintf(stderr,
                     "a swarm of %d clients needs about %lld open files (one socket each, plus "
                     "%lld), but this process may open only %lld (RLIMIT_NOFILE, already raised "
                     "to the hard limit). Raise the hard limit (ulimit -Hn, limits.conf or "
                     "systemd's LimitNOFILE) or use fewer --clients.\n",
                     o.clients, static_cast<long long>(needed), static_cast<long long>(margin),
                     static_cast<long long>(fileLimit));
        return false;
    }
    const qint64 hostLimit = readProcOpenFilesLimit(o.hostPid);
    if (hostLimit >= 0 && needed > hostLimit)
        std::fprintf(stderr,
                     "warning: the host (pid %lld) may open only %lld files; %d connections "
                     "need more\n",
                     static_cast<long long>(o.hostPid), static_cast<long long>(hostLimit),
                     o.clients);
    return true;
}
} // namespace

int main(int argc, char **argv)
{
    const qint64 fileLimit = raiseOpenFilesLimit();
    preferUnixEventLoopForSwarm(argc, argv);
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("qt.*=false"));
    LoadOptions options;
    if (!parseLoadOptions(app.arguments(), &options))
        return 2;
    if (options.scenario == LoadOptions::Scenario::Swarm) {
        if (!swarmFits(options, fileLimit))
            return 2;
        SwarmRun run(options);
        QObject::connect(&run, &SwarmRun::finished, &app, &QCoreApplication::quit,
                         Qt::QueuedConnection);
        run.start();
        app.exec();
        return reportSwarm(options, run.result());
    }
    if (options.scenario == LoadOptions::Scenario::Rooms) {
        RoomsOpen run(options);
        QObject::connect(&run, &RoomsOpen::finished, &app, &QCoreApplication::quit,
                         Qt::QueuedConnection);
        run.start();
        app.exec();
        return reportRooms(options, run.result());
    }
    if (options.scenario == LoadOptions::Scenario::Tree) {
        TreeLoad run(options);
        QObject::connect(&run, &TreeLoad::finished, &app, &QCoreApplication::quit,
                         Qt::QueuedConnection);
        run.start();
        app.exec();
        return reportTree(options, run);
    }
    ThroughputRun run(options);
    QObject::connect(&run, &ThroughputRun::finished, &app, &QCoreApplication::quit,
                     Qt::QueuedConnection);
    run.start();
    app.exec();
    return reportThroughput(options, run.result());
}
