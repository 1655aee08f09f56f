// SPDX-License-Identifier: MIT
// The hand-written JSON writer and the nesting-depth scan.

#include "protocol/jsonlimits.h"
#include "protocol/jsonwriter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QtTest>
#include <cmath>
#include <limits>

using objectsync::protocol::jsonNestingDepth;
using objectsync::protocol::JsonWriter;

namespace {

QJsonValue parseValue(const QByteArray &json)
{
    // QJsonDocument only parses arrays and objects at the top: wrap the value.
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson("[" + json + "]", &error);
    if (error.error != QJsonParseError::NoError)
        return QJsonValue(QJsonValue::Undefined);
    return doc.array().at(0);
}

QString randomString(QRandomGenerator &rng)
{
    // No characters from U+E000 up: QJsonObject orders keys holding those and surrogate
    // pairs inconsistently, which breaks its lookups (a Qt issue, not the writer's).
    static const char16_t pool[] = {u'a', u'Z', u'0', u' ', u'"',  u'\\',  u'/',   u'\n', u'\t',
                                    0x01, 0x1f, 0x7f, 0xe9, 0x3b1, 0x4e2d, 0xd7ff, 0x20ac};
    QString s;
    const int n = rng.bounded(12);
    for (int i = 0; i < n; ++i) {
        if (rng.bounded(8) == 0) {
            s.append(QChar(0xD83D)); // a valid surrogate pair (an emoji)
            s.append(QChar(0xDE00));
        } else {
            s.append(QChar(pool[rng.bounded(int(std::size(pool)))]));
        }
    }
    return s;
}

QJsonValue randomValue(QRandomGenerator &rng, int depth)
{
    switch (rng.bounded(depth > 4 ? 5 : 7)) {
    case 0:
        return QJsonValue();
    case 1:
        return rng.bounded(2) == 1;
    case 2:
        return qint64(rng.generate64()) >> rng.bounded(64);
    case 3:
        return (rng.generateDouble() - 0.5) * std::pow(10.0, rng.bounded(-20, 20));
    case 4:
        return randomString(rng);
    case 5: {
        QJsonArray a;
        for (int i = rng.bounded(5); i > 0; --i)
            a.append(randomValue(rng, depth + 1));
        return a;
    }
    default: {
        QJsonObject o;
        for (int i = rng.bounded(5); i > 0; --i)
            o.insert(randomString(rng), randomValue(rng, depth + 1));
        return o;
    }
    }
}

/*! Equal JSON, whatever order QJsonObject happens to keep the keys in (Qt orders keys outside
 *  the BMP differently for parsed and for built objects). */
bool sameJson(const QJsonValue &a, const QJsonValue &b, bool numbersAsDoubles = false)
{
    if (a.type() != b.type())
        return false;
    switch (a.type()) {
    case QJsonValue::Array: {
        const QJsonArray x = a.toArray();
        const QJsonArray y = b.toArray();
        if (x.size() != y.size())
            return false;
        for (qsizetype i = 0; i < x.size(); ++i)
            if (!sameJson(x.at(i), y.at(i), numbersAsDoubles))
                return false;
        return true;
    }
    case QJsonValue::Object: {
        const QJsonObject x = a.toObject();
        const QJsonObject y = b.toObject();
        if (x.size() != y.size())
            return false;
        for (auto it = x.begin(); it != x.end(); ++it)
            if (!y.contains(it.key()) || !sameJson(it.value(), y.value(it.key()), numbersAsDoubles))
                return false;
        return true;
    }
    case QJsonValue::Double:
        return numbersAsDoubles ? a.toDouble() == b.toDouble() : a == b;
    default:
        return a == b;
    }
}

} // namespace

class TstJsonWriter : public QObject
{
    Q_OBJECT
private slots:
    void escapesStrings_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("plain") << QStringLiteral("hello") << QByteArray(R"("hello")");
        QTest::newRow("empty") << QString() << QByteArray(R"("")");
        QTest::newRow("quote and backslash")
            << QStringLiteral("a\"b\\c") << QByteArray("\"a\\\"b\\\\c\"");
        QTest::newRow("short escapes")
            << QStringLiteral("\b\f\n\r\t") << QByteArray("\"\\b\\f\\n\\r\\t\"");
        QTest::newRow("control") << QString(QChar(0x01)) + QChar(0x1f)
                                 << QByteArray("\"\\u0001\\u001f\"");
        QTest::newRow("slash and del") << QStringLiteral("/\x7f") << QByteArray("\"/\x7f\"");
        QTest::newRow("two bytes") << QString(QChar(0xe9)) << QByteArray("\"\xc3\xa9\"");
        QTest::newRow("three bytes") << QString(QChar(0x20ac)) << QByteArray("\"\xe2\x82\xac\"");
        QTest::newRow("surrogate pair")
            << QString::fromUtf8("\xf0\x9f\x98\x80") << QByteArray("\"\xf0\x9f\x98\x80\"");
        QTest::newRow("lone high surrogate")
            << QString(QChar(0xD83D)) + QLatin1Char('x') << QByteArray("\"\xef\xbf\xbdx\"");
        QTest::newRow("lone low surrogate at end")
            << QStringLiteral("x") + QChar(0xDE00) << QByteArray("\"x\xef\xbf\xbd\"");
    }
    void escapesStrings()
    {
        QFETCH(QString, text);
        QFETCH(QByteArray, json);
        QByteArray out;
        JsonWriter(&out).string(text);
        QCOMPARE(out, json);
        // Whatever it writes is valid JSON that reads back as the text (lone surrogates
        // excepted, which become U+FFFD).
        const QJsonValue back = parseValue(out);
        QVERIFY(back.isString());
        if (!QString(QTest::currentDataTag()).startsWith(QLatin1String("lone")))
            QCOMPARE(back.toString(), text);
    }

    void writesNumbers_data()
    {
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("zero") << QJsonValue(0) << QByteArray("0");
        QTest::newRow("negative") << QJsonValue(-42) << QByteArray("-42");
        QTest::newRow("int64 max")
            << QJsonValue(std::numeric_limits<qint64>::max()) << QByteArray("9223372036854775807");
        QTest::newRow("int64 min")
            << QJsonValue(std::numeric_limits<qint64>::min()) << QByteArray("-9223372036854775808");
        QTest::newRow("whole double") << QJsonValue(3.0) << QByteArray("3");
        QTest::newRow("fraction") << QJsonValue(0.1) << QByteArray("0.1");
        QTest::newRow("huge") << QJsonValue(1e300) << QByteArray("1e+300");
        QTest::newRow("tiny") << QJsonValue(-2.5e-8) << QByteArray("-2.5e-08");
        QTest::newRow("nan") << QJsonValue(std::nan("")) << QByteArray("null");
        QTest::newRow("infinity") << QJsonValue(std::numeric_limits<double>::infinity())
                                  << QByteArray("null");
    }
    void writesNumbers()
    {
        QFETCH(QJsonValue, value);
        QFETCH(QByteArray, json);
        QCOMPARE(JsonWriter::toJson(value), json);
        if (std::isfinite(value.toDouble()))
            QCOMPARE(parseValue(json).toDouble(), value.toDouble());
    }

    void writesStructures()
    {
        QByteArray out;
        JsonWriter w(&out);
        w.beginObject();
        w.key(QLatin1String("type"));
        w.string(u"hello");
        w.key(QLatin1String("args"));
        w.beginObject();
        w.key(QLatin1String("id"));
        w.integer(7);
        w.key(u"we\"ird");
        w.beginArray();
        w.null();
        w.boolean(true);
        w.raw("{\"x\":1}");
        w.beginArray();
        w.endArray();
        w.endArray();
        w.endObject();
        w.endObject();
        QCOMPARE(
            out,
            QByteArray(
                "{\"type\":\"hello\",\"args\":{\"id\":7,\"we\\\"ird\":[null,true,{\"x\":1},[]]}}"));
    }

    void randomValuesReadBackEqual()
    {
        QRandomGenerator rng(20240611);
        for (int i = 0; i < 2000; ++i) {
            const QJsonValue v = randomValue(rng, 0);
            const QByteArray json = JsonWriter::toJson(v);
            const QJsonValue back = parseValue(json);
            if (!sameJson(back, v)) {
                qWarning() << "wrote" << json << "\nexpected" << v << "\nread back" << back;
                QFAIL("the writer's output does not read back to the same value");
            }
            // And it says the same as Qt's own writer (which writes integers beyond 2^53
            // through a double, so those are compared as doubles).
            const QByteArray qt = QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact);
            if (!sameJson(parseValue(json), QJsonDocument::fromJson(qt).array().at(0), true)) {
                qWarning() << "ours" << json << "\nQt's" << qt;
                QFAIL("the writer and QJsonDocument disagree");
            }
        }
    }

    void nestingDepth()
    {
        QCOMPARE(jsonNestingDepth("{}", 64), 1);
        QCOMPARE(jsonNestingDepth("1", 64), 0);
        QCOMPARE(jsonNestingDepth(R"({"a":[[1],[2,[3]]],"b":{}})", 64), 4);
        // Brackets inside strings, and escaped quotes, do not count.
        QCOMPARE(jsonNestingDepth("{\"a\":\"[[[{{{\",\"b\":\"\\\"[[[\"}", 64), 1);
        QCOMPARE(jsonNestingDepth("[\"\\\\\",[[\"x\"]]]", 64), 3);
        // Stops early once the limit is passed.
        QCOMPARE(jsonNestingDepth("[[[[[[", 3), 4);
    }

    void nestingDepthOfAHugeNesting()
    {
        const QByteArray deep = QByteArray(100000, '[') + QByteArray(100000, ']');
        QCOMPARE(jsonNestingDepth(deep, 64), 65);
        QCOMPARE(jsonNestingDepth(deep, 1000000), 100000);
    }
};

QTEST_GUILESS_MAIN(TstJsonWriter)
#include "tst_jsonwriter.moc"
