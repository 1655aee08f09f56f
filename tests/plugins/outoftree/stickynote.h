// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/sobject.h>

/*!
 * A sticky note. Its frontend type is "text", so any page that shows text elements shows it:
 * `text` is what is written on it and `style` how it looks. Setting `color` recolours it.
 * A note holds at most 140 characters.
 */
class StickyNote : public objectsync::SObject
{
    OBJECTSYNC_OBJECT(StickyNote, "text")
public:
    static constexpr qsizetype MaxLength = 140;

    objectsync::DictTopic *style = nullptr;
    objectsync::StringTopic *text = nullptr;
    objectsync::StringTopic *color = nullptr;

protected:
    void preBuild(const QJsonObject &buildArgs) override;
    void build(const QJsonObject &buildArgs) override;
    void init() override;

private:
    void applyColor();
};
