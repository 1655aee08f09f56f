// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/change.h>

#include <QList>
#include <memory>

namespace objectsync {

/*! Why a transition happened. */
enum class TransitionKind : quint8 {
    Forward, //!< ordinary changes made by code, the inspector or a client
    Undo,    //!< the inverse of a recorded transition
    Redo     //!< a recorded transition applied again
};

/*!
 * A committed, all-or-nothing group of changes, announced once by
 * Engine::transitionCommitted(). The network layer broadcasts it and the journal stores it.
 */
struct OBJECTSYNC_EXPORT Transition
{
    quint64 sequence = 0; //!< 1, 2, 3, ... in commit order, per engine
    int origin = 0;       //!< the client that caused it; 0 for the host itself
    QString actionId;     //!< the client's action id; empty for the host
    TransitionKind kind = TransitionKind::Forward;
    QList<Change> changes; //!< in the order they were applied
};

using TransitionPtr = std::shared_ptr<const Transition>;

} // namespace objectsync
