// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/objectsync.h>

/*! The object the benchmarks create: four attributes of different types. */
class BenchObject : public objectsync::SObject
{
    OBJECTSYNC_OBJECT(BenchObject, "bench")
public:
    objectsync::IntTopic *count = nullptr;
    objectsync::FloatTopic *x = nullptr;
    objectsync::StringTopic *label = nullptr;
    objectsync::DictTopic *style = nullptr;

protected:
    void preBuild(const QJsonObject &) override
    {
        count = addAttribute<objectsync::IntTopic>(QStringLiteral("count"));
        x = addAttribute<objectsync::FloatTopic>(QStringLiteral("x"));
        label = addAttribute<objectsync::StringTopic>(QStringLiteral("label"));
        style = addAttribute<objectsync::DictTopic>(QStringLiteral("style"));
    }
};
