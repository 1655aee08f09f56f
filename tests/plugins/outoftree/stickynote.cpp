// SPDX-License-Identifier: MIT
#include "stickynote.h"

#include <objectsync/engine.h>
#include <objectsync/error.h>

using namespace objectsync;

void StickyNote::preBuild(const QJsonObject &)
{
    // Attributes in the order the page expects them: style, then text.
    style = addAttribute<DictTopic>(QStringLiteral("style"), QJsonObject());
    text = addAttribute<StringTopic>(QStringLiteral("text"), QString());
    color = addAttribute<StringTopic>(QStringLiteral("color"), QStringLiteral("yellow"));
}

void StickyNote::build(const QJsonObject &args)
{
    text->set(args.value(QStringLiteral("text")).toString());
    if (args.value(QStringLiteral("color")).isString())
        color->set(args.value(QStringLiteral("color")).toString());
    style->set({{QStringLiteral("padding"), QStringLiteral("12px")},
                {QStringLiteral("margin"), QStringLiteral("8px")},
                {QStringLiteral("width"), QStringLiteral("180px")},
                {QStringLiteral("box-shadow"), QStringLiteral("2px 2px 6px gray")}});
    applyColor();
}

void StickyNote::init()
{
    // Validation: a change that breaks the rule is refused, and the client's whole action
    // with it.
    listen(text, [this](const Change &) {
        if (text->get().size() > MaxLength)
            throw Error(QStringLiteral("a note holds at most %1 characters").arg(MaxLength));
    });
    // Behaviour: a new colour restyles the note in the same transition (undo reverts both).
    listen(color, [this](const Change &) { applyColor(); });
}

void StickyNote::applyColor()
{
    const QString background = color->get().isEmpty() ? QStringLiteral("yellow") : color->get();
    if (style->contains(QStringLiteral("background-color")))
        style->changeValue(QStringLiteral("background-color"), background);
    else
        style->add(QStringLiteral("background-color"), background);
}
