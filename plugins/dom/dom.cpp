// SPDX-License-Identifier: MIT
// The seed's example: DOM elements with a style, and the scene "dom", a text element saying
// "Hello ObjectSync!" in a yellow box.
#include <objectsync/plugin.h>

using namespace objectsync;

namespace dom {

/*!
 * An element of a web page: its `style` attribute (a dict of CSS properties) is bound to the
 * element's style by the frontend. A new element takes its first style from the build
 * argument "style".
 */
class ElementObject : public SObject
{
public:
    DictTopic *style = nullptr;

protected:
    void preBuild(const QJsonObject &) override
    {
        style = addAttribute<DictTopic>("style", QJsonObject());
    }
    void build(const QJsonObject &buildArgs) override
    {
        const QJsonObject initial = ServiceArgs(buildArgs).optional<QJsonObject>("style", {});
        for (auto it = initial.begin(); it != initial.end(); ++it)
            style->add(it.key(), it.value());
    }
};

/*! A block element; frontend type "div". */
class DivObject : public ElementObject
{
    OBJECTSYNC_OBJECT(DivObject, "div")
};

/*! A text element; frontend type "text". Its `text` attribute is the element's text, taken
 *  first from the build argument "text". */
class TextObject : public ElementObject
{
    OBJECTSYNC_OBJECT(TextObject, "text")
public:
    StringTopic *text = nullptr;

protected:
    void preBuild(const QJsonObject &buildArgs) override
    {
        ElementObject::preBuild(buildArgs);
        text = addAttribute<StringTopic>("text", QString());
    }
    void build(const QJsonObject &buildArgs) override
    {
        ElementObject::build(buildArgs);
        const ServiceArgs args(buildArgs);
        if (args.has("text"))
            text->set(args.required<QString>("text"));
    }
};

} // namespace dom

OBJECTSYNC_PLUGIN(context)
{
    context.registerType<dom::DivObject>();
    context.registerType<dom::TextObject>();
    context.addScene("dom", "a text element saying \"Hello ObjectSync!\" in a yellow box",
                     [](Engine &engine) {
                         auto *text = engine.createObject<dom::TextObject>();
                         text->text->set("Hello ObjectSync!");
                         text->style->add("font-size", "30px");
                         text->style->add("border", "5px solid black");
                         text->style->add("background-color", "yellow");
                     });
}
