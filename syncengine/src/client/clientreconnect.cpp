// SPDX-License-Identifier: MIT
// Reconnecting by itself after the connection drops, and bringing the mirror back to the host.
//
// A drop takes every unconfirmed change off the mirror and reports its action: the host may
// or may not have applied it, and sending it again could apply it twice. The mirror keeps the
// host's values as last received. After the wait chosen by the policy the client opens a new
// socket; the host answers with a new client id (new ids use it). The client then asks for the
// topic list, subscribes again to every topic it had and to those its Follow mode takes, and
// lets the inits replace the old values (see onInit and setTopicList: topics that went away
// are removed, new ones added, and a value that did not change is replaced quietly). Once
// every value is in, reconnected() tells the application.
#include "client_p.h"

#include <objectsync/names.h>

#include "backoff.h"

#include <QRandomGenerator>

namespace objectsync {

namespace {
const QString &topicListName = names::topicList;
} // namespace

void Client::setReconnectPolicy(const ReconnectPolicy &policy)
{
    d->reconnect = policy;
    if (!policy.enabled && d->state == State::Reconnecting)
        d->onDisconnected(); // nothing more will be tried
}

ReconnectPolicy Client::reconnectPolicy() const
{
    return d->reconnect;
}

void ClientPrivate::connectionLost()
{
    const bool retry =
        reconnect.enabled && (reconnect.maxAttempts < 0 || attempt < reconnect.maxAttempts);
    if (!retry) {
        if (reconnect.enabled && attempt > 0) {
            const QString why =
                QStringLiteral("no connection after %1 attempts; giving up").arg(attempt);
            notify([this, why] { emit q->errorOccurred(why); });
        }
        onDisconnected();
        return;
    }
    if (socket) {
        socket->disconnect(q);
        socket->deleteLater();
        socket = nullptr;
    }
    Busy busyScope(this);
    abandonUnconfirmed();
    // What the host was sending is subscribed to again on the next connection (a drop in the
    // middle of a reconnection keeps what was still to be subscribed again).
    resubscribe.unite(subscribed);
    resubscribe.remove(topicListName);
    subscribed.clear();
    deferred.clear();
    failAll(Error(ErrorCode::Io, QStringLiteral("the connection closed")));
    clientId = 0; // the host gives a new one
    rejoin = Rejoin::Idle;
    awaiting.clear();
    joinAnswer = {};
    scheduleRetry();
}

void ClientPrivate::takeOffOpenAction()
{
    // An Action scope still open: its changes come off too (unapply() makes it a no-op when
    // the scope later ends), so that the mirror goes back to the host's state.
    for (qsizetype i = actionChanges.size() - 1; i >= 0; --i)
        unapply(actionChanges[i]);
}

void ClientPrivate::abandonUnconfirmed()
{
    // Every action not answered yet, oldest first: sent (inFlight, and pending changes of an
    // action too old to be listed there) and held back.
    QStringList ids;
    const auto add = [&ids](const QString &id) {
        if (!id.isEmpty() && !ids.contains(id))
            ids.append(id);
    };
    for (const PendingChange &p : std::as_const(pending))
        if (!inFlight.contains(p.actionId))
            add(p.actionId);
    for (const QString &id : std::as_const(inFlight))
        add(id);
    for (const HeldAction &h : std::as_const(held))
        add(h.actionId);
    takeOffOpenAction();
    dropAll();
    if (ids.isEmpty())
        return;
    notify([this] { emit q->rolledBack(); });
    const QString reason = QStringLiteral("the connection was lost before the host confirmed it");
    for (const QString &id : std::as_const(ids)) {
        qCDebug(lcClient) << "action" << id << "abandoned:" << reason;
        notify([this, id, reason] { emit q->actionRejected(id, reason); });
    }
}

void ClientPrivate::scheduleRetry()
{
    ++attempt;
    const int delay =
        client::backoffDelayMs(reconnect, attempt, QRandomGenerator::global()->generateDouble());
    qCDebug(lcClient) << "reconnecting: attempt" << attempt << "in" << delay << "ms";
    setState(Client::State::Reconnecting);
    const int n = attempt;
    notify([this, n, delay] { emit q->reconnecting(n, delay); });
    retryTimer.start(delay);
}

void ClientPrivate::retry()
{
    if (state != Client::State::Reconnecting || socket)
        return;
    openSocket();
}

// ---- bringing the mirror back ----------------------------------------------------------

void ClientPrivate::beginRejoin()
{
    rejoin = Rejoin::WaitingForList;
    awaiting.clear();
}

void ClientPrivate::rejoinAfterList()
{
    // setTopicList() has removed the topics that went away and subscribed to those the
    // Follow mode takes; the others the client had come back too.
    for (const QString &name : std::as_const(resubscribe))
        if (topics.contains(name))
            sendSubscribe(name);
    resubscribe.clear();
    // A value kept for a topic that is not subscribed again would never be brought up to date.
    const QStringList mirrored = mirror.keys();
    for (const QString &name : mirrored) {
        if (!subscribed.contains(name)) {
            mirror.remove(name);
            notify([this, name] { emit q->topicChanged(name); });
        }
    }
    awaiting.clear();
    for (const QString &name : std::as_const(subscribed))
        if (name != topicListName && topics.contains(name))
            awaiting.insert(name);
    rejoin = Rejoin::WaitingForValues;
    checkRejoined();
}

void ClientPrivate::valueArrived(const QString &topicName)
{
    if (awaiting.remove(topicName))
        checkRejoined();
}

void ClientPrivate::checkRejoined()
{
    if (rejoin != Rejoin::WaitingForValues || !awaiting.isEmpty())
        return;
    rejoin = Rejoin::Idle;
    const int id = clientId;
    qCDebug(lcClient) << "reconnected as client" << id;
    notify([this, id] { emit q->reconnected(id); });
}

} // namespace objectsync
