// SPDX-License-Identifier: MIT
#pragma once

#include <QJsonObject>
#include <QString>
#include <functional>
#include <optional>

namespace objectsync {
class Engine;
}

namespace objectsync::storage {

struct RestorePlan;

/*!
 * The state \a plan restores, built in a scratch engine that knows the object types of
 * \a typesFrom, as a snapshot document (see captureSnapshot()). Nothing of \a typesFrom
 * changes. std::nullopt with \a error when the state cannot be rebuilt (for example an
 * object type \a typesFrom does not know).
 */
std::optional<QJsonObject> buildState(const Engine &typesFrom, const RestorePlan &plan,
                                      QString *error);

/*!
 * Replaces the content of \a engine with \a state (a snapshot document) as one transition
 * of kind Redo: every child of the root is destroyed, the root's tags are set, the plain
 * topics of \a state get its values (missing ones are added; plain topics \a state does not
 * name are left as they are) and its objects are rebuilt with their ids. Behaviours do not
 * run. \a beforeCommit runs once everything is applied, before the transition commits;
 * returning false reverts everything. All or nothing: false with \a error, the engine
 * unchanged, when a topic has another type in \a state than in \a engine or the engine
 * refuses something.
 */
bool replaceState(Engine &engine, const QJsonObject &state,
                  const std::function<bool(QString *error)> &beforeCommit, QString *error);

} // namespace objectsync::storage
