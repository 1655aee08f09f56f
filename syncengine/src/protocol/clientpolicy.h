// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/change.h>
#include <objectsync/result.h>

#include <QList>

namespace objectsync {
class Engine;
}

namespace objectsync::protocol {

/*!
 * What a client may change, beyond what the engine itself checks (topic exists, types fit,
 * values are valid). These rules bind clients only; host-side code is never asked.
 * - the engine's own topics (Topic::isSystem()) are never written directly; the only
 *   exception is emitting the `create_object` and `destroy_object` events;
 * - object ids a client chooses in `create_object` (its `id`, and the ids inside
 *   `serialized`) start with "<client id>_", so clients never take each other's ids. A
 *   missing id lets the host make one;
 * - attributes declared read-only (ClientAccess::ReadOnly) are not changed in any way;
 * - objects of a host-only type (ObjectType::hostOnly) are not created (neither by `type`
 *   nor inside `serialized`), destroyed, moved, re-tagged or changed; nor is an object
 *   destroyed whose subtree holds one. Creating an object under one, moving one's own object
 *   under one, or moving an object that holds one (the host-only object itself does not
 *   change) is allowed.
 *
 * Returns success, or why \a change is refused (PermissionDenied). It is checked right before the
 * change is applied, inside the action's transition, so a topic created by an earlier
 * command of the same action is known. Reasons name the rule, the object and the attribute,
 * never a value.
 */
Result<void> refuseClientChange(const Engine &engine, const Change &change, int clientId);

/*!
 * Success, or why client \a clientId may not undo or redo a recorded transition.
 * \a changes are those the undo or redo has applied (it is not committed yet) and
 * \a recordedOrigin the origin of the recorded transition. A client may always take back or
 * make again what its own actions and requests caused, including what plugins did in
 * reaction. Anything else is refused when it changes a read-only attribute, or creates,
 * destroys, moves or changes an object of a host-only type.
 */
Result<void> refuseClientUndo(const Engine &engine, const QList<Change> &changes,
                              int recordedOrigin, int clientId);

/*! "<clientId>_": the prefix of the object ids client \a clientId may create. */
QString clientIdPrefix(int clientId);

} // namespace objectsync::protocol
