// SPDX-License-Identifier: MIT
#include "loadoptions.h"

#include <QCommandLineParser>
#include <cstdio>

bool parseLoadOptions(const QStringList &arguments, LoadOptions *o)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Drives an ObjectSync host (any server speaking the protocol) on 127.0.0.1 and reports "
        "what it measured.\n\n"
        "Scenarios:\n"
        "  throughput  writers send `set` actions carrying their send time; subscribers receive "
        "them.\n              Reports actions/s, deliveries/s and latency from sender to every "
        "receiver.\n"
        "  tree        creates --objects objects, then times a new client loading the tree "
        "(topic list,\n              _objects, every parent_id/ and a/ topic) and counts its "
        "bytes.\n"
        "  swarm       a writer prepares a topic; --clients connections open at once and "
        "subscribe to it.\n              Reports the time until all are served, the host's "
        "memory per connection,\n              and the latency of --updates updates fanned out "
        "to all of them.\n"
        "  rooms       opens --rooms rooms one after the other (each by a connection that "
        "leaves once\n              its hello has arrived), then joins each again. Reports the "
        "time per room\n              and the host's memory per room.\n\n"
        "--rooms N names rooms by a number appended to the URL's path: --url\n"
        "ws://127.0.0.1:8765/rooms/bg- --rooms 100 uses /rooms/bg-1 to /rooms/bg-100 (a URL "
        "without a\npath: /rooms/1 to /rooms/N). In throughput, writer and subscriber i go to "
        "room i mod N + 1,\nand subscribers receive the writers of their own room."));
    p.addHelpOption();
    p.addPositionalArgument(QStringLiteral("scenario"),
                            QStringLiteral("throughput, tree, swarm or rooms"));
    const QCommandLineOption url(QStringLiteral("url"),
                                 QStringLiteral("Host URL (default ws://127.0.0.1:8765)."),
                                 QStringLiteral("url"));
    const QCommandLineOption hostPid(QStringLiteral("host-pid"),
                                     QStringLiteral("Report the resident memory of this process."),
                                     QStringLiteral("pid"));
    const QCommandLineOption rooms(
        QStringLiteral("rooms"),
        QStringLiteral("Use rooms 1 to <n>: the URL's path with the number appended (rooms: how "
                       "many to open; default 1000)."),
        QStringLiteral("n"));
    const QCommandLineOption subscribers(QStringLiteral("subscribers"),
                                         QStringLiteral("Receiving clients (default 1)."),
                                         QStringLiteral("n"));
    const QCommandLineOption writers(QStringLiteral("writers"),
                                     QStringLiteral("Sending clients (default 1)."),
                                     QStringLiteral("n"));
    const QCommandLineOption duration(QStringLiteral("duration"),
                                      QStringLiteral("Seconds measured (default 5)."),
                                      QStringLiteral("s"));
    const QCommandLineOption warmup(QStringLiteral("warmup"),
                                    QStringLiteral("Seconds before measuring (default 1)."),
                                    QStringLiteral("s"));
    const QCommandLineOption rate(
        QStringLiteral("rate"),
        QStringLiteral("Actions per second over all writers (default: as fast as "
                       "the window allows; swarm: 20, 0 sends all updates at once)."),
        QStringLiteral("n"));
    const QCommandLineOption window(
        QStringLiteral("window"),
        QStringLiteral("Unanswered actions per writer at most (default 32)."), QStringLiteral("n"));
    const QCommandLineOption topic(
        QStringLiteral("topic"),
        QStringLiteral("Write this existing int, float, generic or string topic."),
        QStringLiteral("name"));
    const QCommandLineOption type(
        QStringLiteral("type"),
        QStringLiteral("Each writer creates an object of this type (default LoadObject) ..."),
        QStringLiteral("name"));
    const QCommandLineOption attr(
        QStringLiteral("attr"),
        QStringLiteral("... and writes this attribute of it (default value)."),
        QStringLiteral("name"));
    const QCommandLineOption objects(QStringLiteral("objects"),
                                     QStringLiteral("Objects in the tree (default 10000)."),
                                     QStringLiteral("n"));
    const QCommandLineOption noPopulate(
        QStringLiteral("no-populate"),
        QStringLiteral("The host has the tree already; only load it."));
    const QCommandLineOption batch(
        QStringLiteral("batch"),
        QStringLiteral("create_object commands per action; rooms: rooms per timed batch (default "
                       "100)."),
        QStringLiteral("n"));
    const QCommandLineOption tags(QStringLiteral("tags"),
                                  QStringLiteral("Also load the tags/ topics."));
    const QCommandLineOption join(
        QStringLiteral("join"),
        QStringLiteral("Tree: also load with the batched join (subscribe_many), each round."));
    const QCommandLineOption rounds(
        QStringLiteral("rounds"),
        QStringLiteral("Tree: loads per path, one after the other; medians (default 1)."),
        QStringLiteral("n"));
    const QCommandLineOption clients(
        QStringLiteral("clients"),
        QStringLiteral("Swarm: connections opened at once (default 1000)."), QStringLiteral("n"));
    const QCommandLineOption updates(
        QStringLiteral("updates"),
        QStringLiteral("Swarm: updates fanned out to every client (default 200)."),
        QStringLiteral("n"));
    const QCommandLineOption timeout(
        QStringLiteral("setup-timeout"),
        QStringLiteral("Seconds allowed for connecting and preparing (default 60); swarm: "
                       "also for the swarm to be served and for the last updates to arrive."),
        QStringLiteral("s"));
    p.addOptions({url,   hostPid, rooms, subscribers, writers, duration, warmup,
                  rate,  window,  topic, type,        attr,    objects,  noPopulate,
                  batch, tags,    join,  rounds,      clients, updates,  timeout});
    if (!p.parse(arguments)) {
        std::fprintf(stderr, "%s\n", qPrintable(p.errorText()));
        return false;
    }
    if (p.isSet(QStringLiteral("help"))) {
        std::printf("%s", qPrintable(p.helpText()));
        return false;
    }
    const QStringList pos = p.positionalArguments();
    const QString scenario = pos.value(0);
    if (pos.size() != 1 ||
        (scenario != QLatin1String("throughput") && scenario != QLatin1String("tree") &&
         scenario != QLatin1String("swarm") && scenario != QLatin1String("rooms"))) {
        std::fprintf(stderr, "name one scenario: throughput, tree, swarm or rooms (see --help)\n");
        return false;
    }
    o->scenario = scenario == QLatin1String("tree")    ? LoadOptions::Scenario::Tree
                  : scenario == QLatin1String("swarm") ? LoadOptions::Scenario::Swarm
                  : scenario == QLatin1String("rooms") ? LoadOptions::Scenario::Rooms
                                                       : LoadOptions::Scenario::Throughput;
    if (o->scenario == LoadOptions::Scenario::Swarm)
        o->rate = 20;
    if (o->scenario == LoadOptions::Scenario::Rooms)
        o->rooms = 1000;
    bool ok = true;
    const auto number = [&](const QCommandLineOption &opt, auto current) {
        if (!p.isSet(opt))
            return current;
        bool good = false;
        const double v = p.value(opt).toDouble(&good);
        if (!good || v < 0) {
            std::fprintf(stderr, "--%s needs a non-negative number\n",
                         qPrintable(opt.names().first()));
            ok = false;
            return current;
        }
        return decltype(current)(v);
    };
    if (p.isSet(url))
        o->url = QUrl(p.value(url));
    o->hostPid = number(hostPid, o->hostPid);
    o->rooms = number(rooms, o->rooms);
    o->subscribers = number(subscribers, o->subscribers);
    o->writers = qMax(1, number(writers, o->writers));
    o->durationS = number(duration, o->durationS);
    o->warmupS = number(warmup, o->warmupS);
    o->rate = number(rate, o->rate);
    o->window = qMax(1, number(window, o->window));
    if (p.isSet(topic))
        o->topic = p.value(topic);
    if (p.isSet(type))
        o->type = p.value(type);
    if (p.isSet(attr))
        o->attr = p.value(attr);
    o->objects = number(objects, o->objects);
    o->populate = !p.isSet(noPopulate);
    o->batch = qMax(1, number(batch, o->batch));
    o->tags = p.isSet(tags);
    o->join = p.isSet(join);
    if (p.isSet(rounds))
        o->rounds = qMax(1, p.value(rounds).toInt());
    o->setupTimeoutS = number(timeout, o->setupTimeoutS);
    o->clients = number(clients, o->clients);
    o->updates = number(updates, o->updates);
    if (o->scenario == LoadOptions::Scenario::Rooms && o->rooms < 1) {
        std::fprintf(stderr, "--rooms needs at least 1\n");
        ok = false;
    }
    if (o->rooms > 0 && (o->scenario == LoadOptions::Scenario::Tree ||
                         o->scenario == LoadOptions::Scenario::Swarm)) {
        std::fprintf(stderr, "--rooms applies to throughput and rooms only\n");
        ok = false;
    }
    if (o->scenario == LoadOptions::Scenario::Swarm && o->clients < 1) {
        std::fprintf(stderr, "--clients needs at least 1\n");
        ok = false;
    }
    const QString host = o->url.host();
    if (host != QLatin1String("127.0.0.1") && host != QLatin1String("localhost") &&
        host != QLatin1String("::1")) {
        std::fprintf(stderr, "the load tool only drives hosts on this machine (127.0.0.1)\n");
        return false;
    }
    return ok;
}

QUrl roomUrl(const LoadOptions &options, int room)
{
    if (options.rooms <= 0 || room <= 0)
        return options.url;
    QUrl url = options.url;
    const QString base = url.path().isEmpty() || url.path() == QLatin1String("/")
                             ? QStringLiteral("/rooms/")
                             : url.path();
    url.setPath(base + QString::number(room));
    return url;
}
