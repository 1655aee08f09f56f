// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/change.h>

#include <functional>

#include <objectsync/engine.h>

namespace objectsync::storage {

/*!
 * Runs \a apply inside a ReplayScope of \a engine, then \a beforeCommit, then commits. All
 * or nothing: false with \a error, the engine unchanged, when \a apply throws,
 * \a beforeCommit returns false (its error stands) or the engine refuses the commit.
 */
bool replay(Engine *engine, const std::function<void(ReplayScope &scope)> &apply,
            const std::function<bool(QString *error)> &beforeCommit, QString *error);

} // namespace objectsync::storage
