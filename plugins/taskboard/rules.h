// SPDX-License-Identifier: MIT
#pragma once

#include <QJsonArray>
#include <QJsonValue>
#include <QString>

namespace taskboard {

/*! The longest title a board, column or card may have. */
inline constexpr qsizetype MaxTitleLength = 200;
/*! The longest label, and how many labels a card may carry. */
inline constexpr qsizetype MaxLabelLength = 32;
inline constexpr qsizetype MaxLabels = 10;
/*! How many entries a board's activity log keeps. */
inline constexpr qsizetype MaxActivity = 100;

/*! Throws objectsync::Error unless \a title is a usable title for \a what ("a card"). */
void requireTitle(const QString &what, const QString &title);
/*! Throws objectsync::Error unless \a label is a usable card label. */
void requireLabel(const QJsonValue &label);
/*! Throws objectsync::Error unless \a name is a usable member name. */
void requireMemberName(const QJsonValue &name);
/*! The index of the object id \a id in \a ids, or -1. */
qsizetype indexOfId(const QJsonArray &ids, const QString &id);
/*! "client 3", or "the host" for 0: who caused the transition being handled. */
QString actorName(int origin);

} // namespace taskboard
