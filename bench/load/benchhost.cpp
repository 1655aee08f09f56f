// SPDX-License-Identifier: MIT
// bench-host: a headless host for the load runs. An Engine with the LoadObject type and an
// int topic "bench/value", served by objectsync::Server on 127.0.0.1 with no per-client
// message rate limit (the load tool sends far more than a person would).
//
//   bench-host [--port P] [--objects N]   (port 0 picks a free one; prints "listening on port N")
#include "loadobject.h"

#include <objectsync/server.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QLoggingCategory>
#include <cstdio>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("A headless ObjectSync host for load tests."));
    parser.addHelpOption();
    const QCommandLineOption portOption(QStringLiteral("port"),
                                        QStringLiteral("Port (default 8765)."),
                                        QStringLiteral("port"), QStringLiteral("8765"));
    const QCommandLineOption objectsOption(QStringLiteral("objects"),
                                           QStringLiteral("Create this many LoadObjects at start."),
                                           QStringLiteral("n"), QStringLiteral("0"));
    const QCommandLineOption quietOption(QStringLiteral("quiet"),
                                         QStringLiteral("Log warnings only."));
    parser.addOptions({portOption, objectsOption, quietOption});
    parser.process(app);
    if (parser.isSet(quietOption))
        QLoggingCategory::setFilterRules(QStringLiteral("*.info=false\n*.debug=false"));

    objectsync::Engine engine;
    engine.registerType<LoadObject>();
    engine.addTopic<objectsync::IntTopic>(QStringLiteral("bench/value"));
    const int objects = parser.value(objectsOption).toInt();
    for (int i = 0; i < objects; ++i)
        engine.createObject<LoadObject>();
    engine.clearHistory();

    objectsync::Server server(&engine);
    objectsync::ServerOptions options = server.options();
    options.maxMessagesPerSecond = 0;            // no rate limit
    options.maxPendingOutgoingBytes = 256 << 20; // slow receivers in a load run are ours
    options.maxMessageBytes = 16 << 20;
    server.setOptions(options);
    if (const auto listening =
            server.listen(QHostAddress::LocalHost, quint16(parser.value(portOption).toUInt()));
        !listening) {
        std::fprintf(stderr, "cannot listen: %s\n", qPrintable(listening.errorMessage()));
        return 1;
    }
    std::printf("listening on port %u\n", unsigned(server.port()));
    std::fflush(stdout);
    return app.exec();
}
