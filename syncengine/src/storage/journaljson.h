// SPDX-License-Identifier: MIT
#pragma once

#include "journalcodec.h"

#include <QByteArray>
#include <QList>

namespace objectsync::storage {

/*!
 * Reads journal rows written in workspace format 1, whose payload is a JSON array of
 * transitions (docs/workspaces.md). Files of that format keep those rows when they are
 * opened; new rows are binary (journalcodec.h). A Corrupt error when \a json is not such
 * an array.
 */
Result<QList<JournalTransition>> decodeTransitions(const QByteArray &json);

} // namespace objectsync::storage
