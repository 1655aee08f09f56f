// SPDX-License-Identifier: MIT
// Used by tst_workspacecrash: opens a workspace, commits transitions in a loop and prints
// the number of each one ("ack N") once durable() has announced it, until it is killed.
//
// Every transition k appends k to the plain list topic "items" and sets "last" to k; every
// 7th also creates a Note "n<k>" through create_object, every 10th destroys the oldest Note. After
// a restart it continues from the restored state.
#include "storagetestutil.h"

#include <objectsync/workspace.h>

#include <QCoreApplication>
#include <QTimer>
#include <cstdio>
#include <map>

using namespace objectsync;
using namespace storagetest;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc < 2) {
        std::fprintf(stderr, "usage: workspace_crash_helper WORKSPACE\n");
        return 2;
    }
    Engine engine;
    registerTypes(engine);
    Workspace workspace(&engine);
    workspace.setSnapshotInterval(25);
    if (const Result<void> opened = workspace.open(QString::fromLocal8Bit(argv[1])); !opened) {
        std::fprintf(stderr, "open failed: %s\n", qPrintable(opened.errorMessage()));
        return 3;
    }
    for (const QString &w : workspace.warnings())
        std::fprintf(stderr, "warning: %s\n", qPrintable(w));
    auto *items = engine.topicAs<ListTopic>(QStringLiteral("items"));
    if (!items)
        items = engine.addTopic<ListTopic>(QStringLiteral("items"));
    auto *last = engine.topicAs<IntTopic>(QStringLiteral("last"));
    if (!last)
        last = engine.addTopic<IntTopic>(QStringLiteral("last"));
    qint64 k = last->get();

    std::map<quint64, qint64> numberOf; // engine sequence -> transition number
    QObject::connect(&engine, &Engine::transitionCommitted, &app,
                     [&](const TransitionPtr &t) { numberOf[t->sequence] = k; });
    QObject::connect(&workspace, &Workspace::durable, &app, [&](quint64 sequence) {
        while (!numberOf.empty() && numberOf.begin()->first <= sequence) {
            std::printf("ack %lld\n", static_cast<long long>(numberOf.begin()->second));
            numberOf.erase(numberOf.begin());
        }
        std::fflush(stdout);
    });
    QObject::connect(&workspace, &Workspace::failed, &app, [](const QString &message) {
        std::fprintf(stderr, "failed: %s\n", qPrintable(message));
        QCoreApplication::exit(4);
    });

    auto *create = engine.topicAs<EventTopic>(QStringLiteral("create_object"));
    auto *destroy = engine.topicAs<EventTopic>(QStringLiteral("destroy_object"));
    QTimer tick;
    QObject::connect(&tick, &QTimer::timeout, &app, [&] {
        for (int i = 0; i < 3; ++i) {
            const QString error =
                engine
                    .tryTransition([&] {
                        ++k;
                        items->append(k);
                        last->set(k);
                        if (k % 7 == 0)
                            create->emitEvent(
                                {{QStringLiteral("type"), QStringLiteral("Note")},
                                 {QStringLiteral("id"), QStringLiteral("n%1").arg(k)}});
                        if (k % 10 == 0 && !engine.root()->children().isEmpty())
                            destroy->emitEvent(
                                {{QStringLiteral("id"), engine.root()->children().first()->id()}});
                    })
                    .errorMessage();
            if (!error.isEmpty()) {
                std::fprintf(stderr, "transition failed: %s\n", qPrintable(error));
                QCoreApplication::exit(5);
                return;
            }
        }
    });
    tick.start(0);
    return app.exec();
}
