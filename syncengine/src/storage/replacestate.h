// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/result.h>

#include <QJsonObject>
#include <QString>
#include <functional>

namespace objectsync {
class Engine;
}

namespace objectsync::storage {

struct RestorePlan;

/*!
 * The state \a plan restores, built in a scratch engine that knows the object types of
 * \a typesFrom, as a snapshot document (see captureSnapshot()). Nothing of \a typesFrom
 * changes. An error when the state cannot be rebuilt (for example an object type
 * \a typesFrom does not know).
 */
Result<QJsonObject> buildState(const Engine &typesFrom, const RestorePlan &plan);

/*!
 * Replaces the content of \a engine with \a state (a snapshot document) as one transition
 * of kind Redo: every child of the root is destroyed, the root's tags are set, the plain
 * topics of \a state get its values (missing ones are added; plain topics \a state does not
 * name are left as they are) and its objects are rebuilt with their ids. Behaviours do not
 * run. \a beforeCommit runs once everything is applied, before the transition commits; an
 * error from it reverts everything. All or nothing: an error, the engine unchanged, when
 * \a state is malformed (Corrupt), a topic has another type in \a state than in \a engine
 * or the engine refuses something.
 */
Result<void> replaceState(Engine &engine, const QJsonObject &state,
                          const std::function<Result<void>()> &beforeCommit);

} // namespace objectsync::storage
