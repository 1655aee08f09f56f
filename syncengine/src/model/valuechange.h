// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/change.h>

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QMap>

/*!
 * \file valuechange.h
 * The rules of each topic type, as functions on plain values: the engine's topics and the
 * client's mirror of them both apply changes with these, so a change the host accepts is
 * accepted the same way by a client, and the other way round.
 *
 * Each function checks the change against the value and either applies it, filling in what
 * the change needs to be undone (old value, normalized position), or throws objectsync::Error
 * ("<type> on topic <name> refused: <why>") and leaves the value as it was.
 */

namespace objectsync::detail {

[[noreturn]] void refuseChange(const Change &change, const QString &why);
/*! Refuses a change type the topic type does not have. */
[[noreturn]] void refuseUnsupported(const Change &change);

void applyGenericChange(QJsonValue &value, Change &change);
void applyIntChange(qint64 &value, Change &change);
void applyFloatChange(double &value, Change &change);
void applySetChange(QJsonArray &items, Change &change);
void applyListChange(QJsonArray &items, Change &change);
void applyDictChange(QMap<QString, QJsonValue> &entries, Change &change);
/*! Checks an event's emit (its arguments default to an empty object). */
void applyEventChange(Change &change);

/*! An object's members as a map (kept in key order). */
QMap<QString, QJsonValue> toEntries(const QJsonObject &object);
/*! The entries as an object. */
QJsonObject toObject(const QMap<QString, QJsonValue> &entries);

} // namespace objectsync::detail
