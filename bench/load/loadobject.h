// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/objectsync.h>

/*! The object type the load runs create: a number to write, a label and a style. */
class LoadObject : public objectsync::SObject
{
    OBJECTSYNC_OBJECT(LoadObject, "load")
protected:
    void preBuild(const QJsonObject &) override
    {
        addAttribute<objectsync::IntTopic>(QStringLiteral("value"), 0);
        addAttribute<objectsync::StringTopic>(QStringLiteral("label"), QStringLiteral("item"));
        addAttribute<objectsync::DictTopic>(
            QStringLiteral("style"),
            QJsonObject{{QStringLiteral("color"), QStringLiteral("#336699")},
                        {QStringLiteral("x"), 0},
                        {QStringLiteral("y"), 0}});
    }
};
