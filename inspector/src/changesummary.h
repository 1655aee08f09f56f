// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/transition.h>

#include <QString>

/*! Short human-readable descriptions of changes and transitions for the transition log. */
namespace objectsync::changesummary {

/*! One line for one change, e.g. "a/0_3/count = 5" or "create 0_7 (text)". */
QString describe(const Change &change);

/*! The transition in one line: its meaningful changes (object creations and destructions,
 *  moves, attribute and topic changes; the engine's bookkeeping is left out), at most
 *  \a maxItems of them, then how many more. */
QString summarize(const Transition &transition, int maxItems = 3);

/*! Every change on its own line, at most \a maxLines lines. */
QString details(const Transition &transition, int maxLines = 40);

/*! "host" for 0, otherwise "client N". */
QString originText(int origin);

/*! "change", "undo" or "redo". */
QString kindText(TransitionKind kind);

} // namespace objectsync::changesummary
