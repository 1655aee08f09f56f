// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/change.h>

#include <QList>

/*!
 * \file texttransform.h
 * Moving string edits over each other, with the host's rules, so that the client can keep
 * its unconfirmed edits on top of changes that the host committed first.
 */

namespace objectsync::client {

/*! True for a string insert or delete. */
bool isTextEdit(const Change &change);

/*!
 * Rewrites \a later, an edit the host applies after \a first, so that it applies to the
 * text with \a first done, as the host does: an insert at or before its position shifts it
 * right, a delete before it shifts it left, a deletion overlapping another loses the
 * overlap, an insert inside a range being deleted keeps only the part before it, and after
 * a set the position goes to 0 (a delete becomes empty). Other changes leave it as it is.
 */
void transformOver(Change &later, const Change &first);

/*!
 * The opposite direction: \a first, applied by the host before \a later, rewritten so that
 * it applies to the text with \a later done, giving the same text as the host (first, then
 * \a later moved over it). May take zero, one or two changes.
 */
QList<Change> transformPast(const Change &first, const Change &later);

} // namespace objectsync::client
