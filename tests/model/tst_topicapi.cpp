// SPDX-License-Identifier: MIT
// The typed topic API (IntTopic, DictTopic, ...) and the engine's catalogue of topics: the
// topic list, adding topics and removing them.
#include "testtypes.h"

#include <QtTest>

#include <cmath>
#include <limits>

using namespace objectsync;
using namespace testing;

class TstTopicApi : public QObject
{
    Q_OBJECT
private slots:
    void dictKeys();
    void typedApi();
    void topicList();
    void addTopicRefusals();
    void removeTopic();
};

void TstTopicApi::dictKeys()
{
    Engine engine;
    auto *d = engine.addTopic<DictTopic>(QStringLiteral("d"), QJsonObject{{"b", 1}, {"a", 2}});
    d->add(QString(), QStringLiteral("empty key"));
    d->add(QStringLiteral("x/y"), 3);
    d->add(QStringLiteral("ключ"), 4);
    QCOMPARE(d->keys(), (QStringList{QString(), "a", "b", "x/y", "ключ"}));
    QCOMPARE(d->size(), 5);
    QVERIFY(d->contains(QString()));
    QCOMPARE(d->value(QStringLiteral("x/y")), QJsonValue(3));
    QCOMPARE(d->value(QStringLiteral("missing")), QJsonValue(QJsonValue::Undefined));
    QCOMPARE(d->get().value(QStringLiteral("ключ")), QJsonValue(4));
    // Values compare regardless of key order.
    d->changeValue(QStringLiteral("a"), QJsonObject{{"p", 1}, {"q", 2}});
    QCOMPARE(d->value(QStringLiteral("a")), QJsonValue(QJsonObject{{"q", 2}, {"p", 1}}));
    d->pop(QString());
    QVERIFY(!d->contains(QString()));
    QVERIFY_THROWS_EXCEPTION(Error, d->pop(QString()));
}

void TstTopicApi::typedApi()
{
    Engine engine;
    auto *i = engine.addTopic<IntTopic>(QStringLiteral("i"));
    auto *f = engine.addTopic<FloatTopic>(QStringLiteral("f"));
    auto *s = engine.addTopic<SetTopic>(QStringLiteral("s"));
    auto *g = engine.addTopic<GenericTopic>(QStringLiteral("g"));
    auto *str = engine.addTopic<StringTopic>(QStringLiteral("str"));
    QCOMPARE(i->get(), 0);
    QCOMPARE(f->get(), 0.0);
    QCOMPARE(s->size(), 0);
    QCOMPARE(g->value(), QJsonValue());
    QCOMPARE(str->get(), QString());
    i->set(7);
    i->add(-10);
    QCOMPARE(i->get(), -3);
    f->set(1.5);
    f->add(0.25);
    QCOMPARE(f->get(), 1.75);
    QVERIFY_THROWS_EXCEPTION(Error, f->set(std::nan("")));
    QVERIFY_THROWS_EXCEPTION(Error, f->set(std::numeric_limits<double>::infinity()));
    QCOMPARE(f->get(), 1.75);
    s->append(QStringLiteral("a"));
    QVERIFY(s->contains(QStringLiteral("a")));
    QVERIFY_THROWS_EXCEPTION(Error, s->append(QStringLiteral("a")));
    s->remove(QStringLiteral("a"));
    QVERIFY(!s->contains(QStringLiteral("a")));
    g->set(QJsonArray{1, "x"});
    QCOMPARE(g->value(), QJsonValue(QJsonArray{1, "x"}));
    str->set(QStringLiteral("hello"));
    str->insert(5, QStringLiteral(" world"));
    str->remove(0, 1);
    QCOMPARE(str->get(), QStringLiteral("ello world"));
    QVERIFY_THROWS_EXCEPTION(Error, str->remove(8, 5));
    QVERIFY_THROWS_EXCEPTION(Error, str->remove(-1, 1));
    QCOMPARE(str->get(), QStringLiteral("ello world"));
    QCOMPARE(engine.topicAs<IntTopic>(QStringLiteral("i")), i);
    QCOMPARE(engine.topicAs<FloatTopic>(QStringLiteral("i")), nullptr);
    QCOMPARE(i->name(), QStringLiteral("i"));
    QCOMPARE(i->engine(), &engine);
    QVERIFY(i->isStateful());
    QVERIFY(i->isOrderStrict());
    QVERIFY(!i->isSystem());
}

void TstTopicApi::topicList()
{
    Engine engine;
    Topic *list = engine.topic(QStringLiteral("_topicsync/topic_list"));
    QVERIFY(list);
    QVERIFY(list->isSystem());
    for (const char *name : {"_objects", "_object_types", "create_object", "destroy_object",
                             "parent_id/root", "tags/root"})
        QVERIFY2(list->value().toObject().contains(QLatin1String(name)), name);
    QCOMPARE(engine.topic(QStringLiteral("_objects"))->value(),
             QJsonValue(QJsonObject{{"root", "Root"}}));
    QVERIFY(!engine.topic(QStringLiteral("tags/root"))->isStateful());

    TransitionRecorder recorder(&engine);
    engine.addTopic(QStringLiteral("speed"), TopicType::Float, 2.5, true, false);
    QCOMPARE(recorder.count(), 1);
    const Change add = recorder.last()->changes.first();
    QCOMPARE(add.topicName, QStringLiteral("_topicsync/topic_list"));
    QCOMPARE(add.type, ChangeType::Add);
    QCOMPARE(add.key, QStringLiteral("speed"));
    const QJsonObject desc = add.value.toObject();
    QCOMPARE(desc.value(QStringLiteral("type")), QJsonValue(QStringLiteral("float")));
    QCOMPARE(desc.value(QStringLiteral("boundary_value")), QJsonValue(2.5));
    QCOMPARE(desc.value(QStringLiteral("is_stateful")), QJsonValue(true));
    QCOMPARE(desc.value(QStringLiteral("order_strict")), QJsonValue(false));
    const QJsonObject listed = list->value().toObject().value(QStringLiteral("speed")).toObject();
    QCOMPARE(listed.value(QStringLiteral("type")), QJsonValue(QStringLiteral("float")));
    QCOMPARE(engine.topicDescriptor(QStringLiteral("speed")).value(QStringLiteral("order_strict")),
             QJsonValue(false));
    QVERIFY(!engine.topic(QStringLiteral("speed"))->isOrderStrict());

    // A topic made by a change of the topic list itself (as a client would).
    Change c;
    c.topicName = QStringLiteral("_topicsync/topic_list");
    c.topicType = TopicType::Dict;
    c.type = ChangeType::Add;
    c.key = QStringLiteral("made");
    c.value = QJsonObject{{"type", "list"}, {"boundary_value", QJsonArray{1}}};
    engine.applyChange(c);
    QCOMPARE(engine.topic(QStringLiteral("made"))->value(), QJsonValue(QJsonArray{1}));
    c.key = QStringLiteral("bad");
    c.value = QJsonObject{{"type", "nope"}};
    QVERIFY_THROWS_EXCEPTION(Error, engine.applyChange(c));
    c.value = QJsonObject{{"type", "int"}, {"boundary_value", "x"}};
    QVERIFY_THROWS_EXCEPTION(Error, engine.applyChange(c));
    c.value = QStringLiteral("int");
    QVERIFY_THROWS_EXCEPTION(Error, engine.applyChange(c));
    QVERIFY(!engine.topic(QStringLiteral("bad")));
    // The engine's own topics cannot be removed through it.
    c.type = ChangeType::Pop;
    c.key = QStringLiteral("_objects");
    QVERIFY_THROWS_EXCEPTION(Error, engine.applyChange(c));
    c.key = QStringLiteral("parent_id/root");
    QVERIFY_THROWS_EXCEPTION(Error, engine.applyChange(c));
    c.type = ChangeType::ChangeValue;
    c.key = QStringLiteral("made");
    QVERIFY_THROWS_EXCEPTION(Error, engine.applyChange(c));
}

void TstTopicApi::addTopicRefusals()
{
    Engine engine;
    const qsizetype count = engine.topicCount();
    TransitionRecorder recorder(&engine);
    for (const char *name :
         {"", "_private", "a/x/y", "parent_id/x", "tags/x", "create_object", "destroy_object"})
        QVERIFY_THROWS_EXCEPTION(Error, engine.addTopic(QString::fromUtf8(name), TopicType::Int));
    QVERIFY_THROWS_EXCEPTION(Error, engine.addTopic(QStringLiteral("n"), TopicType::Int, true));
    QVERIFY_THROWS_EXCEPTION(
        Error, engine.addTopic(QStringLiteral("s"), TopicType::Set, QJsonArray{1, 1}));
    QVERIFY_THROWS_EXCEPTION(Error,
                             engine.addTopic(QStringLiteral("d"), TopicType::Dict, QJsonArray{}));
    QCOMPARE(engine.topicCount(), count);
    QCOMPARE(recorder.count(), 0);
    engine.addTopic<IntTopic>(QStringLiteral("n"));
    QVERIFY_THROWS_EXCEPTION(Error, engine.addTopic<IntTopic>(QStringLiteral("n")));
    QCOMPARE(engine.topicCount(), count + 1);
}

void TstTopicApi::removeTopic()
{
    Engine engine;
    auto *n = engine.addTopic<IntTopic>(QStringLiteral("n"), 4);
    n->set(9);
    engine.removeTopic(QStringLiteral("n"));
    QVERIFY(!engine.topic(QStringLiteral("n")));
    QVERIFY_THROWS_EXCEPTION(Error, engine.removeTopic(QStringLiteral("n")));
    QVERIFY_THROWS_EXCEPTION(Error, engine.removeTopic(QStringLiteral("_objects")));
    QVERIFY_THROWS_EXCEPTION(Error, engine.removeTopic(QStringLiteral("parent_id/root")));
    // Undo brings the topic back with its last value.
    QCOMPARE(engine.undo().errorMessage(), QString());
    QCOMPARE(engine.topicAs<IntTopic>(QStringLiteral("n"))->get(), 9);
}

QTEST_GUILESS_MAIN(TstTopicApi)
#include "tst_topicapi.moc"
