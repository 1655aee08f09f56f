// SPDX-License-Identifier: MIT
// The journal's binary transition codec (format 2), the reader of format-1 JSON rows, and
// the checksums.
#include "storage/checksum.h"
#include "storage/journalcodec.h"
#include "storage/journaljson.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QtTest>

using namespace objectsync;
using namespace objectsync::storage;

namespace {
/*! A row payload holding \a transitions. */
QByteArray row(const QList<Transition> &transitions)
{
    ByteBuffer out;
    out += rowTag;
    for (const Transition &t : transitions)
        encodeTransition(out, t);
    return out.toByteArray();
}

Transition withChanges(const QList<Change> &changes)
{
    Transition t;
    t.changes = changes;
    return t;
}

Change valueChange(const QJsonValue &value)
{
    Change c;
    c.topicName = QStringLiteral("t");
    c.topicType = TopicType::Generic;
    c.type = ChangeType::Set;
    c.value = value;
    return c;
}

/*! Decodes a row of one transition and returns its first change's value. */
Result<QJsonValue> roundTrip(const QJsonValue &value)
{
    const auto decoded = decodeRow(row({withChanges({valueChange(value)})}), 1, 1);
    if (!decoded)
        return decoded.error();
    return decoded->first().transition.changes.first().value;
}

QJsonValue nested(int depth)
{
    QJsonValue v = 1;
    for (int i = 0; i < depth; ++i)
        v = QJsonArray{v};
    return v;
}
} // namespace

class TstJournalCodec : public QObject
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

        Transition t = withChanges(changes);
        t.origin = 4;
        t.actionId = QStringLiteral("act \"7\"");
        t.kind = TransitionKind::Undo;
        Transition redo = withChanges({c});
        redo.kind = TransitionKind::Redo;
        redo.origin = -3;
        const Transition empty;

        const auto decoded = decodeRow(row({t, redo, empty}), 41, 43);
        QVERIFY2(decoded, qPrintable(decoded.errorMessage()));
        QCOMPARE(decoded->size(), 3);
        QCOMPARE(decoded->at(0).sequence, 41u);
        QCOMPARE(decoded->at(0).transition.origin, 4);
        QCOMPARE(decoded->at(0).transition.actionId, t.actionId);
        QCOMPARE(decoded->at(0).transition.kind, TransitionKind::Undo);
        QCOMPARE(decoded->at(0).transition.changes.size(), changes.size());
        for (qsizetype i = 0; i < changes.size(); ++i)
            QVERIFY2(decoded->at(0).transition.changes.at(i) == changes.at(i),
                     qPrintable(QString::number(i)));
        QCOMPARE(decoded->at(0).transition.changes.at(2).value.toInteger(), qint64(1) << 62);
        QCOMPARE(decoded->at(1).sequence, 42u);
        QCOMPARE(decoded->at(1).transition.kind, TransitionKind::Redo);
        QCOMPARE(decoded->at(1).transition.origin, -3);
        QCOMPARE(decoded->at(2).sequence, 43u);
        QCOMPARE(decoded->at(2).transition.kind, TransitionKind::Forward);
        QVERIFY(decoded->at(2).transition.changes.isEmpty());
        QVERIFY(decoded->at(2).transition.actionId.isEmpty());
    }

    void smallChangeIsSmall()
    {
        // One int set: a few bytes besides the topic name.
        Change c;
        c.topicName = QStringLiteral("counter");
        c.topicType = TopicType::Int;
        c.type = ChangeType::Set;
        c.value = 123456;
        QVERIFY2(row({withChanges({c})}).size() <= 20, "an int set takes more than 20 bytes");
    }

    void oldValuesAreLeftOut()
    {
        Change c = valueChange(1);
        c.oldValue = QStringLiteral("a long old value that the journal does not need");
        const QByteArray bytes = row({withChanges({c})});
        QVERIFY(!bytes.contains("long old value"));
        const auto decoded = decodeRow(bytes, 1, 1);
        QVERIFY2(decoded, qPrintable(decoded.errorMessage()));
        QVERIFY(decoded->first().transition.changes.first().oldValue.isNull());
    }

    void valuesRoundTrip_data()
    {
        QTest::addColumn<QJsonValue>("value");
        QTest::newRow("bools") << QJsonValue(QJsonArray{true, false});
        QTest::newRow("int") << QJsonValue(-42);
        QTest::newRow("big int") << QJsonValue(qint64(-9007199254740993));
        QTest::newRow("min int") << QJsonValue(std::numeric_limits<qint64>::min());
        QTest::newRow("max int") << QJsonValue(std::numeric_limits<qint64>::max());
        QTest::newRow("double") << QJsonValue(0.1);
        QTest::newRow("negative double") << QJsonValue(-2.5e-7);
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
        QTest::newRow("as deep as JSON allows") << nested(1024);
    }
    void valuesRoundTrip()
    {
        QFETCH(QJsonValue, value);
        const Result<QJsonValue> back = roundTrip(value);
        QVERIFY2(back, qPrintable(back.errorMessage()));
        QCOMPARE(*back, value);
        if (value.isDouble())
            QCOMPARE(back->toInteger(-1), value.toInteger(-1));
    }

    void loneSurrogateBecomesReplacement()
    {
        const Result<QJsonValue> back =
            roundTrip(QJsonValue(QString(QChar(0xD800)) + QLatin1Char('x')));
        QVERIFY2(back, qPrintable(back.errorMessage()));
        QCOMPARE(back->toString(), QString(QChar(0xFFFD)) + QLatin1Char('x'));
    }

    void nonFiniteNumbersBecomeNull()
    {
        QVERIFY(roundTrip(QJsonValue(qInf())).valueOr(QJsonValue::Undefined).isNull());
        QVERIFY(roundTrip(QJsonValue(qQNaN())).valueOr(QJsonValue::Undefined).isNull());
    }

    void rowMustHoldExactlyItsSequences()
    {
        const QByteArray two = row({withChanges({valueChange(1)}), withChanges({})});
        QVERIFY(decodeRow(two, 5, 6));
        const auto short5 = decodeRow(two, 5, 5);
        QVERIFY(!short5);
        QVERIFY2(short5.errorMessage().contains(QStringLiteral("more than")),
                 qPrintable(short5.errorMessage()));
        QCOMPARE(short5.error().code(), ErrorCode::Corrupt);
        const auto long7 = decodeRow(two, 5, 7);
        QVERIFY(!long7);
        QVERIFY2(long7.errorMessage().contains(QStringLiteral("holds 2 transitions, not 3")),
                 qPrintable(long7.errorMessage()));
        QVERIFY(!decodeRow(two, 0, 1));
        QVERIFY(!decodeRow(two, 6, 5));
        QVERIFY(!decodeRow(QByteArray(), 1, 1));
        QVERIFY(!decodeRow(two.mid(1), 5, 6)); // no row tag
        QVERIFY(!decodeRow(QByteArray("[]"), 1, 1));
    }

    void everyTruncationIsRefused()
    {
        Change s;
        s.topicName = QStringLiteral("a/0_1/text");
        s.topicType = TopicType::String;
        s.type = ChangeType::Insert;
        s.position = 300;
        s.text = QStringLiteral("t\u00e9xt");
        s.topicVersion = QStringLiteral("v1");
        Transition t = withChanges(
            {s, valueChange(QJsonObject{{QStringLiteral("k"), QJsonArray{1.5, -7, false}}})});
        t.origin = 9;
        t.actionId = QStringLiteral("a1");
        const QByteArray bytes = row({t, withChanges({valueChange(QStringLiteral("x"))})});
        const auto whole = decodeRow(bytes, 1, 2);
        QVERIFY2(whole, qPrintable(whole.errorMessage()));
        for (qsizetype n = 0; n < bytes.size(); ++n) {
            const auto cut = decodeRow(bytes.first(n), 1, 2);
            QVERIFY2(!cut, qPrintable(QString::number(n)));
            QVERIFY(!cut.errorMessage().isEmpty());
        }
    }

    void damagedBytesAreRefusedOrDecodedSafely()
    {
        // A checksum makes this unlikely, but a damaged row must never crash the reader.
        const QByteArray bytes = row({withChanges(
            {valueChange(QJsonObject{{QStringLiteral("list"),
                                      QJsonArray{1, QStringLiteral("two"), 3.5, QJsonObject{}}}}),
             valueChange(-77)})});
        QRandomGenerator random(20261126);
        int refused = 0;
        for (int round = 0; round < 20000; ++round) {
            QByteArray damaged = bytes;
            const int flips = 1 + int(random.bounded(3));
            for (int i = 0; i < flips; ++i)
                damaged[qsizetype(random.bounded(quint32(damaged.size())))] =
                    char(random.bounded(256));
            if (const auto decoded = decodeRow(damaged, 1, 1); !decoded) {
                QVERIFY(!decoded.errorMessage().isEmpty());
                ++refused;
            }
        }
        QVERIFY(refused > 0);
    }

    void hostileRowsAreRefused_data()
    {
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<QString>("reason");
        // A transition header 0, one change of generic/set with a value, topic "t".
        const QByteArray change = QByteArray::fromHex("00"
                                                      "01"
                                                      "000004"
                                                      "0174");
        QByteArray deep = QByteArray(1, rowTag) + change;
        for (int i = 0; i < 1025; ++i)
            deep += QByteArray::fromHex("0601"); // an array of one item, 1025 deep
        deep += QByteArray::fromHex("00");
        QTest::newRow("too deep") << deep << QStringLiteral("nested deeper than 1024");
        QTest::newRow("huge array count")
            << QByteArray(1, rowTag) + change + QByteArray::fromHex("06ffffffffffffffff7f")
            << QStringLiteral("count larger than the payload");
        QTest::newRow("huge string length")
            << QByteArray(1, rowTag) + change + QByteArray::fromHex("05ffffffff0f41")
            << QStringLiteral("cut short");
        QTest::newRow("varint too long")
            << QByteArray(1, rowTag) + change + QByteArray::fromHex("03ffffffffffffffffff7f")
            << QStringLiteral("out of range");
        QTest::newRow("unknown value tag")
            << QByteArray(1, rowTag) + change + QByteArray::fromHex("08")
            << QStringLiteral("unknown value tag");
        QTest::newRow("unknown topic type") << QByteArray(1, rowTag) + QByteArray::fromHex("0001"
                                                                                           "090000"
                                                                                           "0174")
                                            << QStringLiteral("unknown codes");
        QTest::newRow("unknown change type") << QByteArray(1, rowTag) + QByteArray::fromHex("0001"
                                                                                            "000a00"
                                                                                            "0174")
                                             << QStringLiteral("unknown codes");
        QTest::newRow("unknown field bit") << QByteArray(1, rowTag) + QByteArray::fromHex("0001"
                                                                                          "000080"
                                                                                          "0174")
                                           << QStringLiteral("unknown codes");
        QTest::newRow("unknown transition kind")
            << QByteArray(1, rowTag) + QByteArray::fromHex("0300")
            << QStringLiteral("unknown codes");
        QTest::newRow("unknown transition bit")
            << QByteArray(1, rowTag) + QByteArray::fromHex("1000")
            << QStringLiteral("unknown codes");
        QTest::newRow("origin out of range")
            << QByteArray(1, rowTag) + QByteArray::fromHex("04ffffffff7f00")
            << QStringLiteral("origin out of range");
        QTest::newRow("no topic name") << QByteArray(1, rowTag) + QByteArray::fromHex("0001"
                                                                                      "000000"
                                                                                      "00")
                                       << QStringLiteral("no topic name");
        QTest::newRow("not finite")
            << QByteArray(1, rowTag) + change + QByteArray::fromHex("04000000000000f07f")
            << QStringLiteral("not finite");
    }
    void hostileRowsAreRefused()
    {
        QFETCH(QByteArray, payload);
        QFETCH(QString, reason);
        const auto decoded = decodeRow(payload, 1, 1);
        QVERIFY(!decoded);
        QVERIFY2(decoded.errorMessage().contains(reason), qPrintable(decoded.errorMessage()));
        // Too deep is a limit of the reader; everything else is damage.
        QCOMPARE(decoded.error().code(), reason.contains(QLatin1String("deeper"))
                                             ? ErrorCode::LimitExceeded
                                             : ErrorCode::Corrupt);
    }

    void formatOneRowsAreRead()
    {
        // As format 1 wrote them (docs/workspaces.md).
        const QByteArray json =
            R"([{"s":12,"o":3,"a":"a17","c":[{"n":"a/0_4/text","t":"string","c":"insert","i":"3_9","p":5,"x":"hi","tv":"h7","rv":"h8"}]},)"
            R"({"s":13,"k":"undo","c":[{"n":"a/0_4/x","t":"float","c":"set","v":2.5}]}])";
        const auto decoded = decodeTransitions(json);
        QVERIFY2(decoded, qPrintable(decoded.errorMessage()));
        QCOMPARE(decoded->size(), 2);
        QCOMPARE(decoded->at(0).sequence, 12u);
        QCOMPARE(decoded->at(0).transition.origin, 3);
        QCOMPARE(decoded->at(0).transition.actionId, QStringLiteral("a17"));
        const Change &insert = decoded->at(0).transition.changes.at(0);
        QCOMPARE(insert.topicName, QStringLiteral("a/0_4/text"));
        QCOMPARE(insert.topicType, TopicType::String);
        QCOMPARE(insert.type, ChangeType::Insert);
        QCOMPARE(insert.id, QStringLiteral("3_9"));
        QCOMPARE(insert.position, 5);
        QCOMPARE(insert.text, QStringLiteral("hi"));
        QCOMPARE(insert.topicVersion, QStringLiteral("h7"));
        QCOMPARE(insert.resultTopicVersion, QStringLiteral("h8"));
        QCOMPARE(decoded->at(1).sequence, 13u);
        QCOMPARE(decoded->at(1).transition.kind, TransitionKind::Undo);
        QCOMPARE(decoded->at(1).transition.changes.at(0).value, QJsonValue(2.5));
    }

    void malformedFormatOneRowsAreRefused_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("not json") << QByteArray("[{");
        QTest::newRow("not an array") << QByteArray(R"({"s":1,"c":[]})");
        QTest::newRow("not an object") << QByteArray("[1]");
        QTest::newRow("unknown kind") << QByteArray(R"([{"s":1,"k":"sideways","c":[]}])");
        QTest::newRow("sequence 0") << QByteArray(R"([{"s":0,"c":[]}])");
        QTest::newRow("no changes") << QByteArray(R"([{"s":1}])");
        QTest::newRow("no topic") << QByteArray(R"([{"s":1,"c":[{"t":"int","c":"set"}]}])");
        QTest::newRow("unknown topic type")
            << QByteArray(R"([{"s":1,"c":[{"n":"t","t":"tree","c":"set"}]}])");
        QTest::newRow("unknown change type")
            << QByteArray(R"([{"s":1,"c":[{"n":"t","t":"int","c":"grow"}]}])");
        QTest::newRow("bad position")
            << QByteArray(R"([{"s":1,"c":[{"n":"t","t":"list","c":"pop","p":1.5}]}])");
        QTest::newRow("key not a string")
            << QByteArray(R"([{"s":1,"c":[{"n":"t","t":"dict","c":"pop","k":3}]}])");
    }
    void malformedFormatOneRowsAreRefused()
    {
        QFETCH(QByteArray, json);
        const auto decoded = decodeTransitions(json);
        QVERIFY(!decoded);
        QVERIFY(!decoded.errorMessage().isEmpty());
        QCOMPARE(decoded.error().code(), ErrorCode::Corrupt);
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
};

QTEST_GUILESS_MAIN(TstJournalCodec)
#include "tst_journalcodec.moc"
