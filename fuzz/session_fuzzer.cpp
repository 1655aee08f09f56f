// SPDX-License-Identifier: MIT
// libFuzzer entry point: the bytes are one or more client messages (separated by newlines)
// fed to a protocol Session over a small engine. It checks what the tests check, on inputs
// nobody thought of: nothing crashes, every frame the host queues is JSON, every request is
// answered, and a refused action changes nothing.

#include <objectsync/access.h>
#include <objectsync/objectsync.h>

#include "protocol/hub.h"
#include "protocol/session.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <cstdlib>

using namespace objectsync;

namespace {

class Note : public SObject
{
    OBJECTSYNC_OBJECT(Note, "note")
protected:
    void preBuild(const QJsonObject &) override
    {
        addAttribute<StringTopic>(QStringLiteral("text"), QString());
        addAttribute<IntTopic>(QStringLiteral("count"), 0);
        addAttribute<StringTopic>(QStringLiteral("owner"), QString(), ClientAccess::ReadOnly);
    }
};

/*! Owned by the host: clients may look, and add children, but not change it. */
class Board : public SObject
{
    OBJECTSYNC_OBJECT(Board, "board")
    OBJECTSYNC_HOST_ONLY
protected:
    void preBuild(const QJsonObject &) override
    {
        addAttribute<StringTopic>(QStringLiteral("title"), QStringLiteral("board"));
    }
};

/*! Refuses writes to the topic "d" and calls of "echo" without arguments. */
class FuzzPolicy : public AccessPolicy
{
public:
    AccessDecision authenticate(const ConnectionRequest &) override
    {
        return AccessDecision::allow();
    }
    Result<void> mayWrite(const AccessClient &, const Change &change) override
    {
        if (change.topicName == QLatin1String("d"))
            return Error(ErrorCode::PermissionDenied, QStringLiteral("d is closed"));
        return {};
    }
    Result<void> mayCall(const AccessClient &, const QString &name,
                         const QJsonObject &args) override
    {
        if (name == QLatin1String("echo") && args.isEmpty())
            return Error(ErrorCode::PermissionDenied, QStringLiteral("say something"));
        return {};
    }
};

QJsonObject snapshot(const Engine &engine)
{
    QJsonObject all;
    for (const QString &name : engine.topicNames()) {
        const Topic *t = engine.topic(name);
        QJsonObject entry{{QStringLiteral("value"), t->value()}};
        if (t->type() == TopicType::String)
            entry.insert(QStringLiteral("version"), static_cast<const StringTopic *>(t)->version());
        all.insert(name, entry);
    }
    return all;
}

[[noreturn]] void violated(const char *what)
{
    fprintf(stderr, "invariant violated: %s\n", what);
    abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const bool quiet = [] {
        QLoggingCategory::setFilterRules(QStringLiteral("objectsync.*=false"));
        return true;
    }();
    Q_UNUSED(quiet);

    Engine engine;
    engine.registerType<Note>();
    engine.registerType<Board>();
    engine.registerService(QStringLiteral("echo"),
                           [](const QJsonObject &a) { return QJsonValue(a); });
    engine.addTopic<IntTopic>(QStringLiteral("n"), 0);
    engine.addTopic<StringTopic>(QStringLiteral("s"), QStringLiteral("hello"));
    engine.addTopic<ListTopic>(QStringLiteral("l"), QJsonArray{1, 2, 3});
    engine.addTopic<SetTopic>(QStringLiteral("t"), QJsonArray{QStringLiteral("a")});
    engine.addTopic<DictTopic>(QStringLiteral("d"), QJsonObject{{QStringLiteral("k"), 1}});
    engine.addTopic(QStringLiteral("f"), TopicType::Float, 1.5, true, false);
    engine.createObject<Note>(nullptr, QStringLiteral("0_1"));
    engine.createObject<Board>(nullptr, QStringLiteral("0_2"));

    protocol::Hub hub(&engine);
    protocol::SessionLimits limits;
    limits.maxMessagesPerSecond = 0;
    protocol::Session session(&hub, 1, limits);
    session.setAccessPolicy(std::make_shared<FuzzPolicy>());
    session.takeOutgoing();

    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    qsizetype start = 0;
    while (start <= input.size() && !session.isClosed()) {
        qsizetype end = input.indexOf('\n', start);
        if (end < 0)
            end = input.size();
        const QByteArrayView message = input.sliced(start, end - start);
        start = end + 1;

        const QJsonObject parsed = QJsonDocument::fromJson(message.toByteArray()).object();
        const QJsonValue args = parsed.value(QStringLiteral("args"));
        const bool isRequest =
            parsed.value(QStringLiteral("type")).toString() == QLatin1String("request") &&
            (args.isObject() || args.isUndefined() || args.isNull());
        const QJsonObject before = snapshot(engine);
        session.receiveText(message);
        if (session.isClosed())
            break; // a limit: the connection would be closed, nothing else to check
        int responses = 0;
        bool rejected = false;
        for (const QByteArray &frame : session.takeOutgoing()) {
            QJsonParseError error;
            const QJsonDocument doc = QJsonDocument::fromJson(frame, &error);
            if (error.error != QJsonParseError::NoError || !doc.isObject())
                violated("the host queued a frame that is not a JSON object");
            const QString type = doc.object().value(QStringLiteral("type")).toString();
            responses += type == QLatin1String("response");
            rejected = rejected || type == QLatin1String("reject");
        }
        if (isRequest != (responses == 1) || responses > 1)
            violated("a request did not get exactly one response");
        if (rejected && snapshot(engine) != before)
            violated("a refused action changed the state");
        hub.flush();
    }
    return 0;
}
