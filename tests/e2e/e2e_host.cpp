// SPDX-License-Identifier: MIT
// A small host for the browser tests: an Engine with the demo's object types and a fixed
// scene, and a Server serving the demo pages and WebSockets on one port.
//
//   objectsync-e2e-host [--port N] [--text TEXT]
//
// Prints "listening on http://127.0.0.1:<port>/" once ready. The scene: the seed's text
// (TEXT, default "Hello ObjectSync!", in a yellow box) and a div holding a second text.
// Services for the tests (host-side changes): e2e/set_text {id, text},
// e2e/set_style {id, property, value}, e2e/text {id} -> the text.
#include "e2eobjects.h"

#include <objectsync/engine.h>
#include <objectsync/error.h>
#include <objectsync/server.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonObject>
#include <cstdio>

using namespace objectsync;

namespace {

e2e::ElementObject *element(Engine &engine, const QJsonObject &args)
{
    const QString id = args.value(QLatin1String("id")).toString();
    auto *object = engine.objectAs<e2e::ElementObject>(id);
    if (!object)
        throw Error(QStringLiteral("no element %1").arg(id));
    return object;
}

e2e::TextObject *textObject(Engine &engine, const QJsonObject &args)
{
    auto *text = dynamic_cast<e2e::TextObject *>(element(engine, args));
    if (!text)
        throw Error(QStringLiteral("not a text element"));
    return text;
}

void buildScene(Engine &engine, const QString &greeting)
{
    auto *text = engine.createObject<e2e::TextObject>();
    text->text->set(greeting);
    text->style->add(QStringLiteral("font-size"), QStringLiteral("30px"));
    text->style->add(QStringLiteral("border"), QStringLiteral("5px solid black"));
    text->style->add(QStringLiteral("background-color"), QStringLiteral("yellow"));

    auto *box = engine.createObject<e2e::DivObject>(
        nullptr, {},
        {{QStringLiteral("style"),
          QJsonObject{{QStringLiteral("padding"), QStringLiteral("4px")}}}});
    engine.createObject<e2e::TextObject>(
        box, {}, {{QStringLiteral("text"), QStringLiteral("Inside a div")}});
}

void registerServices(Engine &engine)
{
    engine.registerService(QStringLiteral("e2e/set_text"), [&engine](const QJsonObject &args) {
        textObject(engine, args)->text->set(args.value(QLatin1String("text")).toString());
        return QJsonValue(true);
    });
    engine.registerService(QStringLiteral("e2e/set_style"), [&engine](const QJsonObject &args) {
        DictTopic *style = element(engine, args)->style;
        const QString property = args.value(QLatin1String("property")).toString();
        const QJsonValue value = args.value(QLatin1String("value"));
        if (style->contains(property))
            style->changeValue(property, value);
        else
            style->add(property, value);
        return QJsonValue(true);
    });
    engine.registerService(QStringLiteral("e2e/text"), [&engine](const QJsonObject &args) {
        return QJsonValue(textObject(engine, args)->text->get());
    });
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({QStringLiteral("port"), QStringLiteral("Port (0: any free one)."),
                      QStringLiteral("port"), QStringLiteral("0")});
    parser.addOption({QStringLiteral("text"), QStringLiteral("Text of the first element."),
                      QStringLiteral("text"), QStringLiteral("Hello ObjectSync!")});
    parser.process(app);

    Engine engine;
    engine.registerType<e2e::DivObject>();
    engine.registerType<e2e::TextObject>();
    buildScene(engine, parser.value(QStringLiteral("text")));
    registerServices(engine);

    Server server(&engine);
    server.setWebRoots(Server::defaultWebRoots());
    bool portOk = false;
    const uint port = parser.value(QStringLiteral("port")).toUInt(&portOk);
    if (!portOk || port > 65535) {
        std::fprintf(stderr, "objectsync-e2e-host: bad --port\n");
        return 1;
    }
    if (const Result<void> listening = server.listen(QHostAddress::LocalHost, quint16(port));
        !listening) {
        std::fprintf(stderr, "objectsync-e2e-host: %s\n", qPrintable(listening.errorMessage()));
        return 1;
    }
    std::printf("listening on http://127.0.0.1:%u/\n", unsigned(server.port()));
    std::fflush(stdout);
    return app.exec();
}
