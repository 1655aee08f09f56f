// SPDX-License-Identifier: MIT
#include "domobjects.h"

#include <objectsync/error.h>

namespace dom {

using namespace objectsync;

void ElementObject::preBuild(const QJsonObject &)
{
    style = addAttribute<DictTopic>(QStringLiteral("style"), QJsonObject());
}

void ElementObject::build(const QJsonObject &buildArgs)
{
    const QJsonValue initial = buildArgs.value(QLatin1String("style"));
    if (initial.isUndefined())
        return;
    if (!initial.isObject())
        throw Error(QStringLiteral("the style of a new element must be an object"));
    const QJsonObject styleValues = initial.toObject();
    for (auto it = styleValues.begin(); it != styleValues.end(); ++it)
        style->add(it.key(), it.value());
}

void TextObject::preBuild(const QJsonObject &buildArgs)
{
    ElementObject::preBuild(buildArgs);
    text = addAttribute<StringTopic>(QStringLiteral("text"), QString());
}

void TextObject::build(const QJsonObject &buildArgs)
{
    ElementObject::build(buildArgs);
    const QJsonValue initial = buildArgs.value(QLatin1String("text"));
    if (initial.isUndefined())
        return;
    if (!initial.isString())
        throw Error(QStringLiteral("the text of a new text element must be a string"));
    text->set(initial.toString());
}

} // namespace dom
