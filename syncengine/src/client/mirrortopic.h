// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/change.h>

#include <QJsonArray>
#include <QJsonValue>
#include <QMap>
#include <QString>

namespace objectsync::client {

/*!
 * The client's copy of one topic's value. Applies changes with the same rules as the host's
 * topics, so a change the host would refuse is refused locally before it is sent. A copy is
 * cheap (implicit sharing) and serves as the snapshot that rolls back an optimistic change.
 */
class MirrorTopic
{
public:
    explicit MirrorTopic(TopicType type = TopicType::Generic);

    TopicType type() const { return m_type; }
    /*! Replaces the value (an init message). Throws Error when it does not fit the type;
     *  the value is then unchanged. */
    void assign(const QJsonValue &value, const QString &version);
    QJsonValue value() const;
    /*! The text of a string topic. */
    const QString &text() const { return m_text; }
    /*! The entries of a dict topic. */
    const QMap<QString, QJsonValue> &dict() const { return m_dict; }
    /*! The version of a string topic. */
    const QString &version() const { return m_version; }

    /*!
     * Applies \a change: validates it, normalizes negative list positions and fills in old
     * values. Throws Error and leaves the value unchanged when the change is refused. String
     * changes apply at their position as given (the host has transformed them already); the
     * version becomes the change's result_topic_version.
     */
    void apply(Change &change);

private:
    void applyString(Change &c);

    TopicType m_type;
    QJsonValue m_scalar;              // generic, int, float
    QString m_text;                   // string
    QString m_version;                // string
    QJsonArray m_array;               // set, list
    QMap<QString, QJsonValue> m_dict; // dict (a map: adding a key stays cheap when large)
};

} // namespace objectsync::client
