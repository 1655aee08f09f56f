// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/change.h>

#include <functional>

namespace objectsync {
class Engine;
class EnginePrivate;
} // namespace objectsync

namespace objectsync::storage {

/*!
 * The few engine operations restore needs that the public Engine API does not offer yet.
 * Everything that reaches into the engine's private state lives in this file, so that it
 * can move to public engine API without touching the rest of storage.
 *
 * A ReplayScope opens a transition of kind Redo: changes applied through it are applied as
 * recorded, without running behaviours (behaviour listeners, event handlers without an
 * inverse such as create_object), and the transition is not recorded for undo. Public
 * engine calls made while it is open (Engine::deserialize(), Engine::applyChange(), typed
 * topic methods) join it. Destroying an uncommitted scope reverts everything.
 */
class ReplayScope
{
public:
    /*! Opens the transition. Throws Error when \a engine is inside a transition. */
    explicit ReplayScope(Engine *engine);
    ~ReplayScope();
    ReplayScope(const ReplayScope &) = delete;
    ReplayScope &operator=(const ReplayScope &) = delete;

    /*! Applies a recorded change. String inserts and deletes apply at the topic's current
     *  version (they were transformed when first applied); versions are made afresh. */
    void apply(Change change);
    /*! Commits; throws Error (everything reverted) when the engine refuses. */
    void commit();
    /*! Reverts everything applied in the scope. */
    void rollback();

private:
    Engine *m_engine;
    EnginePrivate *d;
    bool m_done = false;
};

/*!
 * Runs \a apply inside a ReplayScope of \a engine, then \a beforeCommit, then commits. All
 * or nothing: false with \a error, the engine unchanged, when \a apply throws,
 * \a beforeCommit returns false (its error stands) or the engine refuses the commit.
 */
bool replay(Engine *engine, const std::function<void(ReplayScope &scope)> &apply,
            const std::function<bool(QString *error)> &beforeCommit, QString *error);

/*! The sequence number of the engine's latest committed transition. */
quint64 engineSequence(const Engine *engine);
/*! The counter behind Engine::newObjectId() ("0_<counter>"). */
quint64 objectIdCounter(const Engine *engine);
/*! Raises the counter to at least \a counter (it never goes back). */
void raiseObjectIdCounter(Engine *engine, quint64 counter);

} // namespace objectsync::storage
