// SPDX-License-Identifier: MIT
#pragma once

#include <QJsonValue>
#include <QString>

namespace objectsync {

class Engine;
class Topic;

/*! How the inspector changes a topic's value from an editor's text. */
namespace topicedit {

/*! Sets \a value on \a topic through its typed method. Throws Error when refused. */
void setValue(Topic *topic, const QJsonValue &value);

/*!
 * Turns \a text into a value of \a topic's type and sets it as one transition of \a engine.
 * Returns why not (the text does not fit, or the engine refused); empty on success. Setting
 * the value the topic already has records nothing.
 */
QString setText(Engine *engine, Topic *topic, const QString &text);

} // namespace topicedit
} // namespace objectsync
