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
        "bytes."));
    p.addHelpOption();
    p.addPositionalArgument(QStringLiteral("scenario"), QStringLiteral("throughput or tree"));
    const QCommandLineOption url(QStringLiteral("url"),
                                 QStringLiteral("Host URL (default ws://127.0.0.1:8765)."),
                                 QStringLiteral("url"));
    const QCommandLineOption hostPid(QStringLiteral("host-pid"),
                                     QStringLiteral("Report the resident memory of this process."),
                                     QStringLiteral("pid"));
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
                       "the window allows)."),
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
        QStringLiteral("batch"), QStringLiteral("create_object commands per action (default 100)."),
        QStringLiteral("n"));
    const QCommandLineOption tags(QStringLiteral("tags"),
                                  QStringLiteral("Also load the tags/ topics."));
    const QCommandLineOption timeout(
        QStringLiteral("setup-timeout"),
        QStringLiteral("Seconds allowed for connecting and preparing (default 60)."),
        QStringLiteral("s"));
    p.addOptions({url, hostPid, subscribers, writers, duration, warmup, rate, window, topic, type,
                  attr, objects, noPopulate, batch, tags, timeout});
    if (!p.parse(arguments)) {
        std::fprintf(stderr, "%s\n", qPrintable(p.errorText()));
        return false;
    }
    if (p.isSet(QStringLiteral("help"))) {
        std::printf("%s", qPrintable(p.helpText()));
        return false;
    }
    const QStringList pos = p.positionalArguments();
    if (pos.size() != 1 ||
        (pos[0] != QLatin1String("throughput") && pos[0] != QLatin1String("tree"))) {
        std::fprintf(stderr, "name one scenario: throughput or tree (see --help)\n");
        return false;
    }
    o->scenario = pos[0] == QLatin1String("tree") ? LoadOptions::Scenario::Tree
                                                  : LoadOptions::Scenario::Throughput;
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
    o->setupTimeoutS = number(timeout, o->setupTimeoutS);
    const QString host = o->url.host();
    if (host != QLatin1String("127.0.0.1") && host != QLatin1String("localhost") &&
        host != QLatin1String("::1")) {
        std::fprintf(stderr, "the load tool only drives hosts on this machine (127.0.0.1)\n");
        return false;
    }
    return ok;
}
