// SPDX-License-Identifier: MIT
// Creating objects with four attributes: one transition per object, undo history on.
#include "benchobject.h"

#include <benchmark/benchmark.h>

#include <memory>

using namespace objectsync;

namespace {

void BM_CreateObjects(benchmark::State &state)
{
    const auto count = state.range(0);
    for (auto _ : state) {
        state.PauseTiming();
        auto engine = std::make_unique<Engine>();
        engine->registerType<BenchObject>();
        state.ResumeTiming();
        for (int64_t i = 0; i < count; ++i)
            engine->createObject<BenchObject>();
        state.PauseTiming();
        engine.reset();
        state.ResumeTiming();
    }
    state.SetItemsProcessed(state.iterations() * count);
    state.SetComplexityN(count);
}
BENCHMARK(BM_CreateObjects)
    ->Arg(1000)
    ->Arg(10000)
    ->Arg(50000)
    ->Unit(benchmark::kMillisecond)
    ->Complexity(benchmark::oN);

void BM_CreateObjectsOneTransition(benchmark::State &state)
{
    const auto count = state.range(0);
    for (auto _ : state) {
        state.PauseTiming();
        auto engine = std::make_unique<Engine>();
        engine->registerType<BenchObject>();
        state.ResumeTiming();
        {
            auto t = engine->transaction();
            for (int64_t i = 0; i < count; ++i)
                engine->createObject<BenchObject>();
        }
        state.PauseTiming();
        engine.reset();
        state.ResumeTiming();
    }
    state.SetItemsProcessed(state.iterations() * count);
}
BENCHMARK(BM_CreateObjectsOneTransition)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_CreateObjectsUnderParents(benchmark::State &state)
{
    // A tree 3 levels deep: the history is then kept by several ancestors.
    const auto count = state.range(0);
    for (auto _ : state) {
        state.PauseTiming();
        auto engine = std::make_unique<Engine>();
        QList<SObject *> parents;
        for (int i = 0; i < 10; ++i) {
            SObject *p = engine->createObject<BenchObject>();
            for (int j = 0; j < 10; ++j)
                parents.append(engine->createObject<BenchObject>(p));
        }
        state.ResumeTiming();
        for (int64_t i = 0; i < count; ++i)
            engine->createObject<BenchObject>(parents.at(i % parents.size()));
        state.PauseTiming();
        engine.reset();
        state.ResumeTiming();
    }
    state.SetItemsProcessed(state.iterations() * count);
}
BENCHMARK(BM_CreateObjectsUnderParents)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_DestroyObjects(benchmark::State &state)
{
    const auto count = state.range(0);
    for (auto _ : state) {
        state.PauseTiming();
        auto engine = std::make_unique<Engine>();
        QList<SObject *> objects;
        for (int64_t i = 0; i < count; ++i)
            objects.append(engine->createObject<BenchObject>());
        state.ResumeTiming();
        for (SObject *o : std::as_const(objects))
            engine->destroyObject(o);
        state.PauseTiming();
        engine.reset();
        state.ResumeTiming();
    }
    state.SetItemsProcessed(state.iterations() * count);
}
BENCHMARK(BM_DestroyObjects)->Arg(10000)->Unit(benchmark::kMillisecond);

} // namespace
