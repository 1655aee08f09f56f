// SPDX-License-Identifier: MIT
// Text forms of values (what cells show and editors accept) and the editors' validation.
#include "jsontext.h"
#include "valuevalidators.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QtTest>

using namespace objectsync;

class TstInspectorText : public QObject
{
    Q_OBJECT
private slots:
    void compactScalarsAndContainers()
    {
        QCOMPARE(jsontext::compact(QJsonValue(QStringLiteral("a\"b"))),
                 QStringLiteral("\"a\\\"b\""));
        QCOMPARE(jsontext::compact(QJsonValue(qint64(-5))), QStringLiteral("-5"));
        QCOMPARE(jsontext::compact(QJsonValue()), QStringLiteral("null"));
        QCOMPARE(jsontext::compact(QJsonValue(false)), QStringLiteral("false"));
        QCOMPARE(jsontext::compact(QJsonArray{1, QStringLiteral("x")}),
                 QStringLiteral("[1,\"x\"]"));
        QCOMPARE(jsontext::compact(QJsonObject{{QStringLiteral("k"), 1}}),
                 QStringLiteral("{\"k\":1}"));
    }

    void parseOneValue()
    {
        QCOMPARE(*jsontext::parse(QStringLiteral(" 12 ")), QJsonValue(12));
        QCOMPARE(*jsontext::parse(QStringLiteral("\"x\"")), QJsonValue(QStringLiteral("x")));
        QCOMPARE(*jsontext::parse(QStringLiteral("null")), QJsonValue(QJsonValue::Null));
        const Result<QJsonValue> two = jsontext::parse(QStringLiteral("1, 2"));
        QVERIFY(!two);
        QVERIFY(two.errorMessage().contains(QStringLiteral("one JSON value")));
        QCOMPARE(two.error().code(), ErrorCode::InvalidArgument);
        QVERIFY(!jsontext::parse(QStringLiteral("   ")));
        const Result<QJsonValue> broken = jsontext::parse(QStringLiteral("{\"a\": }"));
        QVERIFY(!broken);
        QVERIFY2(broken.errorMessage().contains(QStringLiteral("character")),
                 qPrintable(broken.errorMessage()));
        QVERIFY(!jsontext::parse(QStringLiteral("1] , [2")));
    }

    void textRoundTrips_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<QJsonValue>("value");
        QTest::newRow("string") << int(TopicType::String) << QJsonValue(QStringLiteral("a b\nc"));
        QTest::newRow("int max") << int(TopicType::Int)
                                 << QJsonValue(std::numeric_limits<qint64>::max());
        QTest::newRow("int min") << int(TopicType::Int)
                                 << QJsonValue(std::numeric_limits<qint64>::min());
        QTest::newRow("float") << int(TopicType::Float) << QJsonValue(0.1);
        QTest::newRow("float tiny") << int(TopicType::Float) << QJsonValue(1e-300);
        QTest::newRow("dict") << int(TopicType::Dict)
                              << QJsonValue(QJsonObject{{QStringLiteral("a"), QJsonArray{1}}});
        QTest::newRow("list") << int(TopicType::List) << QJsonValue(QJsonArray{1, 1, QJsonValue()});
        QTest::newRow("set") << int(TopicType::Set) << QJsonValue(QJsonArray{1, 2});
        QTest::newRow("generic string")
            << int(TopicType::Generic) << QJsonValue(QStringLiteral("s"));
        QTest::newRow("generic null") << int(TopicType::Generic) << QJsonValue(QJsonValue::Null);
    }

    void textRoundTrips()
    {
        QFETCH(int, type);
        QFETCH(QJsonValue, value);
        const auto t = static_cast<TopicType>(type);
        const QString text = jsontext::toText(t, value);
        const Result<QJsonValue> back = jsontext::fromText(t, text);
        QVERIFY2(back, qPrintable(back.errorMessage()));
        QCOMPARE(*back, value);
    }

    void refusedText_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<QString>("text");
        QTest::newRow("int too big") << int(TopicType::Int) << "9223372036854775808";
        QTest::newRow("int too small") << int(TopicType::Int) << "-9223372036854775809";
        QTest::newRow("int fraction") << int(TopicType::Int) << "1.0";
        QTest::newRow("int empty") << int(TopicType::Int) << "";
        QTest::newRow("float nan") << int(TopicType::Float) << "nan";
        QTest::newRow("float words") << int(TopicType::Float) << "one";
        QTest::newRow("float huge") << int(TopicType::Float) << "1e999";
        QTest::newRow("dict array") << int(TopicType::Dict) << "[]";
        QTest::newRow("list object") << int(TopicType::List) << "{}";
        QTest::newRow("set duplicate") << int(TopicType::Set) << "[{\"a\":1}, {\"a\":1}]";
        QTest::newRow("set scalar") << int(TopicType::Set) << "1";
        QTest::newRow("generic broken") << int(TopicType::Generic) << "{";
        QTest::newRow("event") << int(TopicType::Event) << "{}";
    }

    void refusedText()
    {
        QFETCH(int, type);
        QFETCH(QString, text);
        const Result<QJsonValue> refused = jsontext::fromText(static_cast<TopicType>(type), text);
        QVERIFY(!refused);
        const QString error = refused.errorMessage();
        QVERIFY(!error.isEmpty());
        TopicValueValidator validator(static_cast<TopicType>(type));
        int pos = 0;
        QVERIFY(validator.validate(text, pos) != QValidator::Acceptable);
        QCOMPARE(validator.explain(text), error);
    }

    void intValidatorBlocksNonDigits()
    {
        TopicValueValidator validator(TopicType::Int);
        int pos = 0;
        QString text = QStringLiteral("12a");
        QCOMPARE(validator.validate(text, pos), QValidator::Invalid);
        text = QStringLiteral("-");
        QCOMPARE(validator.validate(text, pos), QValidator::Intermediate);
        text = QStringLiteral("-12");
        QCOMPARE(validator.validate(text, pos), QValidator::Acceptable);
        TopicValueValidator json(TopicType::Dict);
        text = QStringLiteral("{\"a\": 1");
        QCOMPARE(json.validate(text, pos), QValidator::Intermediate);
        text = QStringLiteral("{\"a\": 1}");
        QCOMPARE(json.validate(text, pos), QValidator::Acceptable);
    }

    void elided()
    {
        QCOMPARE(jsontext::elided(QStringLiteral("abcdef"), 10), QStringLiteral("abcdef"));
        QCOMPARE(jsontext::elided(QStringLiteral("abcdef"), 4).size(), 4);
        QVERIFY(jsontext::elided(QStringLiteral("abcdef"), 4).endsWith(QChar(0x2026)));
    }
};

QTEST_GUILESS_MAIN(TstInspectorText)
#include "tst_inspectortext.moc"
