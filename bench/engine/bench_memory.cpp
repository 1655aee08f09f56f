// SPDX-License-Identifier: MIT
// Heap bytes per object with four attributes, measured with mallinfo2() (glibc).
#include "benchobject.h"

#include <benchmark/benchmark.h>

#include <malloc.h>
#include <memory>

using namespace objectsync;

namespace {

size_t heapInUse()
{
    const struct mallinfo2 info = mallinfo2();
    return info.uordblks + info.hblkhd;
}

void BM_MemoryPerObject(benchmark::State &state)
{
    const auto count = state.range(0);
    double withHistory = 0;
    double withDefaultHistory = 0;
    double withoutHistory = 0;
    for (auto _ : state) {
        {
            // Every creation kept in the undo history.
            auto engine = std::make_unique<Engine>();
            engine->registerType<BenchObject>();
            engine->setHistoryLimit(int(count) + 1);
            const size_t before = heapInUse();
            for (int64_t i = 0; i < count; ++i)
                engine->createObject<BenchObject>();
            const size_t after = heapInUse();
            engine->clearHistory();
            const size_t cleared = heapInUse();
            withHistory = double(after - before) / double(count);
            withoutHistory = double(cleared - before) / double(count);
        }
        {
            // The default history limit (the latest 1000 transitions per object).
            auto engine = std::make_unique<Engine>();
            engine->registerType<BenchObject>();
            const size_t before = heapInUse();
            for (int64_t i = 0; i < count; ++i)
                engine->createObject<BenchObject>();
            withDefaultHistory = double(heapInUse() - before) / double(count);
        }
    }
    state.counters["B/obj_all_history"] = withHistory;
    state.counters["B/obj_default_history"] = withDefaultHistory;
    state.counters["B/obj_no_history"] = withoutHistory;
}
BENCHMARK(BM_MemoryPerObject)->Arg(10000)->Iterations(1)->Unit(benchmark::kMillisecond);

} // namespace
