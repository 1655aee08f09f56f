// SPDX-License-Identifier: MIT
// objectsync-load: drives an ObjectSync host on 127.0.0.1 and prints what it measured, as
// readable lines and as "result.<name>=<value>" lines for scripts.
#include "loadoptions.h"
#include "procstatus.h"
#include "throughput.h"
#include "treeload.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <cstdio>

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

int reportTree(const LoadOptions &o, const TreeResult &r)
{
    if (!r.error.isEmpty()) {
        std::fprintf(stderr, "tree run failed: %s\n", qPrintable(r.error));
        return 1;
    }
    if (r.objectsCreated > 0)
        std::printf("created %lld objects in %.2f s\n", static_cast<long long>(r.objectsCreated),
                    r.populateSeconds);
    std::printf("tree: %lld objects, %lld topics loaded in %.1f ms (topic list after %.1f ms), "
                "%.2f MB in %lld messages\n",
                static_cast<long long>(r.objects), static_cast<long long>(r.topics),
                r.seconds * 1000, r.listSeconds * 1000, double(r.bytes) / 1e6,
                static_cast<long long>(r.frames));
    result("tree_objects", double(r.objects));
    result("tree_topics", double(r.topics));
    result("tree_load_ms", r.seconds * 1000);
    result("tree_list_ms", r.listSeconds * 1000);
    result("tree_mb", double(r.bytes) / 1e6);
    result("populate_s", r.populateSeconds);
    printMemory(o.hostPid);
    return 0;
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("qt.*=false"));
    LoadOptions options;
    if (!parseLoadOptions(app.arguments(), &options))
        return 2;
    if (options.scenario == LoadOptions::Scenario::Tree) {
        TreeLoad run(options);
        QObject::connect(&run, &TreeLoad::finished, &app, &QCoreApplication::quit,
                         Qt::QueuedConnection);
        run.start();
        app.exec();
        return reportTree(options, run.result());
    }
    ThroughputRun run(options);
    QObject::connect(&run, &ThroughputRun::finished, &app, &QCoreApplication::quit,
                     Qt::QueuedConnection);
    run.start();
    app.exec();
    return reportThroughput(options, run.result());
}
