// SPDX-License-Identifier: MIT
#include "domplugin.h"

#include "domobjects.h"

namespace dom {

using namespace objectsync;

void DomPlugin::initialize(PluginContext &context)
{
    context.registerType<DivObject>();
    context.registerType<TextObject>();
    context.addScene(QStringLiteral("dom"),
                     QStringLiteral("a text element saying \"Hello ObjectSync!\" in a yellow box"),
                     &DomPlugin::buildScene);
}

void DomPlugin::buildScene(Engine &engine)
{
    auto *text = engine.createObject<TextObject>();
    text->text->set(QStringLiteral("Hello ObjectSync!"));
    text->style->add(QStringLiteral("font-size"), QStringLiteral("30px"));
    text->style->add(QStringLiteral("border"), QStringLiteral("5px solid black"));
    text->style->add(QStringLiteral("background-color"), QStringLiteral("yellow"));
}

} // namespace dom
