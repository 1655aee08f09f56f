// SPDX-License-Identifier: MIT
// Object types and helpers shared by the model tests.
#pragma once

#include <objectsync/objectsync.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QStringList>

namespace testing {

using namespace objectsync;

/*! The example of the project's README: a DOM element with a style and a text. */
class TextObject : public SObject
{
    OBJECTSYNC_OBJECT(TextObject, "text")
public:
    DictTopic *style = nullptr;
    StringTopic *text = nullptr;

protected:
    void preBuild(const QJsonObject &) override
    {
        style = addAttribute<DictTopic>(QStringLiteral("style"), QJsonObject());
        text = addAttribute<StringTopic>(QStringLiteral("text"), QString());
    }
};

/*! Every hook call of LoggedObject, in order: "preBuild:<id>", "build:<id>", ... */
inline QStringList &hookLog()
{
    static QStringList log;
    return log;
}

/*!
 * An object with an attribute of every topic type, references, an event, a service and
 * logged hooks. build() creates build_kwargs["children"] children of the same type.
 */
class NodeObject : public SObject
{
    OBJECTSYNC_OBJECT(NodeObject, "node")
public:
    GenericTopic *generic = nullptr;
    StringTopic *label = nullptr;
    IntTopic *count = nullptr;
    FloatTopic *x = nullptr;
    SetTopic *flags = nullptr;
    ListTopic *items = nullptr;
    DictTopic *props = nullptr;
    ObjectRef ref;
    ObjectListRef refList;
    ObjectSetRef refSet;
    ObjectDictRef refDict;
    EventTopic *ping = nullptr;
    int childrenSeenByInit = -1;

protected:
    void preBuild(const QJsonObject &) override
    {
        hookLog().append(QStringLiteral("preBuild:") + id());
        generic = addAttribute<GenericTopic>(QStringLiteral("generic"));
        label = addAttribute<StringTopic>(QStringLiteral("label"), QStringLiteral("node"));
        count = addAttribute<IntTopic>(QStringLiteral("count"), 0);
        x = addAttribute<FloatTopic>(QStringLiteral("x"), 0.5);
        flags = addAttribute<SetTopic>(QStringLiteral("flags"), QJsonArray());
        items = addAttribute<ListTopic>(QStringLiteral("items"), QJsonArray());
        props = addAttribute<DictTopic>(QStringLiteral("props"), QJsonObject());
        ref = addReference<ObjectRef>(QStringLiteral("ref"));
        refList = addReference<ObjectListRef>(QStringLiteral("refList"));
        refSet = addReference<ObjectSetRef>(QStringLiteral("refSet"));
        refDict = addReference<ObjectDictRef>(QStringLiteral("refDict"));
        // A behaviour: an emit adds its "n" to count, recorded like any change.
        ping = addEvent(QStringLiteral("ping"), [this](const QJsonObject &args) {
            count->add(args.value(QStringLiteral("n")).toInteger(1));
        });
        addService(QStringLiteral("twice"), [this](const QJsonObject &args) {
            return QJsonValue(args.value(QStringLiteral("v")).toInteger() * 2 + count->get());
        });
    }
    void build(const QJsonObject &args) override
    {
        hookLog().append(QStringLiteral("build:") + id());
        const int n = args.value(QStringLiteral("children")).toInt();
        for (int i = 0; i < n; ++i)
            engine()->createObject(staticTypeName(), this);
    }
    void init() override
    {
        hookLog().append(QStringLiteral("init:") + id());
        childrenSeenByInit = int(children().size());
    }
    void onDestroy() override { hookLog().append(QStringLiteral("destroy:") + id()); }
};

/*! Collects every announced transition. */
class TransitionRecorder : public QObject
{
public:
    explicit TransitionRecorder(Engine *engine)
    {
        QObject::connect(engine, &Engine::transitionCommitted, this,
                         [this](const TransitionPtr &t) { transitions.append(t); });
    }
    QList<TransitionPtr> transitions;
    qsizetype count() const { return transitions.size(); }
    TransitionPtr last() const { return transitions.isEmpty() ? nullptr : transitions.last(); }
    void clear() { transitions.clear(); }
};

/*! The value of every topic but events (for "nothing changed" checks). */
inline QJsonObject snapshot(const Engine &engine, bool withTags = true)
{
    QJsonObject out;
    const QStringList names = engine.topicNames();
    for (const QString &name : names) {
        const Topic *t = engine.topic(name);
        if (t->type() == TopicType::Event)
            continue;
        if (!withTags && name.startsWith(QLatin1String("tags/")))
            continue;
        out.insert(name, t->value());
    }
    return out;
}

/*! serialize(root) with children sorted by id and, optionally, without tags: the parts of
 *  the tree that are state (child order is not synchronized state). */
inline QJsonObject canonicalTree(const QJsonObject &node, bool withTags = true)
{
    QJsonObject out = node;
    if (!withTags)
        out.remove(QStringLiteral("tags"));
    QList<QJsonObject> children;
    for (const QJsonValue &c : node.value(QStringLiteral("children")).toArray())
        children.append(canonicalTree(c.toObject(), withTags));
    std::sort(children.begin(), children.end(), [](const QJsonObject &a, const QJsonObject &b) {
        return a.value(QStringLiteral("id")).toString() < b.value(QStringLiteral("id")).toString();
    });
    QJsonArray array;
    for (const QJsonObject &c : std::as_const(children))
        array.append(c);
    out.insert(QStringLiteral("children"), array);
    return out;
}

inline QString toText(const QJsonValue &v)
{
    if (v.isObject())
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    if (v.isArray())
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    return QString::fromUtf8(QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact));
}

} // namespace testing
