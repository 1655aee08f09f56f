// SPDX-License-Identifier: MIT
// The batched join: with a host that offers it, the client asks for the topic list and every
// topic its Follow mode and explicit subscriptions take in a few `subscribe_many` requests,
// and gets their values in bounded `init_many` messages.
#include "client_p.h"

#include <objectsync/names.h>

#include <QJsonArray>

namespace objectsync {

namespace {
/*! Names per subscribe_many: the request stays far below the host's message size limit. */
constexpr qsizetype namesPerRequest = 2000;
} // namespace

void ClientPrivate::join()
{
    QStringList names{names::topicList};
    QStringList prefixes;
    switch (follow) {
    case Client::Follow::Nothing:
        break;
    case Client::Follow::ObjectTree:
        names.append(names::objects);
        prefixes.append(names::parentPrefix);
        break;
    case Client::Follow::Everything:
        prefixes.append(QString()); // every topic
        break;
    }
    // Explicit subscriptions, and after a reconnection what the client had.
    QSet<QString> more = wanted;
    more.unite(resubscribe);
    QStringList sorted(more.cbegin(), more.cend());
    sorted.sort();
    for (const QString &name : std::as_const(sorted))
        if (!names.contains(name))
            names.append(name);
    for (qsizetype from = 0; from < names.size(); from += namesPerRequest) {
        sendSubscribeMany(names.mid(from, namesPerRequest), prefixes);
        prefixes.clear(); // the first request carries them
    }
}

void ClientPrivate::sendSubscribeMany(const QStringList &names, const QStringList &prefixes)
{
    QJsonObject args;
    for (const QString &name : names)
        subscribed.insert(name);
    args.insert(QLatin1String("topic_names"), QJsonArray::fromStringList(names));
    if (!prefixes.isEmpty())
        args.insert(QLatin1String("prefixes"), QJsonArray::fromStringList(prefixes));
    send(QLatin1String("subscribe_many"), args);
}

void ClientPrivate::onInitMany(const QJsonObject &args)
{
    // One answer comes in a row of messages: nothing else arrives in between.
    const QJsonArray descriptors = args.value(QLatin1String("descriptors")).toArray();
    if (args.contains(QLatin1String("listed"))) {
        joinAnswer.hasList = true;
        for (const QJsonValue &entry : args.value(QLatin1String("listed")).toArray()) {
            const QJsonArray e = entry.toArray();
            const int index = e.at(1).toInt(-1);
            if (e.at(0).isString() && index >= 0 && index < descriptors.size())
                joinAnswer.list.insert(e.at(0).toString(), descriptors.at(index));
        }
    }
    for (const QJsonValue &entry : args.value(QLatin1String("topics")).toArray())
        if (entry.isArray() && entry.toArray().at(0).isString())
            joinAnswer.values.append(entry.toArray());
    for (const QJsonValue &name : args.value(QLatin1String("unknown")).toArray())
        joinAnswer.unknown.append(name.toString());
    if (args.value(QLatin1String("last")).toBool())
        applyJoinAnswer(std::exchange(joinAnswer, {}));
}

void ClientPrivate::applyJoinAnswer(JoinAnswer answer)
{
    // Subscribed first, so that the topic list does not ask for these topics one by one.
    for (const QJsonArray &entry : std::as_const(answer.values))
        subscribed.insert(entry.at(0).toString());
    for (const QString &name : std::as_const(answer.unknown)) {
        subscribed.remove(name); // an explicit one comes back with a topic of that name
        valueArrived(name);
    }
    if (answer.hasList) {
        QJsonObject init;
        init.insert(QLatin1String("topic_name"), names::topicList);
        init.insert(QLatin1String("value"), answer.list);
        onInit(init);
    }
    // Then each value, as if it came in its own init.
    for (const QJsonArray &entry : std::as_const(answer.values)) {
        if (entry.at(0).toString() == names::topicList)
            continue;
        QJsonObject init;
        init.insert(QLatin1String("topic_name"), entry.at(0));
        init.insert(QLatin1String("value"), entry.at(1));
        if (entry.size() > 2)
            init.insert(QLatin1String("id"), entry.at(2));
        onInit(init);
    }
}

} // namespace objectsync
