// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/result.h>

#include <QJsonObject>

namespace objectsync {
class Engine;
class Topic;
} // namespace objectsync

namespace objectsync::storage {

/*!
 * The state a snapshot keeps, as one JSON document:
 * \code
 * {"version": 1,
 *  "object_counter": 17,                  // behind Engine::newObjectId()
 *  "root_tags": [...],
 *  "topics": [{"name", "type", "stateful", "order_strict", "value"}, ...],  // plain topics
 *  "objects": [Engine::serialize(child) for each child of the root, in order]}
 * \endcode
 */
QJsonObject captureSnapshot(const Engine &engine);

/*! Rebuilds a captured state into \a engine, which must hold nothing yet (see isPristine()).
 *  Runs inside the caller's open transition; throws Error for malformed data or when the
 *  engine refuses something (an unknown object type, for instance). */
void restoreSnapshot(Engine &engine, const QJsonObject &snapshot);

/*! Adds one plain topic of a snapshot's "topics" list (validated) to \a engine, inside the
 *  caller's open transition, with the change the engine makes when a topic is added. */
void addPlainTopic(Engine &engine, const QJsonObject &topic);

/*! The object id counter a snapshot recorded (restore raises the engine's to it). */
quint64 snapshotObjectCounter(const QJsonObject &snapshot);

/*! Checks the document's shape without touching an engine; a Corrupt error saying what is
 *  wrong with it otherwise. */
Result<void> validateSnapshot(const QJsonObject &snapshot);

/*! True for a topic that belongs to no object and not to the engine itself. */
bool isPlainTopic(const Topic *topic);

/*! True when \a engine holds nothing a workspace would store: no objects besides the root,
 *  no root tags and no plain topics. */
bool isPristine(const Engine &engine);

} // namespace objectsync::storage
