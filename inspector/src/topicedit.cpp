// SPDX-License-Identifier: MIT
#include "topicedit.h"

#include "jsontext.h"

#include <objectsync/engine.h>
#include <objectsync/error.h>

#include <QCoreApplication>

namespace objectsync::topicedit {

void setValue(Topic *topic, const QJsonValue &value)
{
    switch (topic->type()) {
    case TopicType::Generic:
        static_cast<GenericTopic *>(topic)->set(value);
        return;
    case TopicType::String:
        static_cast<StringTopic *>(topic)->set(value.toString());
        return;
    case TopicType::Int:
        static_cast<IntTopic *>(topic)->set(value.toInteger());
        return;
    case TopicType::Float:
        static_cast<FloatTopic *>(topic)->set(value.toDouble());
        return;
    case TopicType::Set:
        static_cast<SetTopic *>(topic)->set(value.toArray());
        return;
    case TopicType::List:
        static_cast<ListTopic *>(topic)->set(value.toArray());
        return;
    case TopicType::Dict:
        static_cast<DictTopic *>(topic)->set(value.toObject());
        return;
    case TopicType::Event:
        break;
    }
    throw Error(
        QCoreApplication::translate("objectsync::topicedit", "an event has no value to set"));
}

QString setText(Engine *engine, Topic *topic, const QString &text)
{
    const Result<QJsonValue> parsed = jsontext::fromText(topic->type(), text);
    if (!parsed)
        return parsed.errorMessage();
    if (*parsed == topic->value())
        return {}; // nothing to change, nothing to record
    return engine->tryTransition([&] { setValue(topic, *parsed); }).errorMessage();
}

} // namespace objectsync::topicedit
