// SPDX-License-Identifier: MIT
// Object types and helpers shared by the storage tests and the crash helper.
#pragma once

#include <objectsync/objectsync.h>

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

/*! Verifies that \a expression, a Result, succeeded; shows its error otherwise. */
#define VERIFY_OK(expression)                                                                      \
    do {                                                                                           \
        const auto result_ = (expression);                                                         \
        QVERIFY2(result_.ok(), qPrintable(result_.errorMessage()));                                \
    } while (false)

namespace storagetest {

using namespace objectsync;

/*! An object with one attribute of every value type. */
class Note : public SObject
{
    OBJECTSYNC_OBJECT(Note, "note")
public:
    StringTopic *text = nullptr;
    IntTopic *count = nullptr;
    FloatTopic *x = nullptr;
    DictTopic *style = nullptr;
    ListTopic *items = nullptr;
    SetTopic *marks = nullptr;
    GenericTopic *extra = nullptr;
    IntTopic *twice = nullptr;

protected:
    void preBuild(const QJsonObject &) override
    {
        text = addAttribute<StringTopic>(QStringLiteral("text"), QStringLiteral("hello"));
        count = addAttribute<IntTopic>(QStringLiteral("count"), 1);
        x = addAttribute<FloatTopic>(QStringLiteral("x"), 0.5);
        style = addAttribute<DictTopic>(QStringLiteral("style"), QJsonObject());
        items = addAttribute<ListTopic>(QStringLiteral("items"), QJsonArray());
        marks = addAttribute<SetTopic>(QStringLiteral("marks"), QJsonArray());
        extra = addAttribute<GenericTopic>(QStringLiteral("extra"), QJsonValue());
        twice = addAttribute<IntTopic>(QStringLiteral("twice"), 2);
    }
    void init() override
    {
        // A behaviour: keeps "twice" at twice "count". On restore it must not run again
        // (the changes it made are in the journal already).
        listen(count, [this](const Change &) { twice->set(count->get() * 2); });
    }
};

/*! An object whose build() makes two children: restore must not build them again. */
class Folder : public SObject
{
    OBJECTSYNC_OBJECT(Folder, "folder")
public:
    StringTopic *title = nullptr;

protected:
    void preBuild(const QJsonObject &) override
    {
        title = addAttribute<StringTopic>(QStringLiteral("title"), QStringLiteral("folder"));
    }
    void build(const QJsonObject &args) override
    {
        const int n = args.value(QStringLiteral("notes")).toInt(2);
        for (int i = 0; i < n; ++i)
            engine()->createObject<Note>(this);
    }
};

inline void registerTypes(Engine &engine)
{
    engine.registerType<Note>();
    engine.registerType<Folder>();
}

/*! Everything a workspace must bring back: the object tree, every topic's descriptor and
 *  the values of the plain topics and of _objects. */
inline QByteArray state(const Engine &engine)
{
    QJsonObject topics;
    QStringList names = engine.topicNames();
    names.sort();
    for (const QString &name : std::as_const(names)) {
        const Topic *t = engine.topic(name);
        QJsonObject o = engine.topicDescriptor(name);
        if (!name.startsWith(QLatin1String("a/")))
            o.insert(QStringLiteral("value"), t->value());
        topics.insert(name, o);
    }
    QJsonObject s;
    s.insert(QStringLiteral("tree"), engine.serialize(engine.root()));
    s.insert(QStringLiteral("topics"), topics);
    return QJsonDocument(s).toJson(QJsonDocument::Indented);
}

inline QByteArray fileHash(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex();
}

} // namespace storagetest
