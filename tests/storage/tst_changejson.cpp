// SPDX-License-Identifier: MIT
// The journal's compact change encoding and its checksums.
#include "changejson.h"
#include "checksum.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

using namespace objectsync;
using namespace objectsync::storage;

class TstChangeJson : public QObject
{
    Q_OBJECT
private slots:
    void roundTripEveryField()
    {
        QList<Change> changes;
        Change a;
        a.topicName = QStringLiteral("a/0_1/text");
        a.topicType = TopicType::String;
        a.type = ChangeType::Insert;
        a.id = QStringLiteral("3_7");
        a.position = 12;
        a.text = QStringLiteral("héllo \"quoted\"\n");
        a.topicVersion = QStringLiteral("h4");
        a.resultTopicVersion = QStringLiteral("h5");
        changes.append(a);
        Change b;
        b.topicName = QStringLiteral("a/0_1/style");
        b.topicType = TopicType::Dict;
        b.type = ChangeType::ChangeValue;
        b.key = QStringLiteral("color");
        b.value = QJsonObject{{QStringLiteral("nested"), QJsonArray{1, 2.5, true, QJsonValue()}}};
        changes.append(b);
        Change c;
        c.topicName = QStringLiteral("n");
        c.topicType = TopicType::Int;
        c.type = ChangeType::Add;
        c.value = qint64(1) << 62; // beyond a double's exact range
        c.position = -1;
        changes.append(c);
        Change d;
        d.topicName = QStringLiteral("create_object");
        d.topicType = TopicType::Event;
        d.type = ChangeType::ReversedEmit;
        d.value = QJsonObject{{QStringLiteral("id"), QStringLiteral("0_3")}};
        changes.append(d);

        const QByteArray json = encodeChanges(changes);
        QString error;
        const auto decoded = decodeChanges(json, &error);
        QVERIFY2(decoded, qPrintable(error));
        QCOMPARE(decoded->size(), changes.size());
        for (qsizetype i = 0; i < changes.size(); ++i)
            QVERIFY2(decoded->at(i) == changes.at(i), qPrintable(QString::number(i)));
        QCOMPARE(decoded->at(2).value.toInteger(), qint64(1) << 62);
    }

    void oldValuesAreLeftOut()
    {
        Change c;
        c.topicName = QStringLiteral("t");
        c.type = ChangeType::Set;
        c.value = 1;
        c.oldValue = QStringLiteral("a long old value that the journal does not need");
        const QByteArray json = encodeChanges({c});
        QVERIFY(!json.contains("long old value"));
        QCOMPARE(json, QByteArray(R"([{"n":"t","t":"generic","c":"set","v":1}])"));
    }

    void rejectsMalformed_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("not json") << QByteArray("[{");
        QTest::newRow("not an array") << QByteArray(R"({"n":"t"})");
        QTest::newRow("not an object") << QByteArray("[1]");
        QTest::newRow("no topic") << QByteArray(R"([{"t":"int","c":"set"}])");
        QTest::newRow("unknown topic type") << QByteArray(R"([{"n":"t","t":"tree","c":"set"}])");
        QTest::newRow("unknown change type") << QByteArray(R"([{"n":"t","t":"int","c":"grow"}])");
        QTest::newRow("bad position") << QByteArray(R"([{"n":"t","t":"list","c":"pop","p":1.5}])");
        QTest::newRow("key not a string")
            << QByteArray(R"([{"n":"t","t":"dict","c":"pop","k":3}])");
    }
    void rejectsMalformed()
    {
        QFETCH(QByteArray, json);
        QString error;
        QVERIFY(!decodeChanges(json, &error));
        QVERIFY(!error.isEmpty());
    }

    void crc32KnownValue()
    {
        QCOMPARE(crc32("123456789"), 0xCBF43926u); // the standard check value
        QCOMPARE(crc32(""), 0u);
        QCOMPARE(crc32("6789", crc32("12345")), crc32("123456789"));
    }

    void rowChecksumCoversSequences()
    {
        const QByteArray payload("[]");
        const quint32 base = rowChecksum(5, 7, payload);
        QCOMPARE(rowChecksum(5, 7, payload), base);
        QVERIFY(base != rowChecksum(6, 7, payload));
        QVERIFY(base != rowChecksum(5, 8, payload));
        QVERIFY(base != rowChecksum(5, 7, "[ ]"));
    }

    void valuesMatchQtJson_data()
    {
        QTest::addColumn<QJsonValue>("value");
        QTest::newRow("null") << QJsonValue();
        QTest::newRow("bools") << QJsonValue(QJsonArray{true, false});
        QTest::newRow("int") << QJsonValue(-42);
        QTest::newRow("big int") << QJsonValue(qint64(-9007199254740993));
        QTest::newRow("double") << QJsonValue(0.1);
        QTest::newRow("tiny") << QJsonValue(5e-324);
        QTest::newRow("huge") << QJsonValue(1.7976931348623157e308);
        QTest::newRow("whole double") << QJsonValue(3.0);
        QTest::newRow("escapes") << QJsonValue(QStringLiteral("a\"b\\c\n\t\r\x01\x1f/"));
        QTest::newRow("unicode") << QJsonValue(
            QStringLiteral("h\u00e9llo \u4e16\u754c \U0001F600"));
        QTest::newRow("controls") << QJsonValue(
            QString::fromUtf16(u"\u0000\u0007\u007f\u0080\u07ff\u0800\uffff"));
        QTest::newRow("grows") << QJsonValue(QJsonArray{QString(100000, QLatin1Char('g')), 1});
        QTest::newRow("long") << QJsonValue(QString(3000, QLatin1Char('w')) +
                                            QStringLiteral("\u00e9"));
        QTest::newRow("nested") << QJsonValue(QJsonObject{
            {QStringLiteral("b"), QJsonArray{1, QJsonObject{{QStringLiteral("x"), QJsonValue()}}}},
            {QStringLiteral("a"), QStringLiteral("\"")}});
        QTest::newRow("empty") << QJsonValue(QJsonArray{QJsonArray(), QJsonObject(), QString()});
    }
    void valuesMatchQtJson()
    {
        QFETCH(QJsonValue, value);
        JsonBuffer buffer;
        appendJsonValue(buffer, QJsonArray{value});
        const QByteArray mine = buffer.toByteArray();
        const QByteArray qt = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
        const QJsonDocument parsed = QJsonDocument::fromJson(mine);
        QVERIFY2(parsed.isArray(), mine.constData());
        QCOMPARE(parsed.array().at(0), value);
        QCOMPARE(mine, qt);
    }

    void loneSurrogateBecomesReplacement()
    {
        JsonBuffer out;
        appendJsonValue(out, QJsonValue(QString(QChar(0xD800)) + QLatin1Char('x')));
        QCOMPARE(out.toByteArray(), QByteArray("\"\xEF\xBF\xBDx\""));
    }

    void nonFiniteNumbersBecomeNull()
    {
        JsonBuffer out;
        appendJsonValue(out, QJsonValue(qInf()));
        QCOMPARE(out.toByteArray(), QByteArray("null"));
    }

    void transitionsRoundTrip()
    {
        Transition t;
        t.origin = 4;
        t.actionId = QStringLiteral("act \"7\"");
        t.kind = TransitionKind::Undo;
        Change c;
        c.topicName = QStringLiteral("n");
        c.topicType = TopicType::Int;
        c.type = ChangeType::Add;
        c.value = 3;
        t.changes = {c, c};
        Transition plain;
        plain.changes = {c};
        JsonBuffer payload;
        payload += '[';
        appendTransition(payload, 41, t);
        payload += ',';
        appendTransition(payload, 42, plain);
        payload += ']';
        QString error;
        const auto decoded = decodeTransitions(payload.toByteArray(), &error);
        QVERIFY2(decoded, qPrintable(error));
        QCOMPARE(decoded->size(), 2);
        QCOMPARE(decoded->at(0).sequence, 41u);
        QCOMPARE(decoded->at(0).transition.origin, 4);
        QCOMPARE(decoded->at(0).transition.actionId, t.actionId);
        QCOMPARE(decoded->at(0).transition.kind, TransitionKind::Undo);
        QCOMPARE(decoded->at(0).transition.changes, t.changes);
        QCOMPARE(decoded->at(1).sequence, 42u);
        QCOMPARE(decoded->at(1).transition.kind, TransitionKind::Forward);
        QVERIFY(!decodeTransitions(R"([{"s":1,"k":"sideways","c":[]}])", &error));
        QVERIFY(!decodeTransitions(R"([{"s":0,"c":[]}])", &error));
        QVERIFY(!decodeTransitions(R"([{"s":1}])", &error));
    }
};

QTEST_GUILESS_MAIN(TstChangeJson)
#include "tst_changejson.moc"
