// SPDX-License-Identifier: MIT
// Change <-> wire change dict, field for field, and the merging of held-back changes.

#include <objectsync/objectsync.h>

#include "protocol/changecodec.h"
#include "protocol/changemerge.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

Q_DECLARE_METATYPE(objectsync::Change)

using namespace objectsync;
namespace codec = objectsync::protocol::codec;
using objectsync::protocol::ChangeSource;

namespace {

QString s(const char *text)
{
    return QString::fromUtf8(text);
}

QJsonObject parse(const char *json)
{
    return QJsonDocument::fromJson(QByteArray(json)).object();
}

Change make(const char *topic, TopicType tt, ChangeType type, const char *id)
{
    Change c;
    c.topicName = s(topic);
    c.topicType = tt;
    c.type = type;
    c.id = s(id);
    return c;
}

} // namespace

class TstChangeCodec : public QObject
{
    Q_OBJECT
private slots:
    void roundTrip_data()
    {
        QTest::addColumn<Change>("change");
        QTest::addColumn<QJsonObject>("dict");

        Change c = make("g", TopicType::Generic, ChangeType::Set, "c1");
        c.value = QJsonObject{{s("a"), QJsonArray{1, s("x")}}};
        c.oldValue = QJsonValue();
        QTest::newRow("generic set")
            << c
            << parse(
                   R"({"topic_name":"g","topic_type":"generic","type":"set","id":"c1","value":{"a":[1,"x"]},"old_value":null})");

        c = make("s", TopicType::String, ChangeType::Set, "c2");
        c.value = s("new");
        c.oldValue = s("old");
        c.topicVersion = s("v1");
        c.resultTopicVersion = s("c2");
        QTest::newRow("string set")
            << c
            << parse(
                   R"({"topic_name":"s","topic_type":"string","type":"set","id":"c2","value":"new","old_value":"old","topic_version":"v1","result_topic_version":"c2"})");

        c = make("s", TopicType::String, ChangeType::Insert, "c3");
        c.position = 4;
        c.text = s("h\"i\n");
        c.topicVersion = s("v1");
        c.resultTopicVersion = s("v2");
        QTest::newRow("string insert")
            << c
            << parse("{\"topic_name\":\"s\",\"topic_type\":\"string\",\"type\":\"insert\",\"id\":"
                     "\"c3\",\"topic_version\":\"v1\",\"position\":4,\"insertion\":\"h\\\"i\\n\","
                     "\"result_topic_version\":\"v2\"}");

        c = make("s", TopicType::String, ChangeType::Delete, "c4");
        c.position = 0;
        c.text = s("ab");
        c.topicVersion = s("v2");
        c.resultTopicVersion = s("v3");
        QTest::newRow("string delete")
            << c
            << parse(
                   R"({"topic_name":"s","topic_type":"string","type":"delete","id":"c4","topic_version":"v2","position":0,"deletion":"ab","result_topic_version":"v3"})");

        c = make("i", TopicType::Int, ChangeType::Set, "c5");
        c.value = 7;
        c.oldValue = 3;
        QTest::newRow("int set")
            << c
            << parse(
                   R"({"topic_name":"i","topic_type":"int","type":"set","id":"c5","value":7,"old_value":3})");

        c = make("i", TopicType::Int, ChangeType::Add, "c6");
        c.value = -2;
        QTest::newRow("int add")
            << c
            << parse(R"({"topic_name":"i","topic_type":"int","type":"add","id":"c6","value":-2})");

        c = make("f", TopicType::Float, ChangeType::Add, "c7");
        c.value = 0.5;
        c.oldValue = 1.25;
        QTest::newRow("float add")
            << c
            << parse(
                   R"({"topic_name":"f","topic_type":"float","type":"add","id":"c7","value":0.5,"old_value":1.25})");

        c = make("f", TopicType::Float, ChangeType::Set, "c8");
        c.value = 2.5;
        c.oldValue = 1.75;
        QTest::newRow("float set")
            << c
            << parse(
                   R"({"topic_name":"f","topic_type":"float","type":"set","id":"c8","value":2.5,"old_value":1.75})");

        c = make("t", TopicType::Set, ChangeType::Set, "c9");
        c.value = QJsonArray{1, 2};
        c.oldValue = QJsonArray{};
        QTest::newRow("set set")
            << c
            << parse(
                   R"({"topic_name":"t","topic_type":"set","type":"set","id":"c9","value":[1,2],"old_value":[]})");

        c = make("t", TopicType::Set, ChangeType::Append, "c10");
        c.value = QJsonObject{{s("k"), 1}};
        QTest::newRow("set append")
            << c
            << parse(
                   R"({"topic_name":"t","topic_type":"set","type":"append","id":"c10","item":{"k":1}})");

        c = make("t", TopicType::Set, ChangeType::Remove, "c11");
        c.value = s("x");
        QTest::newRow("set remove")
            << c
            << parse(
                   R"({"topic_name":"t","topic_type":"set","type":"remove","id":"c11","item":"x"})");

        c = make("l", TopicType::List, ChangeType::Set, "c12");
        c.value = QJsonArray{1, 1};
        c.oldValue = QJsonArray{2};
        QTest::newRow("list set")
            << c
            << parse(
                   R"({"topic_name":"l","topic_type":"list","type":"set","id":"c12","value":[1,1],"old_value":[2]})");

        c = make("l", TopicType::List, ChangeType::Insert, "c13");
        c.position = -1;
        c.value = QJsonValue();
        QTest::newRow("list insert")
            << c
            << parse(
                   R"({"topic_name":"l","topic_type":"list","type":"insert","id":"c13","item":null,"position":-1})");

        c = make("l", TopicType::List, ChangeType::Pop, "c14");
        c.position = 2;
        c.oldValue = s("gone");
        QTest::newRow("list pop")
            << c
            << parse(
                   R"({"topic_name":"l","topic_type":"list","type":"pop","id":"c14","position":2,"old_value":"gone"})");

        c = make("d", TopicType::Dict, ChangeType::Set, "c15");
        c.value = QJsonObject{{s("a"), 1}};
        c.oldValue = QJsonObject{};
        QTest::newRow("dict set")
            << c
            << parse(
                   R"({"topic_name":"d","topic_type":"dict","type":"set","id":"c15","value":{"a":1},"old_value":{}})");

        c = make("d", TopicType::Dict, ChangeType::Add, "c16");
        c.key = s("k");
        c.value = QJsonArray{true};
        QTest::newRow("dict add")
            << c
            << parse(
                   R"({"topic_name":"d","topic_type":"dict","type":"add","id":"c16","key":"k","value":[true]})");

        c = make("d", TopicType::Dict, ChangeType::Pop, "c17");
        c.key = s("k");
        c.oldValue = 5;
        QTest::newRow("dict pop")
            << c
            << parse(
                   R"({"topic_name":"d","topic_type":"dict","type":"pop","id":"c17","key":"k","old_value":5})");

        c = make("d", TopicType::Dict, ChangeType::ChangeValue, "c18");
        c.key = s("k");
        c.value = 2;
        c.oldValue = 1;
        QTest::newRow("dict change_value")
            << c
            << parse(
                   R"({"topic_name":"d","topic_type":"dict","type":"change_value","id":"c18","key":"k","value":2,"old_value":1})");

        c = make("e", TopicType::Event, ChangeType::Emit, "c19");
        c.value = QJsonObject{{s("type"), s("Note")}};
        QTest::newRow("event emit")
            << c
            << parse(
                   R"({"topic_name":"e","topic_type":"event","type":"emit","id":"c19","args":{"type":"Note"}})");

        c = make("e", TopicType::Event, ChangeType::ReversedEmit, "c20");
        c.value = QJsonObject{};
        QTest::newRow("event reversed_emit")
            << c
            << parse(
                   R"({"topic_name":"e","topic_type":"event","type":"reversed_emit","id":"c20","args":{}})");
    }
    void roundTrip()
    {
        QFETCH(Change, change);
        QFETCH(QJsonObject, dict);
        // Encoding writes exactly the expected dict, with both encoders.
        const QByteArray json = codec::encode(change, change.id);
        QCOMPARE(QJsonDocument::fromJson(json).object(), dict);
        QCOMPARE(codec::toJson(change, change.id), dict);
        // Decoding a host-sent dict gives the change back, field for field.
        QCOMPARE(codec::decode(dict, ChangeSource::Host), change);
        // A client's dict loses old values (the host fills them in); reversed_emit is refused.
        if (change.type == ChangeType::ReversedEmit) {
            QVERIFY_THROWS_EXCEPTION(Error, codec::decode(dict, ChangeSource::Client));
        } else {
            Change fromClient = change;
            fromClient.oldValue = QJsonValue(); // what a default Change holds
            QCOMPARE(codec::decode(dict, ChangeSource::Client), fromClient);
        }
    }

    void stringSetTakesItsIdAsVersion()
    {
        const Change c = codec::decode(parse(
            R"({"topic_name":"s","topic_type":"string","type":"set","id":"abc","value":"x"})"));
        QCOMPARE(c.resultTopicVersion, s("abc"));
    }

    void eventArgsDefaultToAnObject()
    {
        const Change c = codec::decode(
            parse(R"({"topic_name":"e","topic_type":"event","type":"emit","id":"x"})"));
        QCOMPARE(c.value, QJsonValue(QJsonObject()));
    }

    void refusesBadDicts_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("reason");
        QTest::newRow("no topic_name")
            << QByteArray(R"({"topic_type":"int","type":"set","id":"c","value":1})")
            << s("topic_name");
        QTest::newRow("empty topic_name")
            << QByteArray(R"({"topic_name":"","topic_type":"int","type":"set","id":"c","value":1})")
            << s("topic_name");
        QTest::newRow("topic_name not a string")
            << QByteArray(R"({"topic_name":5,"topic_type":"int","type":"set","id":"c","value":1})")
            << s("topic_name");
        QTest::newRow("unknown topic_type")
            << QByteArray(
                   R"({"topic_name":"t","topic_type":"bool","type":"set","id":"c","value":1})")
            << s("unknown topic_type");
        QTest::newRow("topic_type not a string")
            << QByteArray(
                   R"({"topic_name":"t","topic_type":["int"],"type":"set","id":"c","value":1})")
            << s("topic_type");
        QTest::newRow("unknown type")
            << QByteArray(
                   R"({"topic_name":"t","topic_type":"int","type":"multiply","id":"c","value":1})")
            << s("no change type");
        QTest::newRow("type of another topic type")
            << QByteArray(
                   R"({"topic_name":"t","topic_type":"int","type":"append","id":"c","item":1})")
            << s("no change type");
        QTest::newRow("set on an event")
            << QByteArray(
                   R"({"topic_name":"t","topic_type":"event","type":"set","id":"c","value":1})")
            << s("no change type");
        QTest::newRow("reversed_emit from a client")
            << QByteArray(
                   R"({"topic_name":"t","topic_type":"event","type":"reversed_emit","id":"c"})")
            << s("no change type");
        QTest::newRow("no id")
            << QByteArray(R"({"topic_name":"t","topic_type":"int","type":"set","value":1})")
            << s("\"id\"");
        QTest::newRow("id not a string")
            << QByteArray(R"({"topic_name":"t","topic_type":"int","type":"set","id":3,"value":1})")
            << s("\"id\"");
        QTest::newRow("set without value")
            << QByteArray(R"({"topic_name":"t","topic_type":"int","type":"set","id":"c"})")
            << s("\"value\" is missing");
        QTest::newRow("position not a number")
            << QByteArray(
                   R"({"topic_name":"t","topic_type":"list","type":"insert","id":"c","item":1,"position":"0"})")
            << s("\"position\" must be an integer");
        QTest::newRow("position a fraction")
            << QByteArray(
                   R"({"topic_name":"t","topic_type":"list","type":"pop","id":"c","position":1.5})")
            << s("\"position\" must be an integer");
        QTest::newRow("position huge")
            << QByteArray(
                   R"({"topic_name":"t","topic_type":"list","type":"pop","id":"c","position":1e300})")
            << s("\"position\" must be an integer");
        QTest::newRow("list insert without item")
            << QByteArray(
                   R"({"topic_name":"t","topic_type":"list","type":"insert","id":"c","position":0})")
            << s("\"item\" is missing");
        QTest::newRow("insertion not a string")
            << QByteArray(
                   R"({"topic_name":"t","topic_type":"string","type":"insert","id":"c","position":0,"insertion":1,"topic_version":"v"})")
            << s("\"insertion\"");
        QTest::newRow("delete without topic_version")
            << QByteArray(
                   R"({"topic_name":"t","topic_type":"string","type":"delete","id":"c","position":0,"deletion":"a"})")
            << s("\"topic_version\"");
        QTest::newRow("result version not a string")
            << QByteArray(
                   R"({"topic_name":"t","topic_type":"string","type":"insert","id":"c","position":0,"insertion":"a","topic_version":"v","result_topic_version":7})")
            << s("result_topic_version");
        QTest::newRow("dict add without key")
            << QByteArray(
                   R"({"topic_name":"t","topic_type":"dict","type":"add","id":"c","value":1})")
            << s("\"key\"");
        QTest::newRow("dict key not a string")
            << QByteArray(R"({"topic_name":"t","topic_type":"dict","type":"pop","id":"c","key":1})")
            << s("\"key\"");
        QTest::newRow("emit args not an object")
            << QByteArray(
                   R"({"topic_name":"t","topic_type":"event","type":"emit","id":"c","args":[1]})")
            << s("\"args\"");
    }
    void refusesBadDicts()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, reason);
        const QJsonObject dict = QJsonDocument::fromJson(json).object();
        QVERIFY(!dict.isEmpty());
        try {
            codec::decode(dict);
            QFAIL("decoding should have failed");
        } catch (const Error &e) {
            if (!e.message().contains(reason))
                qWarning() << e.message();
            QVERIFY(e.message().contains(reason));
        }
    }

    void wireIds()
    {
        Change c = make("t", TopicType::Int, ChangeType::Set, "mine");
        QCOMPARE(codec::wireId(c, 7, 2), s("mine"));
        c.id.clear();
        QCOMPARE(codec::wireId(c, 7, 2), s("h7_2"));
        // A host-made string set goes out with its new version as id: version-0 clients take
        // a set's id as the topic's version.
        Change t = make("s", TopicType::String, ChangeType::Set, "");
        t.resultTopicVersion = s("hz");
        QCOMPARE(codec::wireId(t, 9, 0), s("hz"));
        t.type = ChangeType::Insert;
        QCOMPARE(codec::wireId(t, 9, 0), s("h9_0"));
    }

    void mergesHeldBackChanges()
    {
        using objectsync::protocol::mergeChanges;
        // Dragging: many sets of a generic topic become one.
        QList<Change> drags;
        for (int i = 0; i < 5; ++i) {
            Change c = make("pos", TopicType::Generic, ChangeType::Set, "");
            c.id = QStringLiteral("d%1").arg(i);
            c.value = QJsonArray{i, i};
            c.oldValue =
                i == 0 ? QJsonValue(QJsonArray{-1, -1}) : QJsonValue(QJsonArray{i - 1, i - 1});
            drags.append(c);
        }
        QList<Change> merged = mergeChanges(drags);
        QCOMPARE(merged.size(), 1);
        QCOMPARE(merged[0].value, QJsonValue(QJsonArray{4, 4}));
        QCOMPARE(merged[0].oldValue, QJsonValue(QJsonArray{-1, -1}));
        QCOMPARE(merged[0].id, s("d4"));

        // Int adds sum up; an add after a set folds into the set.
        Change a = make("n", TopicType::Int, ChangeType::Add, "a1");
        a.value = 2;
        Change b = make("n", TopicType::Int, ChangeType::Add, "a2");
        b.value = 3;
        merged = mergeChanges({a, b});
        QCOMPARE(merged.size(), 1);
        QCOMPARE(merged[0].type, ChangeType::Add);
        QCOMPARE(merged[0].value.toInteger(), 5);
        Change set = make("n", TopicType::Int, ChangeType::Set, "s1");
        set.value = 10;
        set.oldValue = 0;
        merged = mergeChanges({set, a});
        QCOMPARE(merged.size(), 1);
        QCOMPARE(merged[0].type, ChangeType::Set);
        QCOMPARE(merged[0].value.toInteger(), 12);
        // An overflowing sum is not merged.
        Change big = a;
        big.value = std::numeric_limits<qint64>::max();
        QCOMPARE(mergeChanges({big, b}).size(), 2);

        // Float adds become a set of the value the topic reached.
        Change f1 = make("f", TopicType::Float, ChangeType::Add, "f1");
        f1.value = 0.1;
        f1.oldValue = 1.0;
        Change f2 = make("f", TopicType::Float, ChangeType::Add, "f2");
        f2.value = 0.2;
        f2.oldValue = 1.0 + 0.1;
        merged = mergeChanges({f1, f2});
        QCOMPARE(merged.size(), 1);
        QCOMPARE(merged[0].type, ChangeType::Set);
        QCOMPARE(merged[0].value.toDouble(), (1.0 + 0.1) + 0.2);
        QCOMPARE(merged[0].oldValue.toDouble(), 1.0);

        // List inserts and emits are kept as they are, in order.
        Change i1 = make("l", TopicType::List, ChangeType::Insert, "i1");
        i1.value = 1;
        Change i2 = make("l", TopicType::List, ChangeType::Insert, "i2");
        i2.value = 2;
        merged = mergeChanges({i1, i2});
        QCOMPARE(merged.size(), 2);
        QCOMPARE(merged[1].id, s("i2"));

        // String sets keep the first base version and the last result version.
        Change s1 = make("s", TopicType::String, ChangeType::Set, "v1");
        s1.value = s("a");
        s1.topicVersion = s("v0");
        s1.resultTopicVersion = s("v1");
        Change s2 = make("s", TopicType::String, ChangeType::Set, "v2");
        s2.value = s("b");
        s2.topicVersion = s("v1");
        s2.resultTopicVersion = s("v2");
        merged = mergeChanges({s1, s2});
        QCOMPARE(merged.size(), 1);
        QCOMPARE(merged[0].topicVersion, s("v0"));
        QCOMPARE(merged[0].resultTopicVersion, s("v2"));
        QCOMPARE(merged[0].value, QJsonValue(s("b")));
    }
};

QTEST_GUILESS_MAIN(TstChangeCodec)
#include "tst_changecodec.moc"
