// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/objectsync.h>

/*! Object types with one attribute of every editable topic type. */
class Item : public objectsync::SObject
{
    OBJECTSYNC_OBJECT(Item, "item")
public:
    objectsync::StringTopic *name = nullptr;
    objectsync::IntTopic *count = nullptr;
    objectsync::FloatTopic *weight = nullptr;
    objectsync::DictTopic *style = nullptr;
    objectsync::ListTopic *list = nullptr;
    objectsync::SetTopic *set = nullptr;
    objectsync::GenericTopic *any = nullptr;

protected:
    void preBuild(const QJsonObject &) override
    {
        using namespace objectsync;
        name = addAttribute<StringTopic>(QStringLiteral("name"), QStringLiteral("item"));
        count = addAttribute<IntTopic>(QStringLiteral("count"), 0);
        weight = addAttribute<FloatTopic>(QStringLiteral("weight"), 1.5);
        style = addAttribute<DictTopic>(
            QStringLiteral("style"), QJsonObject{{QStringLiteral("color"), QStringLiteral("red")}});
        list = addAttribute<ListTopic>(QStringLiteral("list"), QJsonArray{1, 2});
        set = addAttribute<SetTopic>(QStringLiteral("set"), QJsonArray{QStringLiteral("a")});
        any = addAttribute<GenericTopic>(QStringLiteral("any"), QJsonValue(true));
        addEvent(QStringLiteral("ping"));
    }
};

/*! A container; its title must not be "forbidden" (a behaviour refuses it). */
class Group : public objectsync::SObject
{
    OBJECTSYNC_OBJECT(Group, "group")
public:
    objectsync::StringTopic *title = nullptr;

protected:
    void preBuild(const QJsonObject &) override
    {
        title =
            addAttribute<objectsync::StringTopic>(QStringLiteral("title"), QStringLiteral("group"));
    }
    void init() override
    {
        listen(title, [](const objectsync::Change &c) {
            if (c.value.toString() == QStringLiteral("forbidden"))
                throw objectsync::Error(QStringLiteral("a title cannot be \"forbidden\""));
        });
    }
};
