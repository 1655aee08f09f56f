// SPDX-License-Identifier: MIT
// Random and mutated messages: the host never crashes, answers every request, and a refused
// action changes nothing.

#include "testsupport.h"

#include <QLoggingCategory>
#include <QRandomGenerator>

using namespace testsupport;

namespace {

QJsonValue randomJson(QRandomGenerator &rng, int depth = 0)
{
    switch (rng.bounded(depth > 3 ? 6 : 8)) {
    case 0:
        return QJsonValue();
    case 1:
        return rng.bounded(2) == 1;
    case 2:
        return rng.bounded(-3, 12);
    case 3: {
        static const double odd[] = {1e300, -1e300, 0.5, -0.0, 9007199254740993.0, 1e-300};
        return odd[rng.bounded(int(std::size(odd)))];
    }
    case 4: {
        static const char *words[] = {"",
                                      "n",
                                      "s",
                                      "l",
                                      "d",
                                      "e",
                                      "root",
                                      "_objects",
                                      "set",
                                      "insert",
                                      "emit",
                                      "create_object",
                                      "Note",
                                      "1_1",
                                      "0_1",
                                      "\xe2\x82\xac",
                                      "a/0_1/count",
                                      "parent_id/0_1",
                                      "undo",
                                      "redo"};
        return str(words[rng.bounded(int(std::size(words)))]);
    }
    case 5:
        return QString(rng.bounded(40), QChar(u'a' + rng.bounded(26)));
    case 6: {
        QJsonArray a;
        for (int i = rng.bounded(4); i > 0; --i)
            a.append(randomJson(rng, depth + 1));
        return a;
    }
    default: {
        static const char *keys[] = {
            "type",     "args",      "topic_name", "topic_type",   "id",       "value",
            "item",     "position",  "key",        "insertion",    "deletion", "topic_version",
            "commands", "action_id", "request_id", "service_name", "target"};
        QJsonObject o;
        for (int i = rng.bounded(5); i > 0; --i)
            o.insert(str(keys[rng.bounded(int(std::size(keys)))]), randomJson(rng, depth + 1));
        return o;
    }
    }
}

/*! Replaces, removes or adds one field somewhere in \a v. */
QJsonValue mutate(const QJsonValue &v, QRandomGenerator &rng, int depth = 0)
{
    if (v.isObject()) {
        QJsonObject o = v.toObject();
        const QStringList keys = o.keys();
        const int what = rng.bounded(4);
        if (keys.isEmpty() || what == 0) {
            o.insert(randomJson(rng, 3).toString(str("topic_name")), randomJson(rng, 2));
        } else {
            const QString key = keys[rng.bounded(int(keys.size()))];
            if (what == 1)
                o.remove(key);
            else if (what == 2 || depth > 4)
                o.insert(key, randomJson(rng, 2));
            else
                o.insert(key, mutate(o.value(key), rng, depth + 1));
        }
        return o;
    }
    if (v.isArray() && !v.toArray().isEmpty()) {
        QJsonArray a = v.toArray();
        const int i = rng.bounded(int(a.size()));
        a.replace(i, mutate(a.at(i), rng, depth + 1));
        return a;
    }
    return randomJson(rng, 2);
}

QByteArray mutateBytes(QByteArray text, QRandomGenerator &rng)
{
    const int edits = 1 + rng.bounded(4);
    for (int e = 0; e < edits && !text.isEmpty(); ++e) {
        const int at = rng.bounded(int(text.size()));
        switch (rng.bounded(4)) {
        case 0:
            text[at] = char(rng.bounded(256));
            break;
        case 1:
            text.truncate(at);
            break;
        case 2:
            text.insert(at, "\"[{\\}]:,"[rng.bounded(8)]);
            break;
        default:
            text.remove(at, 1 + rng.bounded(8));
            break;
        }
    }
    return text;
}

} // namespace

class TstSessionFuzz : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        // Thousands of refused messages: keep the log quiet.
        QLoggingCategory::setFilterRules(str("objectsync.protocol.info=false"));
    }

    void randomMessages()
    {
        Engine engine;
        engine.registerType<Note>();
        engine.registerService(str("echo"),
                               [](const QJsonObject &args) { return QJsonValue(args); });
        engine.registerService(str("fail"),
                               [](const QJsonObject &) -> QJsonValue { throw Error(str("no")); });
        engine.addTopic<IntTopic>(str("n"), 0);
        engine.addTopic<StringTopic>(str("s"), str("hello"));
        engine.addTopic<ListTopic>(str("l"), QJsonArray{1, 2, 3});
        engine.addTopic<SetTopic>(str("t"), QJsonArray{str("a")});
        engine.addTopic<DictTopic>(str("d"), QJsonObject{{str("k"), 1}});
        engine.addTopic<GenericTopic>(str("g"));
        engine.addTopic(str("f"), TopicType::Float, 1.5, true, false);
        engine.addTopic(str("e"), TopicType::Event);
        engine.createObject<Note>(nullptr, str("0_1"));

        Hub hub(&engine);
        protocol::SessionLimits limits;
        limits.maxMessagesPerSecond = 0;
        auto fuzzer = std::make_unique<Peer>(&hub, limits);
        Peer observer(&hub, limits);
        for (const QString &name : engine.topicNames())
            observer.subscribe(name);

        const QString me = QString::number(fuzzer->id());
        const QList<QJsonObject> seeds = {
            message(str("subscribe"), {{str("topic_name"), str("n")}}),
            message(str("unsubscribe"), {{str("topic_name"), str("s")}}),
            message(str("subscribe_many"),
                    {{str("topic_names"), QJsonArray{str("n"), str("_topicsync/topic_list")}},
                     {str("prefixes"), QJsonArray{str("a/"), str("parent_id/")}}}),
            message(str("hello"), {{str("version"), 1}}),
            message(str("request"), {{str("service_name"), str("echo")},
                                     {str("args"), QJsonObject{{str("a"), 1}}},
                                     {str("request_id"), str("r")}}),
            message(str("request"), {{str("service_name"), str("undo")},
                                     {str("args"), QJsonObject()},
                                     {str("request_id"), str("u")}}),
            message(str("request"), {{str("service_name"), str("redo")},
                                     {str("args"), QJsonObject{{str("id"), str("0_1")}}},
                                     {str("request_id"), str("v")}}),
            message(str("response"), {{str("request_id"), str("s1")}, {str("response"), 1}}),
            message(
                str("action"),
                {{str("action_id"), str("a")},
                 {str("commands"),
                  QJsonArray{
                      change(str("n"), str("int"), str("add"), str("c1"), {{str("value"), 1}}),
                      change(str("s"), str("string"), str("insert"), str("c2"),
                             {{str("position"), 0},
                              {str("insertion"), str("x")},
                              {str("topic_version"), str("")}}),
                      change(str("l"), str("list"), str("insert"), str("c3"),
                             {{str("position"), -1}, {str("item"), 4}}),
                      change(str("t"), str("set"), str("append"), str("c4"),
                             {{str("item"), str("b")}}),
                      change(str("d"), str("dict"), str("change_value"), str("c5"),
                             {{str("key"), str("k")}, {str("value"), 2}}),
                      change(str("g"), str("generic"), str("set"), str("c6"),
                             {{str("value"), QJsonArray{1}}}),
                      change(str("f"), str("float"), str("add"), str("c7"), {{str("value"), 0.5}}),
                      change(str("e"), str("event"), str("emit"), str("c8"),
                             {{str("args"), QJsonObject()}})}}}),
            message(str("action"),
                    {{str("action_id"), str("b")},
                     {str("commands"),
                      QJsonArray{change(str("create_object"), str("event"), str("emit"), str("c9"),
                                        {{str("args"), QJsonObject{{str("type"), str("Note")},
                                                                   {str("id"), me + str("_1")}}}}),
                                 change(str("a/0_1/count"), str("int"), str("set"), str("c10"),
                                        {{str("value"), 3}}),
                                 change(str("l"), str("list"), str("pop"), str("c11"),
                                        {{str("position"), 0}}),
                                 change(str("d"), str("dict"), str("add"), str("c12"),
                                        {{str("key"), str("z")}, {str("value"), 1}})}}}),
            message(
                str("action"),
                {{str("action_id"), str("c")},
                 {str("commands"),
                  QJsonArray{change(str("destroy_object"), str("event"), str("emit"), str("c13"),
                                    {{str("args"), QJsonObject{{str("id"), me + str("_1")}}}}),
                             change(str("t"), str("set"), str("remove"), str("c14"),
                                    {{str("item"), str("b")}}),
                             change(str("s"), str("string"), str("delete"), str("c15"),
                                    {{str("position"), 0},
                                     {str("deletion"), str("h")},
                                     {str("topic_version"), str("")}}),
                             change(str("parent_id/0_1"), str("string"), str("set"), str("c16"),
                                    {{str("value"), str("root")}})}}}),
        };

        // Each command of the actions above also on its own, so that more of them apply.
        QList<QJsonObject> all = seeds;
        for (const QJsonObject &seed : seeds) {
            if (typeOf(seed) != str("action"))
                continue;
            for (const QJsonValue &c : argsOf(seed).value(str("commands")).toArray())
                all.append(message(str("action"), {{str("action_id"), str("one")},
                                                   {str("commands"), QJsonArray{c}}}));
        }

        QRandomGenerator rng(424242);
        int rejects = 0, requests = 0, applied = 0;
        for (int i = 0; i < 6000; ++i) {
            QByteArray text;
            QJsonObject parsed;
            const int how = rng.bounded(10);
            const QJsonObject seed = all[rng.bounded(int(all.size()))];
            if (how < 5) {
                QJsonValue m = seed;
                for (int k = rng.bounded(1, 4); k > 0; --k)
                    m = mutate(m, rng);
                text =
                    QJsonDocument(QJsonArray{m}).toJson(QJsonDocument::Compact).mid(1).chopped(1);
            } else if (how < 8) {
                text = mutateBytes(toText(seed), rng);
            } else if (how < 9) {
                text = QJsonDocument(QJsonArray{randomJson(rng)})
                           .toJson(QJsonDocument::Compact)
                           .mid(1)
                           .chopped(1);
            } else {
                text = toText(seed); // valid messages keep the state moving
            }
            {
                const QJsonDocument doc = QJsonDocument::fromJson(text);
                parsed = doc.object();
            }
            const bool isRequest =
                parsed.value(str("type")) == QJsonValue(str("request")) &&
                (parsed.value(str("args")).isObject() || parsed.value(str("args")).isUndefined() ||
                 parsed.value(str("args")).isNull());

            const QJsonObject before = snapshot(engine);
            fuzzer->sendText(text);
            const QList<QJsonObject> out = fuzzer->take(); // every frame must be JSON
            observer.take();

            int responses = 0;
            bool rejected = false;
            for (const QJsonObject &m : out) {
                if (typeOf(m) == str("response"))
                    ++responses;
                if (typeOf(m) == str("reject"))
                    rejected = true;
            }
            if (rejected) {
                ++rejects;
                QVERIFY2(snapshot(engine) == before, text.constData());
            }
            if (isRequest) {
                ++requests;
                QVERIFY2(responses == 1, text.constData());
            } else {
                QVERIFY2(responses == 0, text.constData());
            }
            if (!rejected && snapshot(engine) != before)
                ++applied;
            if (fuzzer->session->isClosed()) // a limit may trip; start a new connection
                fuzzer = std::make_unique<Peer>(&hub, limits);
        }
        qInfo() << "rejects" << rejects << "requests" << requests << "state changes" << applied;
        QVERIFY(rejects > 100);
        QVERIFY(requests > 100);
        QVERIFY(applied > 50);
    }
};

QTEST_GUILESS_MAIN(TstSessionFuzz)
#include "tst_sessionfuzz.moc"
