// SPDX-License-Identifier: MIT
// The batched join: `subscribe_many` subscribes to many topics at once and is answered with
// a few bounded `init_many` messages instead of one `init` per topic.
#include "session.h"

#include "hub.h"
#include "initmany.h"
#include "sessionutil.h"
#include "wire.h"

#include <objectsync/engine.h>
#include <objectsync/names.h>

#include <QJsonArray>

namespace objectsync::protocol {

using namespace sessionutil;

namespace {
/*! Reads an optional array of strings; false (and \a why) when it is something else. */
bool readStrings(const QJsonObject &args, QLatin1String field, QStringList *out, QString *why)
{
    const QJsonValue v = args.value(field);
    if (v.isUndefined() || v.isNull())
        return true;
    if (!v.isArray()) {
        *why =
            QStringLiteral("subscribe_many: field \"%1\" must be an array of strings").arg(field);
        return false;
    }
    const QJsonArray items = v.toArray();
    out->reserve(items.size());
    for (qsizetype i = 0; i < items.size(); ++i) {
        if (!items.at(i).isString()) {
            *why = QStringLiteral("subscribe_many: %1[%2] must be a string").arg(field).arg(i);
            return false;
        }
        out->append(items.at(i).toString());
    }
    return true;
}
} // namespace

void Session::onSubscribeMany(const QJsonObject &args)
{
    if (!m_limits.batchedJoin) {
        // Not offered: the same answer as to any message type the host does not know.
        protocolError(QStringLiteral("unknown message type \"%1\"").arg(wire::subscribeMany),
                      wire::subscribeMany);
        return;
    }
    QStringList names, prefixes;
    QString why;
    if (!readStrings(args, wire::topicNames, &names, &why) ||
        !readStrings(args, wire::prefixes, &prefixes, &why)) {
        protocolError(why, wire::subscribeMany);
        return;
    }
    if (!args.contains(wire::topicNames) && !args.contains(wire::prefixes)) {
        protocolError(QStringLiteral("subscribe_many needs \"topic_names\" or \"prefixes\""),
                      wire::subscribeMany);
        return;
    }
    if (m_limits.maxJoinEntries > 0 && names.size() + prefixes.size() > m_limits.maxJoinEntries) {
        protocolError(QStringLiteral("subscribe_many holds %1 names and prefixes; at most %2 "
                                     "are allowed")
                          .arg(names.size() + prefixes.size())
                          .arg(m_limits.maxJoinEntries),
                      wire::subscribeMany);
        return;
    }
    if (!m_engine) {
        protocolError(QStringLiteral("the host is shutting down"), wire::subscribeMany);
        return;
    }

    // The topics, each once: the names in their order, then the prefixes' matches (in no
    // particular order).
    QList<const Topic *> selected;
    QSet<QString> named;
    QStringList unknown;
    for (const QString &name : std::as_const(names)) {
        if (named.contains(name))
            continue;
        named.insert(name);
        if (const Topic *topic = m_engine->topic(name))
            selected.append(topic);
        else
            unknown.append(name);
    }
    const QStringList all = m_engine->topicNames();
    if (!prefixes.isEmpty()) {
        for (const QString &name : all) {
            for (const QString &prefix : std::as_const(prefixes)) {
                if (name.startsWith(prefix)) {
                    if (!named.contains(name))
                        selected.append(m_engine->topic(name));
                    break;
                }
            }
        }
    }

    // As for subscribe: merged changes still waiting would otherwise arrive after the values
    // that include them. Nothing else runs until every init_many is queued.
    if (m_hub && m_hub->hasPendingMerge())
        m_hub->flush();
    InitManyWriter writer(m_limits.maxInitManyBytes);
    const qsizetype before = m_subscriptions.size();
    for (const Topic *topic : std::as_const(selected)) {
        if (!topic)
            continue;
        if (topic->name() == names::topicList) {
            for (const QString &listed : all)
                writer.addListed(listed, m_engine->topicDescriptor(listed));
        } else {
            writer.addTopic(*topic);
        }
        m_subscriptions.insert(topic->name());
    }
    const bool added = m_subscriptions.size() != before;
    const QList<QByteArray> answer = writer.finish(unknown);
    for (const QByteArray &message : answer)
        enqueue(message);
    if (added)
        emit subscriptionsChanged();
}

} // namespace objectsync::protocol
