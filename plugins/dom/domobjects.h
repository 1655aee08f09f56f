// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/sobject.h>

namespace dom {

/*!
 * An element of a web page: its `style` attribute (a dict of CSS properties) is bound to the
 * element's style by the frontend.
 */
class ElementObject : public objectsync::SObject
{
public:
    objectsync::DictTopic *style = nullptr;

protected:
    /*! Declares `style`. */
    void preBuild(const QJsonObject &buildArgs) override;
    /*! Takes the initial style from build_kwargs {"style": {...}}. */
    void build(const QJsonObject &buildArgs) override;
};

/*! A block element; frontend type "div". */
class DivObject : public ElementObject
{
    OBJECTSYNC_OBJECT(DivObject, "div")
};

/*! A text element; frontend type "text". Its `text` attribute is the element's text. */
class TextObject : public ElementObject
{
    OBJECTSYNC_OBJECT(TextObject, "text")
public:
    objectsync::StringTopic *text = nullptr;

protected:
    /*! Declares `style`, then `text`. */
    void preBuild(const QJsonObject &buildArgs) override;
    /*! Takes the initial text from build_kwargs {"text": "..."}. */
    void build(const QJsonObject &buildArgs) override;
};

} // namespace dom
