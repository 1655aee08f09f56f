// SPDX-License-Identifier: MIT
// Every change kind of every topic type, its inverse, and the values each type refuses.
#include "testtypes.h"

#include <QtTest>

#include <limits>

using namespace objectsync;
using namespace testing;

Q_DECLARE_METATYPE(objectsync::Change)
Q_DECLARE_METATYPE(objectsync::TopicType)

namespace {

Change make(TopicType topicType, ChangeType type)
{
    Change c;
    c.topicName = QStringLiteral("t");
    c.topicType = topicType;
    c.type = type;
    return c;
}

Change withValue(TopicType topicType, ChangeType type, const QJsonValue &value)
{
    Change c = make(topicType, type);
    c.value = value;
    return c;
}

Change withPosition(TopicType topicType, ChangeType type, qint64 position,
                    const QJsonValue &value = {})
{
    Change c = make(topicType, type);
    c.position = position;
    c.value = value;
    return c;
}

Change withKey(ChangeType type, const QString &key, const QJsonValue &value = {})
{
    Change c = make(TopicType::Dict, type);
    c.key = key;
    c.value = value;
    return c;
}

Change stringEdit(ChangeType type, qint64 position, const QString &text)
{
    Change c = make(TopicType::String, type);
    c.position = position;
    c.text = text;
    return c; // an empty topicVersion means "the current version"
}

QJsonArray arr(std::initializer_list<QJsonValue> items)
{
    return QJsonArray(items);
}

} // namespace

class TstTopics : public QObject
{
    Q_OBJECT
private slots:
    void changeAndInverse_data();
    void changeAndInverse();
    void refused_data();
    void refused();
    void failedTransitionPutsSetItemsBack();
    void intAddOfMinimumIsReversible();
    void listPositionsAreRecordedNormalized();
    void oldValuesAreFilledIn();
};

void TstTopics::changeAndInverse_data()
{
    QTest::addColumn<TopicType>("topicType");
    QTest::addColumn<QJsonValue>("start");
    QTest::addColumn<Change>("change");
    QTest::addColumn<QJsonValue>("expected");

    const auto G = TopicType::Generic;
    QTest::newRow("generic set object")
        << G << QJsonValue(1) << withValue(G, ChangeType::Set, QJsonObject{{"a", 1}})
        << QJsonValue(QJsonObject{{"a", 1}});
    QTest::newRow("generic set null")
        << G << QJsonValue(QStringLiteral("x")) << withValue(G, ChangeType::Set, QJsonValue())
        << QJsonValue();
    const auto S = TopicType::String;
    QTest::newRow("string set") << S << QJsonValue(QStringLiteral("abc"))
                                << withValue(S, ChangeType::Set, QStringLiteral("xyz"))
                                << QJsonValue(QStringLiteral("xyz"));
    QTest::newRow("string insert middle") << S << QJsonValue(QStringLiteral("abc"))
                                          << stringEdit(ChangeType::Insert, 1, QStringLiteral("XY"))
                                          << QJsonValue(QStringLiteral("aXYbc"));
    QTest::newRow("string insert end") << S << QJsonValue(QStringLiteral("abc"))
                                       << stringEdit(ChangeType::Insert, 3, QStringLiteral("!"))
                                       << QJsonValue(QStringLiteral("abc!"));
    QTest::newRow("string delete") << S << QJsonValue(QStringLiteral("hello world"))
                                   << stringEdit(ChangeType::Delete, 5, QStringLiteral(" world"))
                                   << QJsonValue(QStringLiteral("hello"));
    QTest::newRow("string delete empty")
        << S << QJsonValue(QStringLiteral("ab")) << stringEdit(ChangeType::Delete, 2, QString())
        << QJsonValue(QStringLiteral("ab"));
    const auto I = TopicType::Int;
    QTest::newRow("int set") << I << QJsonValue(3) << withValue(I, ChangeType::Set, 42)
                             << QJsonValue(42);
    QTest::newRow("int add") << I << QJsonValue(3) << withValue(I, ChangeType::Add, -5)
                             << QJsonValue(-2);
    QTest::newRow("int set large")
        << I << QJsonValue(0) << withValue(I, ChangeType::Set, QJsonValue(qint64(1) << 60))
        << QJsonValue(qint64(1) << 60);
    const auto F = TopicType::Float;
    QTest::newRow("float set") << F << QJsonValue(0.5) << withValue(F, ChangeType::Set, 2.25)
                               << QJsonValue(2.25);
    QTest::newRow("float set integer")
        << F << QJsonValue(0.5) << withValue(F, ChangeType::Set, 3) << QJsonValue(3.0);
    QTest::newRow("float add") << F << QJsonValue(0.1) << withValue(F, ChangeType::Add, 0.2)
                               << QJsonValue(0.1 + 0.2);
    const auto St = TopicType::Set;
    QTest::newRow("set set") << St << QJsonValue(arr({1, 2}))
                             << withValue(St, ChangeType::Set, arr({"a", QJsonObject{{"k", 1}}}))
                             << QJsonValue(arr({"a", QJsonObject{{"k", 1}}}));
    QTest::newRow("set append") << St << QJsonValue(arr({3, 1}))
                                << withValue(St, ChangeType::Append, 2)
                                << QJsonValue(arr({3, 1, 2}));
    QTest::newRow("set append string next to number")
        << St << QJsonValue(arr({1})) << withValue(St, ChangeType::Append, QStringLiteral("1"))
        << QJsonValue(arr({1, "1"}));
    QTest::newRow("set remove") << St << QJsonValue(arr({1, 2, 3}))
                                << withValue(St, ChangeType::Remove, 2) << QJsonValue(arr({1, 3}));
    QTest::newRow("set remove object")
        << St << QJsonValue(arr({QJsonObject{{"a", 1}, {"b", 2}}, 5}))
        << withValue(St, ChangeType::Remove, QJsonObject{{"b", 2}, {"a", 1}})
        << QJsonValue(arr({5}));
    const auto L = TopicType::List;
    QTest::newRow("list set duplicates")
        << L << QJsonValue(arr({1})) << withValue(L, ChangeType::Set, arr({1, 1}))
        << QJsonValue(arr({1, 1}));
    QTest::newRow("list insert 0")
        << L << QJsonValue(arr({"a", "b"})) << withPosition(L, ChangeType::Insert, 0, "x")
        << QJsonValue(arr({"x", "a", "b"}));
    QTest::newRow("list insert end")
        << L << QJsonValue(arr({"a", "b"})) << withPosition(L, ChangeType::Insert, 2, "x")
        << QJsonValue(arr({"a", "b", "x"}));
    QTest::newRow("list insert -1 appends")
        << L << QJsonValue(arr({"a", "b"})) << withPosition(L, ChangeType::Insert, -1, "x")
        << QJsonValue(arr({"a", "b", "x"}));
    QTest::newRow("list insert -2")
        << L << QJsonValue(arr({"a", "b"})) << withPosition(L, ChangeType::Insert, -2, "x")
        << QJsonValue(arr({"a", "x", "b"}));
    QTest::newRow("list insert -3 is the front")
        << L << QJsonValue(arr({"a", "b"})) << withPosition(L, ChangeType::Insert, -3, "x")
        << QJsonValue(arr({"x", "a", "b"}));
    QTest::newRow("list pop 0") << L << QJsonValue(arr({"a", "b", "c"}))
                                << withPosition(L, ChangeType::Pop, 0)
                                << QJsonValue(arr({"b", "c"}));
    QTest::newRow("list pop -1") << L << QJsonValue(arr({"a", "b", "c"}))
                                 << withPosition(L, ChangeType::Pop, -1)
                                 << QJsonValue(arr({"a", "b"}));
    QTest::newRow("list pop -3") << L << QJsonValue(arr({"a", "b", "c"}))
                                 << withPosition(L, ChangeType::Pop, -3)
                                 << QJsonValue(arr({"b", "c"}));
    const auto D = TopicType::Dict;
    QTest::newRow("dict set") << D << QJsonValue(QJsonObject{{"a", 1}})
                              << withValue(D, ChangeType::Set, QJsonObject{{"x", QJsonArray{1}}})
                              << QJsonValue(QJsonObject{{"x", QJsonArray{1}}});
    QTest::newRow("dict add") << D << QJsonValue(QJsonObject{{"a", 1}})
                              << withKey(ChangeType::Add, QStringLiteral("b"), 2)
                              << QJsonValue(QJsonObject{{"a", 1}, {"b", 2}});
    QTest::newRow("dict add null value")
        << D << QJsonValue(QJsonObject{})
        << withKey(ChangeType::Add, QStringLiteral("n"), QJsonValue())
        << QJsonValue(QJsonObject{{"n", QJsonValue()}});
    QTest::newRow("dict pop") << D << QJsonValue(QJsonObject{{"a", 1}, {"b", 2}})
                              << withKey(ChangeType::Pop, QStringLiteral("a"))
                              << QJsonValue(QJsonObject{{"b", 2}});
    QTest::newRow("dict change_value")
        << D << QJsonValue(QJsonObject{{"a", 1}, {"b", 2}})
        << withKey(ChangeType::ChangeValue, QStringLiteral("a"), QJsonArray{1, 2})
        << QJsonValue(QJsonObject{{"a", QJsonArray{1, 2}}, {"b", 2}});
    const auto E = TopicType::Event;
    QTest::newRow("event emit") << E << QJsonValue()
                                << withValue(E, ChangeType::Emit, QJsonObject{{"x", 1}})
                                << QJsonValue();
}

void TstTopics::changeAndInverse()
{
    QFETCH(TopicType, topicType);
    QFETCH(QJsonValue, start);
    QFETCH(Change, change);
    QFETCH(QJsonValue, expected);

    Engine engine;
    Topic *topic = engine.addTopic(QStringLiteral("t"), topicType, start);
    QVERIFY(topic);
    QCOMPARE(topic->value(), start.isUndefined() ? QJsonValue() : start);
    TransitionRecorder recorder(&engine);

    engine.applyChange(change);
    QCOMPARE(topic->value(), expected);
    QCOMPARE(recorder.count(), 1);
    QCOMPARE(recorder.last()->changes.size(), 1);
    const Change applied = recorder.last()->changes.first();
    QCOMPARE(applied.type, change.type);

    // The inverse of the applied change brings the start value back (a set item removed
    // and appended again comes back at the end: set order is insertion order).
    const auto sameAsStart = [&] {
        const QJsonValue v = topic->value();
        if (topicType != TopicType::Set)
            return v == (start.isUndefined() ? QJsonValue() : start);
        QJsonArray a = v.toArray();
        for (const QJsonValue &item : start.toArray()) {
            qsizetype i = 0;
            while (i < a.size() && a.at(i) != item)
                ++i;
            if (i == a.size())
                return false;
            a.removeAt(i);
        }
        return a.isEmpty();
    };
    engine.applyChange(applied.inverse());
    QVERIFY2(sameAsStart(), qPrintable(toText(topic->value())));
    QCOMPARE(recorder.count(), 2);

    // The inverse of the inverse applies the change again.
    engine.applyChange(recorder.last()->changes.first().inverse());
    QCOMPARE(topic->value(), expected);

    // Undo and redo do the same through the history.
    QCOMPARE(engine.undo().errorMessage(), QString());
    QVERIFY2(sameAsStart(), qPrintable(toText(topic->value())));
    QCOMPARE(engine.redo().errorMessage(), QString());
    QCOMPARE(topic->value(), expected);
}

void TstTopics::refused_data()
{
    QTest::addColumn<TopicType>("topicType");
    QTest::addColumn<QJsonValue>("start");
    QTest::addColumn<Change>("change");

    const auto I = TopicType::Int;
    QTest::newRow("int set true") << I << QJsonValue(1) << withValue(I, ChangeType::Set, true);
    QTest::newRow("int set false") << I << QJsonValue(1) << withValue(I, ChangeType::Set, false);
    QTest::newRow("int set 1.5") << I << QJsonValue(1) << withValue(I, ChangeType::Set, 1.5);
    QTest::newRow("int set \"1\"")
        << I << QJsonValue(1) << withValue(I, ChangeType::Set, QStringLiteral("1"));
    QTest::newRow("int set null") << I << QJsonValue(1)
                                  << withValue(I, ChangeType::Set, QJsonValue());
    QTest::newRow("int set array") << I << QJsonValue(1) << withValue(I, ChangeType::Set, arr({1}));
    QTest::newRow("int set 1e19 (out of range)")
        << I << QJsonValue(1) << withValue(I, ChangeType::Set, 1e19);
    QTest::newRow("int add true") << I << QJsonValue(1) << withValue(I, ChangeType::Add, true);
    QTest::newRow("int add 0.5") << I << QJsonValue(1) << withValue(I, ChangeType::Add, 0.5);
    QTest::newRow("int add \"1\"")
        << I << QJsonValue(1) << withValue(I, ChangeType::Add, QStringLiteral("1"));
    QTest::newRow("int add overflow")
        << I << QJsonValue(std::numeric_limits<qint64>::max()) << withValue(I, ChangeType::Add, 1);
    QTest::newRow("int append") << I << QJsonValue(1) << withValue(I, ChangeType::Append, 1);
    const auto F = TopicType::Float;
    QTest::newRow("float set \"1.5\"")
        << F << QJsonValue(0.5) << withValue(F, ChangeType::Set, QStringLiteral("1.5"));
    QTest::newRow("float set true") << F << QJsonValue(0.5) << withValue(F, ChangeType::Set, true);
    QTest::newRow("float set null")
        << F << QJsonValue(0.5) << withValue(F, ChangeType::Set, QJsonValue());
    QTest::newRow("float add string")
        << F << QJsonValue(0.5) << withValue(F, ChangeType::Add, QStringLiteral("1"));
    QTest::newRow("float add to infinity")
        << F << QJsonValue(1e308) << withValue(F, ChangeType::Add, 1e308);
    const auto G = TopicType::Generic;
    QTest::newRow("generic add") << G << QJsonValue(1) << withValue(G, ChangeType::Add, 1);
    const QJsonValue nothing(QJsonValue::Undefined); // a field missing on the wire
    QTest::newRow("generic set nothing")
        << G << QJsonValue(1) << withValue(G, ChangeType::Set, nothing);
    const auto S = TopicType::String;
    QTest::newRow("string set number")
        << S << QJsonValue(QStringLiteral("abc")) << withValue(S, ChangeType::Set, 5);
    QTest::newRow("string set null")
        << S << QJsonValue(QStringLiteral("abc")) << withValue(S, ChangeType::Set, QJsonValue());
    QTest::newRow("string insert past the end")
        << S << QJsonValue(QStringLiteral("abc"))
        << stringEdit(ChangeType::Insert, 4, QStringLiteral("X"));
    QTest::newRow("string insert at -1") << S << QJsonValue(QStringLiteral("abc"))
                                         << stringEdit(ChangeType::Insert, -1, QStringLiteral("X"));
    QTest::newRow("string delete mismatch")
        << S << QJsonValue(QStringLiteral("hello"))
        << stringEdit(ChangeType::Delete, 1, QStringLiteral("x"));
    QTest::newRow("string delete past the end")
        << S << QJsonValue(QStringLiteral("hello"))
        << stringEdit(ChangeType::Delete, 3, QStringLiteral("lol"));
    QTest::newRow("string delete at 6")
        << S << QJsonValue(QStringLiteral("hello")) << stringEdit(ChangeType::Delete, 6, QString());
    Change unknownVersion = stringEdit(ChangeType::Insert, 0, QStringLiteral("X"));
    unknownVersion.topicVersion = QStringLiteral("nope");
    QTest::newRow("string unknown version")
        << S << QJsonValue(QStringLiteral("abc")) << unknownVersion;
    QTest::newRow("string add") << S << QJsonValue(QStringLiteral("abc"))
                                << withValue(S, ChangeType::Add, QStringLiteral("d"));
    const auto St = TopicType::Set;
    QTest::newRow("set append duplicate")
        << St << QJsonValue(arr({1, 2})) << withValue(St, ChangeType::Append, 1);
    QTest::newRow("set append duplicate object")
        << St << QJsonValue(arr({QJsonObject{{"a", 1}, {"b", 2}}}))
        << withValue(St, ChangeType::Append, QJsonObject{{"b", 2}, {"a", 1}});
    QTest::newRow("set remove missing")
        << St << QJsonValue(arr({1, 2})) << withValue(St, ChangeType::Remove, 3);
    QTest::newRow("set remove \"1\" from [1]")
        << St << QJsonValue(arr({1})) << withValue(St, ChangeType::Remove, QStringLiteral("1"));
    QTest::newRow("set set duplicates")
        << St << QJsonValue(arr({1})) << withValue(St, ChangeType::Set, arr({2, 2}));
    QTest::newRow("set set non-array")
        << St << QJsonValue(arr({1})) << withValue(St, ChangeType::Set, QJsonObject{{"0", 1}});
    QTest::newRow("set insert") << St << QJsonValue(arr({1}))
                                << withPosition(St, ChangeType::Insert, 0, 2);
    const auto L = TopicType::List;
    QTest::newRow("list insert at 3 of 2")
        << L << QJsonValue(arr({"a", "b"})) << withPosition(L, ChangeType::Insert, 3, "x");
    QTest::newRow("list insert at -4 of 2")
        << L << QJsonValue(arr({"a", "b"})) << withPosition(L, ChangeType::Insert, -4, "x");
    QTest::newRow("list insert nothing")
        << L << QJsonValue(arr({"a"})) << withPosition(L, ChangeType::Insert, 0, nothing);
    QTest::newRow("list pop at 2 of 2")
        << L << QJsonValue(arr({"a", "b"})) << withPosition(L, ChangeType::Pop, 2);
    QTest::newRow("list pop at -3 of 2")
        << L << QJsonValue(arr({"a", "b"})) << withPosition(L, ChangeType::Pop, -3);
    QTest::newRow("list pop empty")
        << L << QJsonValue(arr({})) << withPosition(L, ChangeType::Pop, -1);
    QTest::newRow("list set string")
        << L << QJsonValue(arr({1})) << withValue(L, ChangeType::Set, QStringLiteral("abc"));
    QTest::newRow("list append") << L << QJsonValue(arr({1}))
                                 << withValue(L, ChangeType::Append, 2);
    const auto D = TopicType::Dict;
    QTest::newRow("dict add existing key") << D << QJsonValue(QJsonObject{{"a", 1}})
                                           << withKey(ChangeType::Add, QStringLiteral("a"), 5);
    QTest::newRow("dict add nothing")
        << D << QJsonValue(QJsonObject{}) << withKey(ChangeType::Add, QStringLiteral("a"), nothing);
    QTest::newRow("dict pop missing")
        << D << QJsonValue(QJsonObject{{"a", 1}}) << withKey(ChangeType::Pop, QStringLiteral("z"));
    QTest::newRow("dict change_value missing")
        << D << QJsonValue(QJsonObject{{"a", 1}})
        << withKey(ChangeType::ChangeValue, QStringLiteral("b"), 1);
    QTest::newRow("dict set array")
        << D << QJsonValue(QJsonObject{{"a", 1}}) << withValue(D, ChangeType::Set, arr({}));
    QTest::newRow("dict remove") << D << QJsonValue(QJsonObject{{"a", 1}})
                                 << withKey(ChangeType::Remove, QStringLiteral("a"));
    const auto E = TopicType::Event;
    QTest::newRow("event set") << E << QJsonValue() << withValue(E, ChangeType::Set, 1);
    QTest::newRow("event emit array")
        << E << QJsonValue() << withValue(E, ChangeType::Emit, arr({1}));
    QTest::newRow("event emit string")
        << E << QJsonValue() << withValue(E, ChangeType::Emit, QStringLiteral("x"));
    Change mismatch = withValue(TopicType::Float, ChangeType::Set, 2);
    QTest::newRow("int topic, float change") << I << QJsonValue(1) << mismatch;
    Change unknown = withValue(I, ChangeType::Set, 2);
    unknown.topicName = QStringLiteral("nope");
    QTest::newRow("unknown topic") << I << QJsonValue(1) << unknown;
}

void TstTopics::refused()
{
    QFETCH(TopicType, topicType);
    QFETCH(QJsonValue, start);
    QFETCH(Change, change);

    Engine engine;
    Topic *topic = engine.addTopic(QStringLiteral("t"), topicType, start);
    engine.clearHistory();
    const QJsonObject before = snapshot(engine);
    const QJsonValue valueBefore = topic->value();
    const QString version =
        topicType == TopicType::String ? static_cast<StringTopic *>(topic)->version() : QString();
    int mirrorCalls = 0;
    topic->addListener([&](const Change &) { ++mirrorCalls; }, ListenerKind::Mirror);
    TransitionRecorder recorder(&engine);

    QVERIFY_THROWS_EXCEPTION(Error, engine.applyChange(change));
    QCOMPARE(snapshot(engine), before);
    QCOMPARE(recorder.count(), 0);
    QCOMPARE(mirrorCalls, 0);
    QVERIFY(!engine.inTransition());
    QVERIFY(!engine.canUndo());
    if (topicType == TopicType::String)
        QCOMPARE(static_cast<StringTopic *>(topic)->version(), version);

    // Inside a transaction: the refusal throws, changes nothing, and the caller may go on.
    auto *other = engine.addTopic<IntTopic>(QStringLiteral("other"));
    recorder.clear();
    {
        auto t = engine.transaction();
        other->set(1);
        QVERIFY_THROWS_EXCEPTION(Error, engine.applyChange(change));
        other->set(2);
    }
    QCOMPARE(recorder.count(), 1);
    QCOMPARE(recorder.last()->changes.size(), 2);
    QCOMPARE(other->get(), 2);
    QCOMPARE(topic->value(), valueBefore);
}

void TstTopics::failedTransitionPutsSetItemsBack()
{
    Engine engine;
    auto *s = engine.addTopic<SetTopic>(QStringLiteral("s"), QJsonArray{1, 2, 3});
    const QString error = engine
                              .tryTransition([&] {
                                  s->remove(2);
                                  s->remove(1);
                                  throw Error(QStringLiteral("no"));
                              })
                              .errorMessage();
    QVERIFY(!error.isEmpty());
    QCOMPARE(s->get(), (QJsonArray{1, 2, 3}));
}

void TstTopics::intAddOfMinimumIsReversible()
{
    Engine engine;
    auto *n = engine.addTopic<IntTopic>(QStringLiteral("n"), 5);
    const qint64 min = std::numeric_limits<qint64>::min();
    n->add(min);
    QCOMPARE(n->get(), min + 5);
    QCOMPARE(engine.undo().errorMessage(), QString());
    QCOMPARE(n->get(), 5);
    QCOMPARE(engine.redo().errorMessage(), QString());
    QCOMPARE(n->get(), min + 5);
}

void TstTopics::listPositionsAreRecordedNormalized()
{
    Engine engine;
    auto *l = engine.addTopic<ListTopic>(QStringLiteral("l"), QJsonArray{1, 2, 3});
    TransitionRecorder recorder(&engine);
    l->insert(-1, 4);
    QCOMPARE(recorder.last()->changes.first().position, 3);
    l->pop(-2);
    QCOMPARE(recorder.last()->changes.first().position, 2);
    QCOMPARE(recorder.last()->changes.first().oldValue, QJsonValue(3));
    QCOMPARE(l->get(), (QJsonArray{1, 2, 4}));
    l->append(5);
    QCOMPARE(l->size(), 4);
    QCOMPARE(l->at(3), QJsonValue(5));
}

void TstTopics::oldValuesAreFilledIn()
{
    Engine engine;
    auto *d = engine.addTopic<DictTopic>(QStringLiteral("d"), QJsonObject{{"a", 1}});
    auto *s = engine.addTopic<StringTopic>(QStringLiteral("s"), QStringLiteral("old"));
    TransitionRecorder recorder(&engine);
    d->changeValue(QStringLiteral("a"), 2);
    QCOMPARE(recorder.last()->changes.first().oldValue, QJsonValue(1));
    d->pop(QStringLiteral("a"));
    QCOMPARE(recorder.last()->changes.first().oldValue, QJsonValue(2));
    d->set(QJsonObject{{"z", 0}});
    QCOMPARE(recorder.last()->changes.first().oldValue, QJsonValue(QJsonObject()));
    s->set(QStringLiteral("new"));
    QCOMPARE(recorder.last()->changes.first().oldValue, QJsonValue(QStringLiteral("old")));
}

QTEST_GUILESS_MAIN(TstTopics)
#include "tst_topics.moc"
