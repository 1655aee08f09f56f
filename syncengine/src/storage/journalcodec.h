// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/result.h>
#include <objectsync/transition.h>

#include <QByteArrayView>
#include <QList>

#include "bytebuffer.h"

namespace objectsync::storage {

/*!
 * The journal's binary form of transitions (workspace format 2; docs/workspaces.md has the
 * byte layout). It is compact and cheap to write, so that the engine's thread can encode a
 * transition as it commits and let it go at once: the writer thread only sees bytes.
 *
 * A row's payload is rowTag followed by the transitions of the row, back to back; their
 * journal sequences are implicit (the row's first sequence, +1, +2, ...). Old values are not
 * stored: applying a change again fills them in.
 */
inline constexpr char rowTag = '\x02';

/*! Appends the binary form of \a transition (without its sequence) to \a out. */
void encodeTransition(ByteBuffer &out, const Transition &transition);

/*! A transition read back from a journal row. */
struct JournalTransition
{
    quint64 sequence = 0;
    Transition transition; //!< its own sequence field is left 0
};

/*!
 * Decodes a binary row payload that must hold exactly the transitions \a first..\a last.
 * Everything is bounds-checked: a payload that is cut short, has bytes left over or holds
 * unknown codes gives a Corrupt error; one that nests values deeper than the JSON parser
 * allows gives LimitExceeded.
 */
Result<QList<JournalTransition>> decodeRow(QByteArrayView payload, quint64 first, quint64 last);

} // namespace objectsync::storage
