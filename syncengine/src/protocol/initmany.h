// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/global.h>

#include <QByteArray>
#include <QHash>
#include <QJsonValue>
#include <QList>
#include <QStringList>

namespace objectsync {
class Topic;
}

namespace objectsync::protocol {

/*!
 * Writes the answer to one `subscribe_many`: `init_many` messages, each closed once it holds
 * about \a maxBytes (a single large value may go beyond), the last one with `"last": true`.
 *
 * An `init_many` holds `topics` (`[name, value]`, or `[name, value, version]` for string
 * topics) and, when the topic list was asked for, its entries as `listed` (`[name, index]`)
 * with the distinct descriptors they point to in `descriptors` (indices are per message).
 */
class InitManyWriter
{
public:
    explicit InitManyWriter(qint64 maxBytes) : m_maxBytes(qMax<qint64>(1, maxBytes)) {}

    /*! One entry of the topic list: \a name and its descriptor. */
    void addListed(const QString &name, const QJsonValue &descriptor);
    /*! The current value of \a topic (and its version for a string topic). */
    void addTopic(const Topic &topic);
    /*! Closes the answer; \a unknown (names asked for that do not exist) go in the last one. */
    QList<QByteArray> finish(const QStringList &unknown);

private:
    qint64 size() const { return m_descriptors.size() + m_listed.size() + m_topics.size(); }
    void closeIfFull();
    QByteArray message(const QStringList &unknown, bool last) const;

    qint64 m_maxBytes;
    QList<QByteArray> m_done;
    QByteArray m_descriptors; //!< comma-separated, without brackets
    QHash<QByteArray, int> m_descriptorIndex;
    QByteArray m_listed;
    QByteArray m_topics;
};

} // namespace objectsync::protocol
