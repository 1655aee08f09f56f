// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/change.h>

#include <QList>

namespace objectsync::protocol {

/*!
 * Folds a run of committed changes to ONE topic into fewer changes with the same effect, for
 * topics that are not order-strict (their changes are sent late, merged, with the action id
 * "clock"). Adjacent changes merge when the result is exact:
 * - set then set: one set (the first old value, the last value, the last id)
 * - int add then add: one add of the sum (when it does not overflow)
 * - set or float add, then add: one set of the resulting value
 * - float add then set: one set
 * - dict change_value then change_value of the same key: one change_value
 * Anything else (inserts, pops, emits, ...) is kept as it is, in order.
 * Every change must already carry its wire id.
 */
QList<Change> mergeChanges(const QList<Change> &changes);

/*! Merges \a next into \a into when exact; returns false (and leaves both) otherwise. */
bool mergeInto(Change &into, const Change &next);

} // namespace objectsync::protocol
