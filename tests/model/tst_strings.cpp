// SPDX-License-Identifier: MIT
// String topics: versions, and the transformation of edits made against older versions.
#include "testtypes.h"

#include <QtTest>

using namespace objectsync;
using namespace testing;

Q_DECLARE_METATYPE(objectsync::ChangeType)

namespace {

Change edit(const StringTopic *topic, ChangeType type, qint64 position, const QString &text,
            const QString &version, const QString &id, const QString &result = {})
{
    Change c;
    c.topicName = topic->name();
    c.topicType = TopicType::String;
    c.type = type;
    c.position = position;
    c.text = text;
    c.id = id;
    c.topicVersion = version;
    c.resultTopicVersion = result;
    return c;
}

Change setChange(const StringTopic *topic, const QString &value, const QString &id,
                 const QString &result = {})
{
    Change c;
    c.topicName = topic->name();
    c.topicType = TopicType::String;
    c.type = ChangeType::Set;
    c.value = value;
    c.id = id;
    c.resultTopicVersion = result;
    return c;
}

/*! Applies \a c and returns the change as announced. */
Change applied(Engine &engine, const Change &c)
{
    TransitionRecorder recorder(&engine);
    engine.applyChange(c);
    if (recorder.count() != 1 || recorder.last()->changes.size() != 1)
        throw Error(QStringLiteral("expected one transition with one change"));
    return recorder.last()->changes.first();
}

} // namespace

class TstStrings : public QObject
{
    Q_OBJECT
private slots:
    void versionsAdvance();
    void resultVersionIsTaken();
    void setTakesItsIdAsVersion();
    void currentVersionKeepsTheId();
    void transform_data();
    void transform();
    void transformOverSeveralSteps();
    void onlyLaterStepsCount();
    void hostMadeTransformedChangeHasNoId();
    void transformedDeleteMustStillMatch();
    void unknownVersionIsRefused();
    void refusedChangeCreatesNoVersion();
    void versionsTooOldAreForgotten();
    void undoOfTransformedEdits();
};

void TstStrings::versionsAdvance()
{
    Engine engine;
    auto *s = engine.addTopic<StringTopic>(QStringLiteral("s"), QStringLiteral("abc"));
    QSet<QString> seen{s->version()};
    s->insert(0, QStringLiteral("x"));
    seen.insert(s->version());
    s->remove(0, 1);
    seen.insert(s->version());
    s->set(QStringLiteral("new"));
    seen.insert(s->version());
    QCOMPARE(seen.size(), 4);
    QVERIFY(!s->version().isEmpty());
}

void TstStrings::resultVersionIsTaken()
{
    Engine engine;
    auto *s = engine.addTopic<StringTopic>(QStringLiteral("s"), QStringLiteral("abc"));
    const Change c =
        applied(engine, edit(s, ChangeType::Insert, 0, QStringLiteral("X"), s->version(),
                             QStringLiteral("c1"), QStringLiteral("v1")));
    QCOMPARE(s->version(), QStringLiteral("v1"));
    QCOMPARE(c.resultTopicVersion, QStringLiteral("v1"));
    const QString before = c.topicVersion;
    QVERIFY(!before.isEmpty());
    // Without a result version the engine makes one.
    const Change d = applied(engine, edit(s, ChangeType::Insert, 0, QStringLiteral("Y"),
                                          QStringLiteral("v1"), QStringLiteral("c2")));
    QVERIFY(!d.resultTopicVersion.isEmpty());
    QCOMPARE(s->version(), d.resultTopicVersion);
    QCOMPARE(d.topicVersion, QStringLiteral("v1"));
}

void TstStrings::setTakesItsIdAsVersion()
{
    Engine engine;
    auto *s = engine.addTopic<StringTopic>(QStringLiteral("s"), QStringLiteral("abc"));
    applied(engine, setChange(s, QStringLiteral("xyz"), QStringLiteral("s1")));
    QCOMPARE(s->version(), QStringLiteral("s1"));
    applied(engine,
            setChange(s, QStringLiteral("uvw"), QStringLiteral("s2"), QStringLiteral("r2")));
    QCOMPARE(s->version(), QStringLiteral("r2"));
    // An edit based on the version a set produced applies as is.
    const Change c = applied(engine, edit(s, ChangeType::Insert, 3, QStringLiteral("!"),
                                          QStringLiteral("r2"), QStringLiteral("c1")));
    QCOMPARE(c.id, QStringLiteral("c1"));
    QCOMPARE(s->get(), QStringLiteral("uvw!"));
}

void TstStrings::currentVersionKeepsTheId()
{
    Engine engine;
    auto *s = engine.addTopic<StringTopic>(QStringLiteral("s"), QStringLiteral("abc"));
    const Change c = applied(engine, edit(s, ChangeType::Delete, 1, QStringLiteral("b"),
                                          s->version(), QStringLiteral("client_1")));
    QCOMPARE(c.id, QStringLiteral("client_1"));
    QCOMPARE(c.position, 1);
    QCOMPARE(s->get(), QStringLiteral("ac"));
}

void TstStrings::transform_data()
{
    QTest::addColumn<ChangeType>("firstType");
    QTest::addColumn<qint64>("firstPosition");
    QTest::addColumn<QString>("firstText");
    QTest::addColumn<ChangeType>("secondType");
    QTest::addColumn<qint64>("secondPosition");
    QTest::addColumn<QString>("secondText");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<qint64>("expectedPosition");
    QTest::addColumn<QString>("expectedText");

    const auto I = ChangeType::Insert;
    const auto D = ChangeType::Delete;
    const auto S = ChangeType::Set; // firstText is the new value
    // Both edits are made against "abcdef"; the second arrives after the first.
    QTest::newRow("insert after an earlier insert before it") << I << 1LL << "XY" << I << 3LL << "Z"
                                                              << "aXYbcZdef" << 5LL << "Z";
    QTest::newRow("insert before an earlier insert after it") << I << 4LL << "XY" << I << 2LL << "Z"
                                                              << "abZcdXYef" << 2LL << "Z";
    // Where PROTOCOL.md leaves a choice (tests/vectors/README.md): an earlier insert at the
    // same position moves the later one right.
    QTest::newRow("insert vs insert at the same position") << I << 2LL << "X" << I << 2LL << "Y"
                                                           << "abXYcdef" << 3LL << "Y";
    QTest::newRow("insert after an earlier delete before it") << D << 0LL << "ab" << I << 4LL << "Z"
                                                              << "cdZef" << 2LL << "Z";
    QTest::newRow("insert inside an earlier deleted range") << D << 1LL << "bcd" << I << 3LL << "Z"
                                                            << "aZef" << 1LL << "Z";
    QTest::newRow("insert at the start of an earlier deleted range")
        << D << 1LL << "bcd" << I << 1LL << "Z"
        << "aZef" << 1LL << "Z";
    QTest::newRow("insert before an earlier delete") << D << 4LL << "ef" << I << 2LL << "Z"
                                                     << "abZcd" << 2LL << "Z";
    QTest::newRow("insert at the end after an earlier delete")
        << D << 3LL << "def" << I << 6LL << "!"
        << "abc!" << 3LL << "!";
    QTest::newRow("delete after an earlier insert before it")
        << I << 0LL << "XY" << D << 2LL << "cd"
        << "XYabef" << 4LL << "cd";
    QTest::newRow("delete vs insert at its start") << I << 0LL << "X" << D << 0LL << "ab"
                                                   << "Xcdef" << 1LL << "ab";
    // ... and an insert inside a delete's range survives: the delete stops right before it.
    QTest::newRow("delete over an earlier insert inside it")
        << I << 2LL << "XY" << D << 1LL << "bcd"
        << "aXYcdef" << 1LL << "b";
    QTest::newRow("delete before an earlier insert after it")
        << I << 5LL << "XY" << D << 1LL << "bc"
        << "adeXYf" << 1LL << "bc";
    QTest::newRow("delete after an earlier delete before it")
        << D << 0LL << "ab" << D << 4LL << "ef"
        << "cd" << 2LL << "ef";
    QTest::newRow("overlapping deletes drop the overlap") << D << 1LL << "bcd" << D << 2LL << "cde"
                                                          << "af" << 1LL << "e";
    QTest::newRow("overlapping deletes, later one first") << D << 2LL << "cde" << D << 1LL << "bcd"
                                                          << "af" << 1LL << "b";
    QTest::newRow("delete inside an earlier delete becomes empty")
        << D << 1LL << "bcde" << D << 2LL << "cd"
        << "af" << 1LL << "";
    QTest::newRow("delete covering an earlier delete keeps both ends")
        << D << 2LL << "cd" << D << 1LL << "bcde"
        << "af" << 1LL << "be";
    QTest::newRow("same delete twice deletes once") << D << 2LL << "cd" << D << 2LL << "cd"
                                                    << "abef" << 2LL << "";
    QTest::newRow("insert after a set goes to 0") << S << 0LL << "xyz" << I << 4LL << "Q"
                                                  << "Qxyz" << 0LL << "Q";
    QTest::newRow("delete after a set deletes nothing") << S << 0LL << "xyz" << D << 1LL << "bc"
                                                        << "xyz" << 0LL << "";
}

void TstStrings::transform()
{
    QFETCH(ChangeType, firstType);
    QFETCH(qint64, firstPosition);
    QFETCH(QString, firstText);
    QFETCH(ChangeType, secondType);
    QFETCH(qint64, secondPosition);
    QFETCH(QString, secondText);
    QFETCH(QString, expected);
    QFETCH(qint64, expectedPosition);
    QFETCH(QString, expectedText);

    Engine engine;
    auto *s = engine.addTopic<StringTopic>(QStringLiteral("s"), QStringLiteral("abcdef"));
    const QString v0 = s->version();
    if (firstType == ChangeType::Set)
        applied(engine, setChange(s, firstText, QStringLiteral("first")));
    else
        applied(engine, edit(s, firstType, firstPosition, firstText, v0, QStringLiteral("first")));
    const QString v1 = s->version();
    const Change second = applied(engine, edit(s, secondType, secondPosition, secondText, v0,
                                               QStringLiteral("second"), QStringLiteral("v2")));
    QCOMPARE(s->get(), expected);
    QCOMPARE(second.position, expectedPosition);
    QCOMPARE(second.text, expectedText);
    // Only a change that had to move is renamed; one that applies as sent keeps its id, so
    // its author confirms it instead of rolling back.
    const bool moved = expectedPosition != secondPosition || expectedText != secondText;
    QCOMPARE(second.id, moved ? QStringLiteral("second_adjust") : QStringLiteral("second"));
    QCOMPARE(second.topicVersion, v1);
    QCOMPARE(second.resultTopicVersion, QStringLiteral("v2"));
    QCOMPARE(s->version(), QStringLiteral("v2"));
}

void TstStrings::transformOverSeveralSteps()
{
    Engine engine;
    auto *s = engine.addTopic<StringTopic>(QStringLiteral("s"), QStringLiteral("abcdef"));
    const QString v0 = s->version();
    applied(engine, edit(s, ChangeType::Insert, 0, QStringLiteral("12"), v0, QStringLiteral("c1"),
                         QStringLiteral("v1")));
    applied(engine, edit(s, ChangeType::Delete, 5, QStringLiteral("def"), QStringLiteral("v1"),
                         QStringLiteral("c2"), QStringLiteral("v2")));
    const Change c3 = applied(engine, edit(s, ChangeType::Insert, 3, QStringLiteral("Z"), v0,
                                           QStringLiteral("c3"), QStringLiteral("v3")));
    QCOMPARE(s->get(), QStringLiteral("12abcZ"));
    QCOMPARE(c3.position, 5);
    QCOMPARE(c3.topicVersion, QStringLiteral("v2"));
}

void TstStrings::onlyLaterStepsCount()
{
    Engine engine;
    auto *s = engine.addTopic<StringTopic>(QStringLiteral("s"), QStringLiteral("abcdef"));
    applied(engine, edit(s, ChangeType::Insert, 0, QStringLiteral("X"), s->version(),
                         QStringLiteral("c1"), QStringLiteral("v1")));
    applied(engine, edit(s, ChangeType::Insert, 0, QStringLiteral("Y"), QStringLiteral("v1"),
                         QStringLiteral("c2"), QStringLiteral("v2")));
    const Change c3 = applied(engine, edit(s, ChangeType::Insert, 1, QStringLiteral("Z"),
                                           QStringLiteral("v1"), QStringLiteral("c3")));
    QCOMPARE(s->get(), QStringLiteral("YXZabcdef"));
    QCOMPARE(c3.position, 2);
}

void TstStrings::hostMadeTransformedChangeHasNoId()
{
    Engine engine;
    auto *s = engine.addTopic<StringTopic>(QStringLiteral("s"), QStringLiteral("abc"));
    const QString v0 = s->version();
    s->insert(0, QStringLiteral(">"));
    const Change c = applied(engine, edit(s, ChangeType::Insert, 3, QStringLiteral("<"), v0, {}));
    QVERIFY(c.id.isEmpty());
    QCOMPARE(s->get(), QStringLiteral(">abc<"));
}

void TstStrings::transformedDeleteMustStillMatch()
{
    Engine engine;
    auto *s = engine.addTopic<StringTopic>(QStringLiteral("s"), QStringLiteral("abcdef"));
    const QString v0 = s->version();
    s->insert(0, QStringLiteral("X"));
    const QString v1 = s->version();
    QVERIFY_THROWS_EXCEPTION(Error,
                             engine.applyChange(edit(s, ChangeType::Delete, 0, QStringLiteral("zz"),
                                                     v0, QStringLiteral("c"))));
    QCOMPARE(s->get(), QStringLiteral("Xabcdef"));
    QCOMPARE(s->version(), v1);
}

void TstStrings::unknownVersionIsRefused()
{
    Engine engine;
    auto *s = engine.addTopic<StringTopic>(QStringLiteral("s"), QStringLiteral("abc"));
    const QString v0 = s->version();
    for (ChangeType type : {ChangeType::Insert, ChangeType::Delete}) {
        QVERIFY_THROWS_EXCEPTION(
            Error, engine.applyChange(edit(s, type, 0, QStringLiteral("a"), QStringLiteral("nope"),
                                           QStringLiteral("c"))));
    }
    QCOMPARE(s->get(), QStringLiteral("abc"));
    QCOMPARE(s->version(), v0);
    applied(engine, edit(s, ChangeType::Insert, 0, QStringLiteral("Y"), v0, QStringLiteral("c3")));
    QCOMPARE(s->get(), QStringLiteral("Yabc"));
}

void TstStrings::refusedChangeCreatesNoVersion()
{
    Engine engine;
    auto *s = engine.addTopic<StringTopic>(QStringLiteral("s"), QStringLiteral("abc"));
    const QString v0 = s->version();
    QVERIFY_THROWS_EXCEPTION(
        Error, engine.applyChange(edit(s, ChangeType::Insert, 9, QStringLiteral("X"), v0,
                                       QStringLiteral("c1"), QStringLiteral("v1"))));
    QVERIFY_THROWS_EXCEPTION(Error,
                             engine.applyChange(edit(s, ChangeType::Insert, 0, QStringLiteral("Y"),
                                                     QStringLiteral("v1"), QStringLiteral("c2"))));
    QCOMPARE(s->version(), v0);
    // A transition that fails after a string change forgets the version it made.
    const QString error =
        engine
            .tryTransition([&] {
                engine.applyChange(edit(s, ChangeType::Insert, 0, QStringLiteral("Z"), v0,
                                        QStringLiteral("c3"), QStringLiteral("v3")));
                throw Error(QStringLiteral("no"));
            })
            .errorMessage();
    QVERIFY(!error.isEmpty());
    QCOMPARE(s->version(), v0);
    QVERIFY_THROWS_EXCEPTION(Error,
                             engine.applyChange(edit(s, ChangeType::Insert, 0, QStringLiteral("W"),
                                                     QStringLiteral("v3"), QStringLiteral("c4"))));
}

void TstStrings::versionsTooOldAreForgotten()
{
    Engine engine;
    auto *s = engine.addTopic<StringTopic>(QStringLiteral("s"));
    const QString v0 = s->version();
    s->insert(0, QStringLiteral("a"));
    const QString v1 = s->version();
    for (int i = 0; i < 300; ++i)
        s->insert(0, QStringLiteral("b"));
    QVERIFY_THROWS_EXCEPTION(Error,
                             engine.applyChange(edit(s, ChangeType::Insert, 0, QStringLiteral("X"),
                                                     v0, QStringLiteral("c"))));
    QVERIFY_THROWS_EXCEPTION(Error,
                             engine.applyChange(edit(s, ChangeType::Insert, 0, QStringLiteral("X"),
                                                     v1, QStringLiteral("c"))));
    QCOMPARE(s->get().size(), 301);
}

void TstStrings::undoOfTransformedEdits()
{
    Engine engine;
    auto *s = engine.addTopic<StringTopic>(QStringLiteral("s"), QStringLiteral("abcdef"));
    const QString v0 = s->version();
    applied(engine, edit(s, ChangeType::Insert, 2, QStringLiteral("XY"), v0, QStringLiteral("c1")));
    applied(engine,
            edit(s, ChangeType::Delete, 1, QStringLiteral("bcd"), v0, QStringLiteral("c2")));
    QCOMPARE(s->get(), QStringLiteral("aXYcdef"));
    QCOMPARE(engine.undo().errorMessage(), QString());
    QCOMPARE(s->get(), QStringLiteral("abXYcdef"));
    QCOMPARE(engine.undo().errorMessage(), QString());
    QCOMPARE(s->get(), QStringLiteral("abcdef"));
    QCOMPARE(engine.redo().errorMessage(), QString());
    QCOMPARE(engine.redo().errorMessage(), QString());
    QCOMPARE(s->get(), QStringLiteral("aXYcdef"));
}

QTEST_GUILESS_MAIN(TstStrings)
#include "tst_strings.moc"
