// SPDX-License-Identifier: MIT
// ServiceArgs: typed reading of service and build arguments, and the messages of refusals.
#include <objectsync/serviceargs.h>

#include <QtTest>

using namespace objectsync;

namespace {

/*! The message of the Error \a fn throws, or "(nothing thrown)". */
template<class Fn> QString refusal(Fn &&fn)
{
    try {
        fn();
    } catch (const Error &e) {
        return e.message();
    }
    return QStringLiteral("(nothing thrown)");
}

} // namespace

class TstServiceArgs : public QObject
{
    Q_OBJECT
private slots:
    void readsEachType()
    {
        const ServiceArgs args(QJsonObject{
            {QStringLiteral("flag"), true},
            {QStringLiteral("n"), 42},
            {QStringLiteral("big"), 5e12},
            {QStringLiteral("x"), 1.5},
            {QStringLiteral("s"), QStringLiteral("text")},
            {QStringLiteral("l"), QJsonArray{QStringLiteral("a"), QStringLiteral("b")}},
            {QStringLiteral("o"), QJsonObject{{QStringLiteral("k"), 1}}},
            {QStringLiteral("any"), QJsonArray{1, QStringLiteral("two")}},
        });
        QCOMPARE(args.required<bool>("flag"), true);
        QCOMPARE(args.required<int>("n"), 42);
        QCOMPARE(args.required<qint64>("big"), qint64(5000000000000));
        QCOMPARE(args.required<double>("x"), 1.5);
        QCOMPARE(args.required<double>("n"), 42.0);
        QCOMPARE(args.required<QString>("s"), QStringLiteral("text"));
        QCOMPARE(args.required<QStringList>("l"),
                 (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
        QCOMPARE(args.required<QJsonObject>("o").value(QStringLiteral("k")).toInt(), 1);
        QCOMPARE(args.required<QJsonArray>("any").size(), 2);
        QCOMPARE(args.required<QJsonValue>("s"), QJsonValue(QStringLiteral("text")));
        QVERIFY(args.has("n"));
        QVERIFY(!args.has("missing"));
        QCOMPARE(args.json().size(), 8);
    }

    void optionalTakesTheFallbackForMissingAndNull()
    {
        const ServiceArgs args(
            QJsonObject{{QStringLiteral("by"), 3}, {QStringLiteral("none"), QJsonValue::Null}});
        QCOMPARE(args.optional("by", 1), 3);
        QCOMPARE(args.optional("missing", 1), 1);
        QCOMPARE(args.optional("none", 1), 1);
        QVERIFY(!args.has("none"));
        QCOMPARE(args.optional<QString>("missing", QStringLiteral("fallback")),
                 QStringLiteral("fallback"));
    }

    void refusalsNameTheArgumentAndTheType()
    {
        const ServiceArgs args(
            QJsonObject{{QStringLiteral("by"), QStringLiteral("two")},
                        {QStringLiteral("half"), 1.5},
                        {QStringLiteral("huge"), 3e9},
                        {QStringLiteral("none"), QJsonValue::Null},
                        {QStringLiteral("labels"), QJsonArray{QStringLiteral("ok"), 7}}});
        QCOMPARE(refusal([&] { args.required<int>("by"); }),
                 QStringLiteral("argument \"by\" must be a whole number, not a string"));
        QCOMPARE(refusal([&] { args.optional<int>("by", 1); }),
                 QStringLiteral("argument \"by\" must be a whole number, not a string"));
        QCOMPARE(refusal([&] { args.required<int>("half"); }),
                 QStringLiteral("argument \"half\" must be a whole number, not a number"));
        QCOMPARE(refusal([&] { args.required<int>("huge"); }),
                 QStringLiteral("argument \"huge\" is out of range (-2147483648 to 2147483647)"));
        QCOMPARE(args.required<qint64>("huge"), qint64(3000000000));
        QCOMPARE(refusal([&] { args.required<QString>("title"); }),
                 QStringLiteral("argument \"title\" is required (a string)"));
        QCOMPARE(refusal([&] { args.required<bool>("none"); }),
                 QStringLiteral("argument \"none\" is required (true or false)"));
        QCOMPARE(refusal([&] { args.required<QJsonObject>("by"); }),
                 QStringLiteral("argument \"by\" must be an object, not a string"));
        QCOMPARE(refusal([&] { args.required<QStringList>("labels"); }),
                 QStringLiteral("argument \"labels\" must be an array of strings (item 1 is a "
                                "number)"));
        QCOMPARE(refusal([&] { args.required<QJsonValue>("missing"); }),
                 QStringLiteral("argument \"missing\" is required (any value)"));
    }

    void handlersMayTakeServiceArgs()
    {
        // The form the examples use: a handler taking ServiceArgs where a QJsonObject is passed.
        const std::function<QJsonValue(const QJsonObject &)> handler = [](const ServiceArgs &args) {
            return args.optional<int>("by", 1) * 2;
        };
        QCOMPARE(handler(QJsonObject{{QStringLiteral("by"), 4}}), QJsonValue(8));
        QCOMPARE(handler(QJsonObject()), QJsonValue(2));
    }
};

QTEST_GUILESS_MAIN(TstServiceArgs)
#include "tst_serviceargs.moc"
