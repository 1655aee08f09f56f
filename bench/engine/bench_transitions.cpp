// SPDX-License-Identifier: MIT
// Committed transitions per second: one change per transition, undo history on.
#include "benchobject.h"

#include <benchmark/benchmark.h>

using namespace objectsync;

namespace {

void BM_IntSetTransition(benchmark::State &state)
{
    Engine engine;
    auto *object = engine.createObject<BenchObject>();
    qint64 i = 0;
    for (auto _ : state)
        object->count->set(++i);
    benchmark::DoNotOptimize(object->count->get());
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_IntSetTransition);

void BM_IntSetTransitionWithObserver(benchmark::State &state)
{
    // The same with a connected transitionCommitted receiver, as the network layer has.
    Engine engine;
    auto *object = engine.createObject<BenchObject>();
    quint64 seen = 0;
    QObject::connect(&engine, &Engine::transitionCommitted,
                     [&seen](const TransitionPtr &t) { seen += t->changes.size(); });
    qint64 i = 0;
    for (auto _ : state)
        object->count->set(++i);
    benchmark::DoNotOptimize(seen);
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_IntSetTransitionWithObserver);

void BM_DictChangeValueTransition(benchmark::State &state)
{
    Engine engine;
    auto *object = engine.createObject<BenchObject>();
    const QString key = QStringLiteral("left");
    object->style->add(key, 0);
    qint64 i = 0;
    for (auto _ : state)
        object->style->changeValue(key, double(++i));
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DictChangeValueTransition);

void BM_StringInsertTransition(benchmark::State &state)
{
    Engine engine;
    auto *object = engine.createObject<BenchObject>();
    const QString letter = QStringLiteral("a");
    qint64 n = 0;
    for (auto _ : state) {
        if (++n == 4096) { // keep the text short
            state.PauseTiming();
            object->label->set(QString());
            n = 0;
            state.ResumeTiming();
        }
        object->label->insert(object->label->get().size(), letter);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_StringInsertTransition);

void BM_UndoRedoPair(benchmark::State &state)
{
    Engine engine;
    auto *object = engine.createObject<BenchObject>();
    object->count->set(1);
    for (auto _ : state) {
        benchmark::DoNotOptimize(engine.undo(object).ok());
        benchmark::DoNotOptimize(engine.redo(object).ok());
    }
    state.SetItemsProcessed(state.iterations() * 2);
}
BENCHMARK(BM_UndoRedoPair);

} // namespace
