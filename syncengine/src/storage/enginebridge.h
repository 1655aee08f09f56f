// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/change.h>
#include <objectsync/result.h>

#include <functional>

#include <objectsync/engine.h>

namespace objectsync::storage {

/*!
 * Runs \a apply inside a ReplayScope of \a engine, then \a beforeCommit, then commits. All
 * or nothing: an error, the engine unchanged, when \a apply throws (an Error keeps its code,
 * another exception is Refused), \a beforeCommit fails (its error stands) or the engine
 * refuses the commit.
 */
Result<void> replay(Engine *engine, const std::function<void(ReplayScope &scope)> &apply,
                    const std::function<Result<void>()> &beforeCommit);

} // namespace objectsync::storage
