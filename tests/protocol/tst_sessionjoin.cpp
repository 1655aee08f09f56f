// SPDX-License-Identifier: MIT
// The batched join: subscribe_many and its init_many answers, its bounds, its ordering, and
// a host that does not offer it.
#include "testsupport.h"

#include <QJsonArray>
#include <QTest>

using namespace testsupport;

namespace {

const QString topicList = str("_topicsync/topic_list");

QJsonObject subscribeMany(const QJsonArray &names, const QJsonArray &prefixes = {})
{
    QJsonObject args{{str("topic_names"), names}};
    if (!prefixes.isEmpty())
        args.insert(str("prefixes"), prefixes);
    return args;
}

/*! The init_many messages of one answer, merged: the topic list, the values, the unknown. */
struct Answer
{
    int messages = 0;
    bool hasList = false;
    QJsonObject list;
    QJsonObject values;   //!< name -> value
    QJsonObject versions; //!< name -> version (string topics)
    QStringList order;    //!< names of the values in the order they came
    QStringList unknown;
};

Answer merge(const QList<QJsonObject> &messages)
{
    Answer a;
    for (const QJsonObject &m : messages) {
        if (typeOf(m) != str("init_many"))
            continue;
        ++a.messages;
        const QJsonObject args = argsOf(m);
        const QJsonArray descriptors = args.value(str("descriptors")).toArray();
        if (args.contains(str("listed")))
            a.hasList = true;
        for (const QJsonValue &e : args.value(str("listed")).toArray())
            a.list.insert(e[0].toString(), descriptors.at(e[1].toInt()));
        for (const QJsonValue &e : args.value(str("topics")).toArray()) {
            a.values.insert(e[0].toString(), e[1]);
            a.order.append(e[0].toString());
            if (e.toArray().size() > 2)
                a.versions.insert(e[0].toString(), e[2]);
        }
        for (const QJsonValue &n : args.value(str("unknown")).toArray())
            a.unknown.append(n.toString());
    }
    return a;
}

void addNotes(Engine &engine, int count)
{
    for (int i = 1; i <= count; ++i)
        engine.createObject<Note>(nullptr, QStringLiteral("0_%1").arg(i));
}

} // namespace

class TstSessionJoin : public QObject
{
    Q_OBJECT
private slots:
    void helloAnnouncesTheFeature()
    {
        Engine engine;
        Hub hub(&engine);
        Peer a(&hub);
        const QJsonObject hello = a.takeOne();
        QCOMPARE(argsOf(hello).value(str("features")).toArray(), QJsonArray{str("subscribe_many")});

        protocol::SessionLimits off;
        off.batchedJoin = false;
        Peer b(&hub, off);
        QCOMPARE(b.takeOne(), message(str("hello"), {{str("id"), b.id()}}));
    }

    void aHostWithoutTheFeatureAnswersWithAnError()
    {
        Engine engine;
        engine.addTopic<IntTopic>(str("n"), 1);
        Hub hub(&engine);
        protocol::SessionLimits off;
        off.batchedJoin = false;
        Peer a(&hub, off);
        a.send(str("hello"), {{str("version"), 1}});
        a.take();
        a.send(str("subscribe_many"), subscribeMany({str("n")}));
        const QJsonObject error = a.takeOne();
        QCOMPARE(typeOf(error), str("error"));
        QCOMPARE(argsOf(error).value(str("message_type")).toString(), str("subscribe_many"));
        QVERIFY(a.session->subscriptions().isEmpty());
        // The per-topic path works as ever.
        a.subscribe(str("n"));
        QCOMPARE(typeOf(a.takeOne()), str("init"));
    }

    void namesAndPrefixesInOneAnswer()
    {
        Engine engine;
        addNotes(engine, 3);
        static_cast<StringTopic *>(engine.topic(str("a/0_2/text")))->set(str("two"));
        engine.addTopic<IntTopic>(str("n"), 7);
        Hub hub(&engine);
        Peer a(&hub);
        a.take();
        a.send(str("subscribe_many"),
               subscribeMany({topicList, str("n"), str("nope"), str("n")}, {str("a/0_2/")}));
        const QList<QJsonObject> out = a.take();
        QCOMPARE(out.size(), 1);
        QCOMPARE(argsOf(out[0]).value(str("last")).toBool(), true);
        const Answer answer = merge(out);
        QVERIFY(answer.hasList);
        QCOMPARE(QJsonValue(answer.list), engine.topic(topicList)->value());
        QCOMPARE(answer.order.size(), 3);
        QCOMPARE(answer.order.first(), str("n")); // names first, then the prefixes' topics
        QCOMPARE(QSet<QString>(answer.order.cbegin(), answer.order.cend()),
                 QSet<QString>({str("n"), str("a/0_2/count"), str("a/0_2/text")}));
        QCOMPARE(answer.values.value(str("n")).toInt(), 7);
        QCOMPARE(answer.values.value(str("a/0_2/text")).toString(), str("two"));
        QCOMPARE(answer.versions.value(str("a/0_2/text")).toString(),
                 static_cast<StringTopic *>(engine.topic(str("a/0_2/text")))->version());
        QVERIFY(!answer.versions.contains(str("n")));
        QCOMPARE(answer.unknown, QStringList{str("nope")});
        QCOMPARE(a.session->subscriptions(),
                 QSet<QString>({topicList, str("n"), str("a/0_2/count"), str("a/0_2/text")}));
    }

    void anEmptyPrefixTakesEveryTopic()
    {
        Engine engine;
        addNotes(engine, 2);
        Hub hub(&engine);
        Peer a(&hub);
        a.take();
        a.send(str("subscribe_many"), QJsonObject{{str("prefixes"), QJsonArray{str("")}}});
        const Answer answer = merge(a.take());
        QVERIFY(answer.hasList);
        QCOMPARE(a.session->subscriptions().size(), engine.topicNames().size());
        QCOMPARE(answer.values.size() + 1, engine.topicNames().size()); // all but the list
    }

    void answersAreBoundedInSize()
    {
        Engine engine;
        addNotes(engine, 200);
        Hub hub(&engine);
        protocol::SessionLimits limits;
        limits.maxInitManyBytes = 2000;
        Peer a(&hub, limits);
        a.take();
        a.send(str("subscribe_many"), subscribeMany({topicList}, {str("a/"), str("parent_id/")}));
        const QList<QByteArray> frames = a.session->takeOutgoing();
        QVERIFY(frames.size() > 10);
        QList<QJsonObject> parsed;
        for (qsizetype i = 0; i < frames.size(); ++i) {
            QVERIFY2(frames[i].size() < 2000 + 300, frames[i].constData());
            parsed.append(QJsonDocument::fromJson(frames[i]).object());
            QCOMPARE(typeOf(parsed.last()), str("init_many"));
            QCOMPARE(argsOf(parsed.last()).value(str("last")).toBool(), i == frames.size() - 1);
        }
        const Answer answer = merge(parsed);
        QCOMPARE(QJsonValue(answer.list), engine.topic(topicList)->value());
        QCOMPARE(answer.values.size(), 601); // count, text, parent of 200 notes; the root's parent
        for (auto it = answer.values.begin(); it != answer.values.end(); ++it)
            QCOMPARE(it.value(), engine.topic(it.key())->value());
    }

    void heldChangesAreSentBeforeTheAnswer()
    {
        Engine engine;
        auto *pos =
            static_cast<IntTopic *>(engine.addTopic(str("pos"), TopicType::Int, 0, true, false));
        engine.addTopic<IntTopic>(str("n"), 0);
        Hub hub(&engine);
        Peer a(&hub), b(&hub);
        a.subscribe(str("pos"));
        a.take();
        b.take();
        pos->add(2);
        pos->add(3);
        QVERIFY(hub.hasPendingMerge());
        b.send(str("subscribe_many"), subscribeMany({str("pos"), str("n")}));
        QCOMPARE(merge(b.take()).values.value(str("pos")).toInt(), 5);
        QVERIFY(!hub.hasPendingMerge());
        QCOMPARE(typeOf(a.takeOne()), str("update"));
        hub.flush();
        QVERIFY(b.take().isEmpty()); // nothing the answer already held
        // Later changes follow the answer.
        static_cast<IntTopic *>(engine.topic(str("n")))->set(4);
        const QJsonObject update = b.takeOne();
        QCOMPARE(typeOf(update), str("update"));
    }

    void badRequestsChangeNothing_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("reason");
        const auto m = [](const char *args) {
            return QByteArray(R"({"type":"subscribe_many","args":)") + args + '}';
        };
        QTest::newRow("no fields") << m("{}") << str("needs");
        QTest::newRow("names not an array") << m(R"({"topic_names":"n"})") << str("array");
        QTest::newRow("a name not a string") << m(R"({"topic_names":["n",3]})") << str("[1]");
        QTest::newRow("prefixes not an array") << m(R"({"prefixes":{"a":1}})") << str("array");
        QTest::newRow("a prefix not a string") << m(R"({"prefixes":[null]})") << str("[0]");
        QTest::newRow("args not an object") << m(R"([1])") << str("object");
        QString many;
        for (int i = 0; i < 11; ++i)
            many += (i ? str(",") : QString()) + str("\"n\"");
        QTest::newRow("too many names")
            << m(QStringLiteral(R"({"topic_names":[%1]})").arg(many).toUtf8().constData())
            << str("at most 10");
    }

    void badRequestsChangeNothing()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, reason);
        Engine engine;
        engine.addTopic<IntTopic>(str("n"), 1);
        Hub hub(&engine);
        protocol::SessionLimits limits;
        limits.maxJoinEntries = 10;
        Peer a(&hub, limits);
        a.send(str("hello"), {{str("version"), 1}});
        a.take();
        const QJsonObject before = snapshot(engine);
        a.sendText(text);
        const QJsonObject error = a.takeOne();
        QCOMPARE(typeOf(error), str("error"));
        QVERIFY2(argsOf(error).value(str("reason")).toString().contains(reason),
                 qPrintable(argsOf(error).value(str("reason")).toString()));
        QVERIFY(a.session->subscriptions().isEmpty());
        QCOMPARE(snapshot(engine), before);
        QVERIFY(!a.session->isClosed());
    }

    void theSessionLimitsApply()
    {
        Engine engine;
        Hub hub(&engine);
        protocol::SessionLimits limits;
        limits.maxMessageBytes = 100;
        Peer a(&hub, limits);
        QJsonArray names;
        for (int i = 0; i < 20; ++i)
            names.append(QStringLiteral("topic%1").arg(i));
        a.send(str("subscribe_many"), subscribeMany(names));
        QVERIFY(a.session->isClosed());
        QCOMPARE(a.session->closeInstruction()->code, protocol::closecode::messageTooBig);
        QVERIFY(a.session->subscriptions().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TstSessionJoin)
#include "tst_sessionjoin.moc"
