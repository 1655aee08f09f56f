// SPDX-License-Identifier: MIT
// Event-loop latency of the live inspector under load.
//
// Builds a tree of objects (default 10,000), shows the inspector window (offscreen unless a
// platform is chosen), expands part of the tree and selects an object, then makes changes at
// a steady rate (default 1,000 per second) from a timer: mostly attribute edits, some
// creations, destructions and moves. A second, periodic timer measures how late it fires;
// its lateness is the event-loop latency a user would feel. Prints p50, p99 and max.
//
//   bench_inspector [--objects N] [--rate R] [--seconds S] [--probe-ms P] [--seed X]
//                   [--no-window]
//
// --no-window runs the same load without the inspector: the latency the machine itself adds
// (other processes, the engine's own work), to read the inspector's figures against.
#include <objectsync/inspectorwindow.h>
#include <objectsync/objectsync.h>

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <memory>
#include <vector>

using namespace objectsync;

namespace {

class BenchItem : public SObject
{
    OBJECTSYNC_OBJECT(BenchItem, "bench-item")
public:
    StringTopic *label = nullptr;
    IntTopic *value = nullptr;
    FloatTopic *weight = nullptr;
    DictTopic *style = nullptr;

protected:
    void preBuild(const QJsonObject &) override
    {
        label = addAttribute<StringTopic>(QStringLiteral("label"), QStringLiteral("item"));
        value = addAttribute<IntTopic>(QStringLiteral("value"), 0);
        weight = addAttribute<FloatTopic>(QStringLiteral("weight"), 1.0);
        style = addAttribute<DictTopic>(
            QStringLiteral("style"), QJsonObject{{QStringLiteral("color"), QStringLiteral("red")}});
    }
};

class BenchGroup : public SObject
{
    OBJECTSYNC_OBJECT(BenchGroup, "bench-group")
public:
    StringTopic *title = nullptr;

protected:
    void preBuild(const QJsonObject &) override
    {
        title = addAttribute<StringTopic>(QStringLiteral("title"), QStringLiteral("group"));
    }
};

double percentile(std::vector<double> sorted, double p)
{
    if (sorted.empty())
        return 0;
    std::sort(sorted.begin(), sorted.end());
    const size_t i = std::min(sorted.size() - 1, size_t(p / 100.0 * double(sorted.size())));
    return sorted[i];
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Event-loop latency of the inspector under load"));
    parser.addHelpOption();
    const QCommandLineOption objectsOption(QStringLiteral("objects"),
                                           QStringLiteral("objects in the tree"),
                                           QStringLiteral("n"), QStringLiteral("10000"));
    const QCommandLineOption rateOption(QStringLiteral("rate"),
                                        QStringLiteral("changes per second"), QStringLiteral("n"),
                                        QStringLiteral("1000"));
    const QCommandLineOption secondsOption(QStringLiteral("seconds"),
                                           QStringLiteral("measured seconds"), QStringLiteral("s"),
                                           QStringLiteral("10"));
    const QCommandLineOption probeOption(QStringLiteral("probe-ms"),
                                         QStringLiteral("interval of the latency probe"),
                                         QStringLiteral("ms"), QStringLiteral("5"));
    const QCommandLineOption seedOption(QStringLiteral("seed"), QStringLiteral("random seed"),
                                        QStringLiteral("n"), QStringLiteral("1"));
    const QCommandLineOption noWindowOption(
        QStringLiteral("no-window"),
        QStringLiteral("run the same load without the inspector (the machine's own latency)"));
    parser.addOptions(
        {objectsOption, rateOption, secondsOption, probeOption, seedOption, noWindowOption});
    parser.process(app);
    const int objectCount = qMax(2, parser.value(objectsOption).toInt());
    const int rate = qMax(1, parser.value(rateOption).toInt());
    const int seconds = qMax(1, parser.value(secondsOption).toInt());
    const int probeMs = qMax(1, parser.value(probeOption).toInt());
    QRandomGenerator rng(parser.value(seedOption).toUInt());

    // The tree: groups of 100 objects under the root.
    Engine engine;
    engine.setHistoryLimit(100);
    std::vector<BenchGroup *> groups;
    std::vector<QString> items;
    QElapsedTimer clock;
    clock.start();
    {
        auto t = engine.transaction();
        const int groupCount = qMax(1, objectCount / 100);
        for (int g = 0; g < groupCount; ++g)
            groups.push_back(engine.createObject<BenchGroup>());
        for (int i = groupCount; i < objectCount; ++i)
            items.push_back(
                engine.createObject<BenchItem>(groups[size_t(i) % groups.size()])->id());
    }
    std::printf("built %lld objects in %lld ms\n", qlonglong(engine.objectCount()),
                clock.elapsed());

    // A realistic view: a few groups open, an object selected (its attributes live).
    std::unique_ptr<InspectorWindow> window;
    const QString selected = items.at(0);
    if (!parser.isSet(noWindowOption)) {
        window = std::make_unique<InspectorWindow>(&engine);
        window->resize(1400, 900);
        window->show();
        for (size_t g = 0; g < 3 && g < groups.size(); ++g)
            if (!groups[g]->children().isEmpty())
                window->selectObject(groups[g]->children().first()->id());
        window->selectObject(selected);
    }
    clock.restart();
    while (clock.elapsed() < 500)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);

    // One big transition while the window shows the tree: 1,000 objects into an open group.
    {
        clock.restart();
        {
            auto t = engine.transaction();
            for (int i = 0; i < 1000; ++i)
                items.push_back(engine.createObject<BenchItem>(groups.front())->id());
        }
        const qint64 engineMs = clock.elapsed();
        QCoreApplication::processEvents();
        QCoreApplication::processEvents();
        std::printf(
            "one transition creating 1000 objects in an open group: engine %lld ms, applied to the "
            "views after %lld ms\n",
            engineMs, clock.elapsed());
    }

    // The load: `rate` changes per second, caught up on every tick of a 1 ms timer.
    qint64 done = 0;
    qint64 refused = 0;
    QElapsedTimer loadClock;
    const auto change = [&] {
        const quint32 r = rng.bounded(100);
        const auto randomItem = [&]() -> BenchItem * {
            if (rng.bounded(20) == 0)
                if (auto *o = engine.objectAs<BenchItem>(selected))
                    return o;
            for (int tries = 0; tries < 8 && !items.empty(); ++tries) {
                const size_t i = rng.bounded(quint32(items.size()));
                if (auto *o = engine.objectAs<BenchItem>(items[i]))
                    return o;
                items[i] = items.back();
                items.pop_back();
            }
            return nullptr;
        };
        BenchItem *item = randomItem();
        BenchGroup *group = groups[rng.bounded(quint32(groups.size()))];
        Result<void> outcome;
        if (r < 88 && item) {
            outcome = engine.tryTransition([&] {
                switch (rng.bounded(4)) {
                case 0:
                    item->value->add(1);
                    break;
                case 1:
                    item->label->set(QStringLiteral("label %1").arg(rng.bounded(1000)));
                    break;
                case 2:
                    item->weight->set(rng.generateDouble());
                    break;
                default:
                    item->style->changeValue(QStringLiteral("color"),
                                             QStringLiteral("c%1").arg(rng.bounded(100)));
                }
            });
        } else if (r < 92) {
            outcome = engine.tryTransition(
                [&] { items.push_back(engine.createObject<BenchItem>(group)->id()); });
        } else if (r < 96 && item && item->id() != selected) {
            outcome = engine.tryTransition([&] { engine.destroyObject(item); });
        } else if (item) {
            outcome = engine.tryTransition([&] { engine.moveObject(item, group); });
        }
        refused += outcome ? 0 : 1;
        ++done;
    };
    QTimer load;
    load.setTimerType(Qt::PreciseTimer);
    load.setInterval(1);
    QObject::connect(&load, &QTimer::timeout, [&] {
        const qint64 due = loadClock.elapsed() * rate / 1000;
        for (int n = 0; done < due && n < 200; ++n)
            change();
    });

    // The probe: how late a periodic timer fires.
    std::vector<double> lateness;
    QElapsedTimer probeClock;
    qint64 lastFire = -1;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(probeMs);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const qint64 now = probeClock.nsecsElapsed();
        if (lastFire >= 0)
            lateness.push_back(qMax(0.0, double(now - lastFire) / 1e6 - probeMs));
        lastFire = now;
    });

    QTimer stop;
    stop.setSingleShot(true);
    QObject::connect(&stop, &QTimer::timeout, &app, &QCoreApplication::quit);

    quint64 transitions = 0;
    QObject::connect(&engine, &Engine::transitionCommitted, [&] { ++transitions; });
    loadClock.start();
    probeClock.start();
    load.start();
    probe.start();
    stop.start(seconds * 1000);
    app.exec();

    const double elapsed = double(loadClock.elapsed()) / 1000.0;
    std::printf("inspector: %s, objects at the end: %lld\n", window ? "shown" : "none",
                qlonglong(engine.objectCount()));
    std::printf("changes: %lld in %.1f s (%.0f/s, %lld refused), transitions committed: %llu\n",
                qlonglong(done), elapsed, double(done) / elapsed, qlonglong(refused),
                static_cast<unsigned long long>(transitions));
    std::printf("event-loop latency (lateness of a %d ms timer, %zu samples): p50 %.2f ms, "
                "p99 %.2f ms, max %.2f ms\n",
                probeMs, lateness.size(), percentile(lateness, 50), percentile(lateness, 99),
                lateness.empty() ? 0.0 : *std::max_element(lateness.begin(), lateness.end()));
    return 0;
}
