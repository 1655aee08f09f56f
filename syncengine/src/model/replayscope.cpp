// SPDX-License-Identifier: MIT
// Replaying recorded changes (ReplayScope), and the counters a host restores: the object id
// counter and the transition sequence.
#include <objectsync/engine.h>

#include "engine_p.h"

namespace objectsync {

ReplayScope::ReplayScope(Engine *engine) : m_engine(engine)
{
    EnginePrivate *d = EnginePrivate::get(engine);
    if (d->txOpen)
        throw Error(QStringLiteral("changes cannot be replayed inside a transition"));
    d->begin(0, QString(), TransitionKind::Redo);
}

ReplayScope::~ReplayScope()
{
    EnginePrivate *d = EnginePrivate::get(m_engine);
    if (!m_done && d->txOpen)
        d->rollback();
}

void ReplayScope::apply(Change change)
{
    if (change.topicType == TopicType::String) {
        if (change.type == ChangeType::Insert || change.type == ChangeType::Delete) {
            if (auto *t = m_engine->topicAs<StringTopic>(change.topicName))
                change.topicVersion = t->version();
        }
        change.resultTopicVersion.clear();
    }
    EnginePrivate::get(m_engine)->apply(change, false);
}

void ReplayScope::commit()
{
    m_done = true;
    EnginePrivate *d = EnginePrivate::get(m_engine);
    if (d->txOpen)
        d->commit(); // reverts everything itself when it throws
}

void ReplayScope::rollback()
{
    m_done = true;
    EnginePrivate *d = EnginePrivate::get(m_engine);
    if (d->txOpen)
        d->rollback();
}

quint64 Engine::objectIdCounter() const
{
    return d->objectCounter;
}

void Engine::raiseObjectIdCounter(quint64 counter)
{
    d->objectCounter = qMax(d->objectCounter, counter);
}

quint64 Engine::lastSequence() const
{
    return d->sequence;
}

} // namespace objectsync
