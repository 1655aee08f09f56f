// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/change.h>

namespace objectsync {
class Engine;
}

namespace objectsync::protocol {

/*!
 * What a client may change, beyond what the engine itself checks (topic exists, types fit,
 * values are valid):
 * - the engine's own topics (Topic::isSystem()) are never written directly; the only
 *   exception is emitting the `create_object` and `destroy_object` events;
 * - object ids a client chooses in `create_object` (its `id`, and the ids inside
 *   `serialized`) start with "<client id>_", so clients never take each other's ids. A
 *   missing id lets the host make one.
 *
 * Returns why \a change is refused, or an empty string. It is checked right before the
 * change is applied, inside the action's transition, so a topic created by an earlier
 * command of the same action is known.
 */
OBJECTSYNC_EXPORT QString refuseClientChange(const Engine &engine, const Change &change,
                                             int clientId);

/*! "<clientId>_": the prefix of the object ids client \a clientId may create. */
OBJECTSYNC_EXPORT QString clientIdPrefix(int clientId);

} // namespace objectsync::protocol
