// SPDX-License-Identifier: MIT
// Committed transitions per second, in memory and with a journaling workspace, plus the
// cost of snapshots and of restoring. Run with --benchmark_repetitions=N for medians; the
// defaults below repeat every case 5 times and print only the aggregates.
#include <objectsync/objectsync.h>
#include <objectsync/workspace.h>

#include <QCoreApplication>
#include <QTemporaryDir>
#include <benchmark/benchmark.h>
#include <chrono>
#include <ctime>
#include <memory>

using namespace objectsync;

namespace {

/*! CPU time of the whole process (every thread), in seconds. */
double processCpu()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

/*! CPU time of the calling thread (the engine's), in seconds. */
double threadCpu()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

class Card : public SObject
{
    OBJECTSYNC_OBJECT(Card, "card")
public:
    StringTopic *text = nullptr;
    DictTopic *style = nullptr;
    FloatTopic *x = nullptr;
    FloatTopic *y = nullptr;
    ListTopic *items = nullptr;

protected:
    void preBuild(const QJsonObject &) override
    {
        text = addAttribute<StringTopic>(QStringLiteral("text"), QStringLiteral("a card"));
        style = addAttribute<DictTopic>(
            QStringLiteral("style"), QJsonObject{{QStringLiteral("color"), QStringLiteral("red")}});
        x = addAttribute<FloatTopic>(QStringLiteral("x"));
        y = addAttribute<FloatTopic>(QStringLiteral("y"));
        items = addAttribute<ListTopic>(QStringLiteral("items"));
    }
};

enum Mode { InMemory = 0, ProcessCrash = 1, PowerLoss = 2 };
enum Payload { SmallChange = 0, NewObject = 1 };

/*! An engine, and a workspace unless in memory. */
struct Setup
{
    explicit Setup(Mode mode)
    {
        engine.registerType<Card>();
        if (mode == InMemory)
            return;
        workspace = std::make_unique<Workspace>(&engine);
        workspace->setDurability(mode == PowerLoss ? Workspace::Durability::PowerLoss
                                                   : Workspace::Durability::ProcessCrash);
        workspace->setSnapshotInterval(0); // measured separately
        if (const Result<void> opened = workspace->open(dir.filePath(QStringLiteral("bench.osw")));
            !opened)
            qFatal("%s", qPrintable(opened.errorMessage()));
    }
    QTemporaryDir dir;
    Engine engine;
    std::unique_ptr<Workspace> workspace;
};

/*!
 * One iteration: 20000 small (or 2000 object-creating) committed transitions in event-loop
 * turns of range(2) transitions each, then (with a workspace) flush(), so that the time
 * includes making all of them durable.
 * range(0): Mode, range(1): Payload.
 */
void BM_Commit(benchmark::State &state)
{
    const auto mode = Mode(state.range(0));
    const auto payload = Payload(state.range(1));
    const int perTurn = int(state.range(2));
    // Long enough that the final flush is a small part: this is the sustained rate.
    const int perIteration = payload == SmallChange ? 20000 : 2000;
    Setup s(mode);
    auto *card = s.engine.createObject<Card>();
    auto *counter = s.engine.addTopic<IntTopic>(QStringLiteral("counter"));
    qint64 n = 0;
    double cpu = 0;
    double engineCpu = 0;
    for (auto _ : state) {
        const double cpuStart = processCpu();
        const double engineCpuStart = threadCpu();
        const auto start = std::chrono::steady_clock::now();
        for (int done = 0; done < perIteration; done += perTurn) {
            for (int i = 0; i < perTurn; ++i) {
                ++n;
                if (payload == SmallChange) {
                    counter->set(n);
                } else {
                    // A create (a dozen changes) and, later, a destroy.
                    auto *c = s.engine.createObject<Card>(card);
                    c->x->set(double(n));
                    if (card->children().size() > 50)
                        s.engine.destroyObject(card->children().first());
                }
            }
            QCoreApplication::processEvents();
        }
        if (s.workspace && !s.workspace->flush())
            state.SkipWithError("flush failed");
        const auto end = std::chrono::steady_clock::now();
        cpu += processCpu() - cpuStart;
        engineCpu += threadCpu() - engineCpuStart;
        state.SetIterationTime(std::chrono::duration<double>(end - start).count());
    }
    state.SetItemsProcessed(state.iterations() * perIteration);
    // Transitions per CPU-second of the whole process (both threads): steadier than the
    // wall-clock rate on a shared machine.
    const double items = double(state.iterations() * perIteration);
    state.counters["per_cpu_second"] = items / cpu;
    // CPU per transition on the engine's thread and on the journal's writer thread. With a
    // core for each, the rate is bounded by the larger of the two.
    state.counters["engine_us"] = engineCpu / items * 1e6;
    if (s.workspace)
        state.counters["writer_us"] = (cpu - engineCpu) / items * 1e6;
    static const char *const modeNames[] = {"memory", "journal-process-crash",
                                            "journal-power-loss"};
    static const char *const payloadNames[] = {"small-change", "object-create"};
    state.SetLabel(std::string(modeNames[mode]) + "/" + payloadNames[payload]);
}

void commitArgs(benchmark::internal::Benchmark *b)
{
    for (int payload : {SmallChange, NewObject})
        for (int perTurn : {1, 100})
            for (int mode : {InMemory, ProcessCrash, PowerLoss})
                b->Args({mode, payload, perTurn});
}
BENCHMARK(BM_Commit)
    ->Apply(commitArgs)
    ->ArgNames({"mode", "payload", "per_turn"})
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond)
    ->MinTime(0.5)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);

/*! Taking a snapshot of range(0) cards and compacting (synchronous: snapshot() waits). */
void BM_Snapshot(benchmark::State &state)
{
    Setup s(ProcessCrash);
    for (int i = 0; i < state.range(0); ++i)
        s.engine.createObject<Card>();
    if (!s.workspace->flush())
        state.SkipWithError("flush failed");
    auto *counter = s.engine.addTopic<IntTopic>(QStringLiteral("counter"));
    for (auto _ : state) {
        counter->add(1);
        if (!s.workspace->snapshot())
            state.SkipWithError("snapshot failed");
    }
}
BENCHMARK(BM_Snapshot)
    ->Arg(1000)
    ->Arg(10000)
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);

/*! Opening a workspace: range(0) cards, restored from a snapshot (range(1) = 1) or by
 *  replaying the journal of their creation (range(1) = 0). */
void BM_Restore(benchmark::State &state)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("restore.osw"));
    const QString image = dir.filePath(QStringLiteral("image.osw"));
    {
        Engine engine;
        engine.registerType<Card>();
        Workspace ws(&engine);
        ws.setSnapshotInterval(0);
        ws.setDurability(Workspace::Durability::ProcessCrash);
        if (!ws.open(path)) {
            state.SkipWithError("open failed");
            return;
        }
        for (int i = 0; i < state.range(0); ++i)
            engine.createObject<Card>()->x->set(double(i));
        if (!ws.flush()) {
            state.SkipWithError("flush failed");
            return;
        }
        if (state.range(1) == 1) {
            ws.close(); // with a snapshot
            QFile::copy(path, image);
        } else {
            for (const char *suffix : {"", "-wal"}) // as a crash leaves it
                QFile::copy(path + QLatin1String(suffix), image + QLatin1String(suffix));
        }
    }
    for (auto _ : state) {
        Engine engine;
        engine.registerType<Card>();
        Workspace ws(&engine);
        ws.setSnapshotInterval(0);
        if (!ws.open(image))
            state.SkipWithError("open failed");
        benchmark::DoNotOptimize(engine.objectCount());
        state.PauseTiming();
        ws.close(); // not measured; closes without writing (nothing changed)
        state.ResumeTiming();
    }
    state.SetLabel(state.range(1) == 1 ? "from snapshot" : "from journal");
}
BENCHMARK(BM_Restore)
    ->Args({1000, 1})
    ->Args({1000, 0})
    ->Args({10000, 1})
    ->Args({10000, 0})
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);

} // namespace

int main(int argc, char **argv)
{
    benchmark::Initialize(&argc, argv);
    QCoreApplication app(argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
