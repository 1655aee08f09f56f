// SPDX-License-Identifier: MIT
// Sticky notes anyone can write on: the type StickyNote, the service "notes/add" and the scene
// "notes".
#include <objectsync/plugin.h>

using namespace objectsync;

/*!
 * A sticky note. Its frontend type is "text", so any page that shows text elements shows it:
 * `text` is what is written on it and `style` how it looks. Setting `color` recolours it.
 * A note holds at most 140 characters.
 */
class StickyNote : public SObject
{
    OBJECTSYNC_OBJECT(StickyNote, "text")
public:
    static constexpr qsizetype MaxLength = 140;

    DictTopic *style = nullptr;
    StringTopic *text = nullptr;
    StringTopic *color = nullptr;

protected:
    void preBuild(const QJsonObject &) override
    {
        // Attributes in the order the page expects them: style, then text.
        style = addAttribute<DictTopic>("style", QJsonObject());
        text = addAttribute<StringTopic>("text", "");
        color = addAttribute<StringTopic>("color", "yellow");
    }

    void build(const QJsonObject &buildArgs) override
    {
        const ServiceArgs args(buildArgs);
        text->set(args.optional<QString>("text", ""));
        color->set(args.optional<QString>("color", "yellow"));
        style->set({{"padding", "12px"},
                    {"margin", "8px"},
                    {"width", "180px"},
                    {"box-shadow", "2px 2px 6px gray"}});
        applyColor();
    }

    void init() override
    {
        // Validation: a change that breaks the rule is refused, and the client's whole action
        // with it.
        listen(text, [this](const Change &) {
            if (text->get().size() > MaxLength)
                throw Error(QString("a note holds at most %1 characters").arg(MaxLength));
        });
        // Behaviour: a new colour restyles the note in the same transition (undo reverts both).
        listen(color, [this](const Change &) { applyColor(); });
    }

private:
    void applyColor()
    {
        const QString background = color->get().isEmpty() ? "yellow" : color->get();
        if (style->contains("background-color"))
            style->changeValue("background-color", background);
        else
            style->add("background-color", background);
    }
};

OBJECTSYNC_PLUGIN(context)
{
    context.registerType<StickyNote>();

    // {"text": "...", "color": "pink"} -> {"id": "<new note>"}: one engine call, one transition.
    Engine *engine = context.engine();
    context.registerService("notes/add", [engine](const QJsonObject &args) {
        SObject *note = engine->createObject("StickyNote", nullptr, QString(), args);
        return QJsonObject{{"id", note->id()}};
    });

    context.addScene("notes", "three sticky notes", [](Engine &e) {
        for (const char *c : {"yellow", "pink", "lightblue"})
            e.createObject<StickyNote>(nullptr, QString(),
                                       {{"text", QString("A %1 note").arg(c)}, {"color", c}});
    });
}
