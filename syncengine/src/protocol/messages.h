// SPDX-License-Identifier: MIT
#pragma once

/*! \file messages.h Builders of the messages the host sends, as compact UTF-8 JSON. */

#include <objectsync/global.h>

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QStringView>

namespace objectsync {
class Topic;
}

namespace objectsync::protocol::messages {

/*! `hello {id}`: the first message of a connection; with \a batchedJoin also
 *  `features: ["subscribe_many"]`. */
QByteArray hello(int clientId, bool batchedJoin = false);

/*! `init {topic_name, value}` plus `id` (the version) for string topics. */
QByteArray init(const Topic &topic);

/*! `reject {reason, action_id}`. */
QByteArray reject(QStringView reason, QStringView actionId);

/*! `response {response, request_id}`, plus `error` when \a error is not empty. */
QByteArray response(const QJsonValue &requestId, const QJsonValue &response, QStringView error);

/*! `request {service_name, args, request_id}`. */
QByteArray request(QStringView serviceName, const QJsonObject &args, QStringView requestId);

/*! `error {reason, message_type}` (extension; only for clients that asked for it). */
QByteArray error(QStringView reason, QStringView messageType);

/*!
 * `update {changes, action_id}` assembled from pre-encoded change dicts: \a pieces holds the
 * encoded changes of one transition, \a indices the ones to include, in order.
 */
QByteArray update(const QList<QByteArray> &pieces, const qint32 *indices, qsizetype count,
                  QStringView actionId);

} // namespace objectsync::protocol::messages
