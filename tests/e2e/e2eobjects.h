// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/sobject.h>
#include <objectsync/topic.h>

#include <QJsonObject>

namespace e2e {

/*! A DOM element for the demo page: `style` is a dict of CSS properties. Built with
 *  build_kwargs {"style": {...}}. */
class ElementObject : public objectsync::SObject
{
public:
    objectsync::DictTopic *style = nullptr;

protected:
    void preBuild(const QJsonObject &) override
    {
        style = addAttribute<objectsync::DictTopic>(QStringLiteral("style"), QJsonObject());
    }
    void build(const QJsonObject &buildArgs) override
    {
        const QJsonObject initial = buildArgs.value(QLatin1String("style")).toObject();
        for (auto it = initial.begin(); it != initial.end(); ++it)
            style->add(it.key(), it.value());
    }
};

/*! Frontend type "div". */
class DivObject : public ElementObject
{
    OBJECTSYNC_OBJECT(DivObject, "div")
};

/*! Frontend type "text": also `text`, the element's text (build_kwargs {"text": "..."}). */
class TextObject : public ElementObject
{
    OBJECTSYNC_OBJECT(TextObject, "text")
public:
    objectsync::StringTopic *text = nullptr;

protected:
    void preBuild(const QJsonObject &buildArgs) override
    {
        ElementObject::preBuild(buildArgs);
        text = addAttribute<objectsync::StringTopic>(QStringLiteral("text"), QString());
    }
    void build(const QJsonObject &buildArgs) override
    {
        ElementObject::build(buildArgs);
        text->set(buildArgs.value(QLatin1String("text")).toString());
    }
};

} // namespace e2e
