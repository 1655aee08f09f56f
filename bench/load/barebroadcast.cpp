// SPDX-License-Identifier: MIT
// bare-broadcast: the transport's ceiling. A plain QWebSocketServer that speaks just enough
// of the protocol for objectsync-load (hello, init, and every action echoed as an update to
// every client, one sendTextMessage per client), with no engine behind it.
//
//   bare-broadcast [--port P]      (0 picks a free port; prints "listening on port N")
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QTcpServer>
#include <QTcpSocket>
#include <QWebSocket>
#include <QWebSocketServer>
#include <cstdio>

namespace {
QString message(const QString &type, const QJsonObject &args)
{
    const QJsonObject m{{QStringLiteral("type"), type}, {QStringLiteral("args"), args}};
    return QString::fromUtf8(QJsonDocument(m).toJson(QJsonDocument::Compact));
}

QJsonObject descriptor(const QString &type, const QJsonValue &boundary)
{
    return {{QStringLiteral("type"), type},
            {QStringLiteral("is_stateful"), true},
            {QStringLiteral("order_strict"), true},
            {QStringLiteral("boundary_value"), boundary}};
}
} // namespace

int main(int argc, char **argv)
{
    // The same event dispatcher as objectsync-host (Qt's own, not glib's), so that the two
    // are compared on equal terms.
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("A bare WebSocket broadcast server for load tests."));
    parser.addHelpOption();
    const QCommandLineOption portOption(QStringLiteral("port"),
                                        QStringLiteral("Port (default 8766)."),
                                        QStringLiteral("port"), QStringLiteral("8766"));
    const QCommandLineOption noDelayOption(
        QStringLiteral("nodelay"),
        QStringLiteral(
            "Accept the TCP connections itself and turn off Nagle's algorithm on them."));
    parser.addOptions({portOption, noDelayOption});
    parser.process(app);

    QWebSocketServer server(QStringLiteral("bare"), QWebSocketServer::NonSecureMode);
    QTcpServer tcp;
    const quint16 port = quint16(parser.value(portOption).toUInt());
    if (parser.isSet(noDelayOption)) {
        QObject::connect(&tcp, &QTcpServer::newConnection, [&] {
            while (QTcpSocket *socket = tcp.nextPendingConnection()) {
                socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
                server.handleConnection(socket);
            }
        });
        if (!tcp.listen(QHostAddress::LocalHost, port)) {
            std::fprintf(stderr, "cannot listen: %s\n", qPrintable(tcp.errorString()));
            return 1;
        }
        std::printf("listening on port %u\n", unsigned(tcp.serverPort()));
    } else {
        if (!server.listen(QHostAddress::LocalHost, port)) {
            std::fprintf(stderr, "cannot listen: %s\n", qPrintable(server.errorString()));
            return 1;
        }
        std::printf("listening on port %u\n", unsigned(server.serverPort()));
    }
    std::fflush(stdout);

    const QJsonObject topics{{QStringLiteral("_topicsync/topic_list"),
                              descriptor(QStringLiteral("dict"), QJsonObject())},
                             {QStringLiteral("bench/value"), descriptor(QStringLiteral("int"), 0)}};
    QList<QWebSocket *> clients;
    int nextId = 0;
    QObject::connect(&server, &QWebSocketServer::newConnection, [&] {
        while (QWebSocket *socket = server.nextPendingConnection()) {
            clients.append(socket);
            socket->sendTextMessage(
                message(QStringLiteral("hello"), {{QStringLiteral("id"), ++nextId}}));
            QObject::connect(socket, &QWebSocket::disconnected, socket, [&clients, socket] {
                clients.removeOne(socket);
                socket->deleteLater();
            });
            QObject::connect(
                socket, &QWebSocket::textMessageReceived, socket,
                [&clients, &topics, socket](const QString &text) {
                    const QJsonObject m = QJsonDocument::fromJson(text.toUtf8()).object();
                    const QString type = m.value(QLatin1String("type")).toString();
                    const QJsonObject args = m.value(QLatin1String("args")).toObject();
                    if (type == QLatin1String("action")) {
                        // One frame, sent to every client.
                        const QString update = message(
                            QStringLiteral("update"),
                            {{QStringLiteral("changes"), args.value(QLatin1String("commands"))},
                             {QStringLiteral("action_id"),
                              args.value(QLatin1String("action_id"))}});
                        for (QWebSocket *c : std::as_const(clients))
                            c->sendTextMessage(update);
                    } else if (type == QLatin1String("subscribe")) {
                        const QString name = args.value(QLatin1String("topic_name")).toString();
                        const QJsonValue value = name == QLatin1String("_topicsync/topic_list")
                                                     ? QJsonValue(topics)
                                                     : QJsonValue(0);
                        socket->sendTextMessage(
                            message(QStringLiteral("init"), {{QStringLiteral("topic_name"), name},
                                                             {QStringLiteral("value"), value}}));
                    } else if (type == QLatin1String("request")) {
                        socket->sendTextMessage(
                            message(QStringLiteral("response"),
                                    {{QStringLiteral("request_id"),
                                      args.value(QLatin1String("request_id"))},
                                     {QStringLiteral("response"), QJsonValue()}}));
                    }
                });
        }
    });
    return app.exec();
}
