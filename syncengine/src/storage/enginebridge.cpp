// SPDX-License-Identifier: MIT
#include "enginebridge.h"

#include "model/engine_p.h"

namespace objectsync::storage {

ReplayScope::ReplayScope(Engine *engine) : m_engine(engine), d(EnginePrivate::get(engine))
{
    if (d->txOpen)
        throw Error(QStringLiteral("a workspace cannot be restored inside a transition"));
    d->begin(0, QString(), TransitionKind::Redo);
}

ReplayScope::~ReplayScope()
{
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
    d->apply(change, false);
}

void ReplayScope::commit()
{
    m_done = true;
    if (d->txOpen)
        d->commit(); // reverts everything itself when it throws
}

void ReplayScope::rollback()
{
    m_done = true;
    if (d->txOpen)
        d->rollback();
}

bool replay(Engine *engine, const std::function<void(ReplayScope &scope)> &apply,
            const std::function<bool(QString *error)> &beforeCommit, QString *error)
{
    try {
        ReplayScope scope(engine);
        apply(scope);
        if (!beforeCommit(error)) {
            scope.rollback();
            return false;
        }
        scope.commit();
    } catch (const std::exception &e) {
        *error = QString::fromUtf8(e.what());
        return false;
    }
    return true;
}

quint64 engineSequence(const Engine *engine)
{
    return EnginePrivate::get(const_cast<Engine *>(engine))->sequence;
}

quint64 objectIdCounter(const Engine *engine)
{
    return EnginePrivate::get(const_cast<Engine *>(engine))->objectCounter;
}

void raiseObjectIdCounter(Engine *engine, quint64 counter)
{
    EnginePrivate *d = EnginePrivate::get(engine);
    d->objectCounter = qMax(d->objectCounter, counter);
}

} // namespace objectsync::storage
