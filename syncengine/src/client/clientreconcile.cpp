// SPDX-License-Identifier: MIT
// Reconciling this client's optimistic changes with what the host commits.
//
// The mirror holds the host's state with this client's unconfirmed changes on top: first
// those sent (`pending`), then those held back (`held`), each in the order they were made.
//
// - An update confirms the oldest pending change when it carries its action id and change
//   id (for a string edit the host moved, its id + "_adjust" and the same position and
//   text as the client predicted). Nothing moves on the mirror.
// - Any other change from the host was committed before this client's pending ones: the
//   local changes are taken off, the host's change is applied, and the local changes are
//   put back on top, string edits moved over it as the host will move them. A change that
//   no longer applies means the host will refuse its action: the action is dropped here.
// - A reject drops the refused action. Whenever the host does something the client did not
//   predict (one of its own changes out of order or different from the prediction, an
//   action answered without all of its changes, a reject that does not name its action),
//   every pending change is dropped: the host's updates then bring the truth, as they do for
//   the original client, which always works this way.
//
// The host reads a string edit against the version it names. An edit made on top of this
// client's own unconfirmed edit names a version the host may have reached differently (it
// moved the first edit over someone else's), so such an action is held back until the
// earlier edit of that topic is answered, then sent against a version the host confirmed.
#include "client_p.h"

#include "texttransform.h"
#include "wirecodec.h"

#include <QJsonArray>

namespace objectsync {

namespace {
constexpr qsizetype maxInFlight = 100000; // answers to older actions are not awaited any more
const QString adjustSuffix = QStringLiteral("_adjust");
} // namespace

using client::isTextEdit;

void ClientPrivate::flushNotifications()
{
    const QPointer<Client> alive(q);
    while (!notifications.isEmpty()) {
        const auto batch = std::exchange(notifications, {});
        for (const auto &fn : batch) {
            fn();
            if (!alive)
                return; // a slot deleted the client
        }
    }
}

void ClientPrivate::notifyTouched()
{
    const QSet<QString> names = std::exchange(touched, {});
    for (const QString &name : names)
        notify([this, name] { emit q->topicChanged(name); });
}

// ---- sending ---------------------------------------------------------------------------

bool ClientPrivate::isBlocked(const QList<PendingChange> &changes) const
{
    for (const PendingChange &p : changes)
        if (isTextEdit(p.command) && editsInFlight.contains(p.command.topicName))
            return true;
    return false;
}

void ClientPrivate::sendAction(const QString &id, const QList<PendingChange> &changes)
{
    QJsonArray list;
    for (const PendingChange &p : changes) {
        list.append(client::encodeChange(p.command));
        if (p.tracked) {
            pending.append(p);
            if (isTextEdit(p.command))
                editsInFlight.insert(p.command.topicName, id);
        }
    }
    QJsonObject args;
    args.insert(QLatin1String("commands"), list);
    args.insert(QLatin1String("action_id"), id);
    send(QLatin1String("action"), args);
    inFlight.append(id);
    if (inFlight.size() > maxInFlight)
        inFlight.removeFirst();
}

void ClientPrivate::flushHeld()
{
    while (!held.isEmpty() && !localOff && !isBlocked(held.constFirst().changes)) {
        const HeldAction h = held.takeFirst();
        sendAction(h.actionId, h.changes);
    }
}

// ---- taking local changes off and putting them back ------------------------------------

void ClientPrivate::unapply(PendingChange &p)
{
    if (!p.before)
        return;
    if (auto it = mirror.find(p.command.topicName); it != mirror.end()) {
        *it = *p.before;
        touched.insert(p.command.topicName);
    }
    p.before.reset();
}

bool ClientPrivate::reapply(PendingChange &p, bool isHeld)
{
    p.before.reset();
    if (!p.tracked)
        return true;
    auto it = mirror.find(p.command.topicName);
    if (it == mirror.end())
        return true; // nothing to show it on; the host decides
    // String edits apply as predicted; everything else as the host will apply it.
    Change c = isTextEdit(p.command) ? p.change : p.command;
    if (isHeld && c.topicType == TopicType::String) {
        c.topicVersion = it->version(); // held: it will be read against what is below it
        p.command.topicVersion = c.topicVersion;
        if (isTextEdit(c)) {
            p.command.position = c.position;
            p.command.text = c.text;
        }
    }
    client::MirrorTopic before = *it;
    try {
        it->apply(c);
    } catch (const Error &) {
        return false;
    }
    p.change = std::move(c);
    p.before = std::move(before);
    touched.insert(p.command.topicName);
    return true;
}

void ClientPrivate::takeOff()
{
    if (localOff)
        return;
    localOff = true;
    for (qsizetype i = held.size() - 1; i >= 0; --i)
        for (qsizetype k = held[i].changes.size() - 1; k >= 0; --k)
            unapply(held[i].changes[k]);
    for (qsizetype i = pending.size() - 1; i >= 0; --i)
        unapply(pending[i]);
}

void ClientPrivate::putOn()
{
    if (!localOff)
        return;
    localOff = false;
    bool dropped = false;
    for (qsizetype i = 0; i < pending.size();) {
        if (reapply(pending[i], false)) {
            ++i;
            continue;
        }
        // The host will refuse this action: drop all of it (its changes are contiguous).
        const QString action = pending.at(i).actionId;
        qsizetype s = i;
        while (s > 0 && pending.at(s - 1).actionId == action)
            --s;
        qsizetype e = i + 1;
        while (e < pending.size() && pending.at(e).actionId == action)
            ++e;
        for (qsizetype k = i - 1; k >= s; --k)
            unapply(pending[k]);
        for (qsizetype k = e - 1; k >= s; --k)
            exclude(pending.at(k).change, e, 0);
        pending.remove(s, e - s);
        qCDebug(lcClient) << "action" << action << "no longer applies; expecting its rejection";
        dropped = true;
        i = s;
    }
    for (qsizetype i = 0; i < held.size();) {
        HeldAction &h = held[i];
        qsizetype k = 0;
        while (k < h.changes.size() && reapply(h.changes[k], true))
            ++k;
        if (k == h.changes.size()) {
            ++i;
            continue;
        }
        // It no longer fits what the host did: refuse it as the host would.
        const QString failed = h.changes.at(k).command.topicName;
        for (qsizetype j = k - 1; j >= 0; --j)
            unapply(h.changes[j]);
        for (qsizetype j = h.changes.size() - 1; j >= 0; --j)
            exclude(h.changes.at(j).change, pending.size(), i + 1);
        const QString id = h.actionId;
        held.removeAt(i);
        const QString reason =
            QStringLiteral("the action no longer applies to %1 after changes from the host")
                .arg(failed);
        qCDebug(lcClient) << "held action" << id << "dropped:" << reason;
        notify([this, id, reason] { emit q->actionRejected(id, reason); });
    }
    notifyTouched();
    if (dropped)
        notify([this] { emit q->rolledBack(); });
}

// ---- moving local string edits ---------------------------------------------------------

void ClientPrivate::rebaseOver(const Change &hostChange)
{
    if (hostChange.topicType != TopicType::String)
        return;
    // The host's change as it would apply on top of each local change in turn.
    QList<Change> first{hostChange};
    const auto step = [&](Change &local) {
        if (local.topicName != hostChange.topicName || local.topicType != TopicType::String ||
            first.isEmpty())
            return;
        QList<Change> next;
        for (const Change &f : std::as_const(first)) {
            next += client::transformPast(f, local);
            client::transformOver(local, f);
        }
        first = std::move(next);
    };
    for (PendingChange &p : pending)
        step(p.change);
    for (HeldAction &h : held)
        for (PendingChange &p : h.changes)
            step(p.change);
}

void ClientPrivate::exclude(const Change &dropped, qsizetype pendingFrom, qsizetype heldFrom)
{
    if (dropped.topicType != TopicType::String)
        return;
    // Local edits made after the dropped change move as if it had been undone.
    const Change undo = dropped.inverse();
    for (qsizetype i = pendingFrom; i < pending.size(); ++i)
        client::transformOver(pending[i].change, undo);
    for (qsizetype i = heldFrom; i < held.size(); ++i)
        for (PendingChange &p : held[i].changes)
            client::transformOver(p.change, undo);
}

// ---- dropping local changes (they are off the mirror) ----------------------------------

void ClientPrivate::dropUnconfirmed()
{
    for (qsizetype k = pending.size() - 1; k >= 0; --k)
        exclude(pending.at(k).change, pending.size(), 0);
    pending.clear();
}

void ClientPrivate::dropAction(const QString &actionId)
{
    qsizetype s = 0;
    while (s < pending.size() && pending.at(s).actionId != actionId)
        ++s;
    qsizetype e = s;
    while (e < pending.size() && pending.at(e).actionId == actionId)
        ++e;
    for (qsizetype k = e - 1; k >= s; --k)
        exclude(pending.at(k).change, e, 0);
    pending.remove(s, e - s);
}

void ClientPrivate::dropAll()
{
    takeOff();
    pending.clear();
    held.clear();
    localOff = false;
    inFlight.clear();
    editsInFlight.clear();
    notifyTouched();
}

// ---- messages --------------------------------------------------------------------------

bool ClientPrivate::matchesFirst(const Change &c, const QString &actionId) const
{
    const PendingChange &p = pending.constFirst();
    if (p.actionId != actionId || p.command.topicName != c.topicName || p.command.type != c.type)
        return false;
    if (c.id == p.command.id)
        return !isTextEdit(c) || (c.position == p.change.position && c.text == p.change.text);
    // The host moved the edit over changes committed before it: as predicted?
    return isTextEdit(c) && c.id == p.command.id + adjustSuffix &&
           c.position == p.change.position && c.text == p.change.text;
}

bool ClientPrivate::isOwnChange(const Change &c) const
{
    for (const PendingChange &p : pending)
        if (c.id == p.command.id || c.id == p.command.id + adjustSuffix)
            return true;
    return false;
}

void ClientPrivate::hostChange(Change &c)
{
    takeOff();
    if (applyFromHost(c))
        rebaseOver(c);
}

bool ClientPrivate::settle(const QString &actionId)
{
    // The host answers actions in order: this one and every older one are answered.
    const qsizetype index = inFlight.indexOf(actionId);
    if (index < 0)
        return false;
    const QStringList done = inFlight.mid(0, index + 1);
    inFlight.remove(0, index + 1);
    for (auto it = editsInFlight.begin(); it != editsInFlight.end();) {
        if (done.contains(it.value()))
            it = editsInFlight.erase(it);
        else
            ++it;
    }
    for (const PendingChange &p : std::as_const(pending)) {
        if (done.contains(p.actionId)) {
            // Answered, yet not all of it came back: stop predicting.
            qCDebug(lcClient) << "action" << p.actionId << "was not echoed in full; resetting";
            takeOff();
            dropUnconfirmed();
            putOn();
            notify([this] { emit q->rolledBack(); });
            break;
        }
    }
    return true;
}

void ClientPrivate::onUpdate(const QJsonObject &args)
{
    const QString actionId = args.value(QLatin1String("action_id")).toString();
    const QJsonArray changes = args.value(QLatin1String("changes")).toArray();
    bool dropped = false;
    for (const QJsonValue &v : changes) {
        Change c;
        try {
            c = client::decodeChange(v.toObject());
        } catch (const Error &e) {
            qCWarning(lcClient).noquote() << "update from the host:" << e.message();
            const QString why = e.message();
            notify([this, why] { emit q->errorOccurred(why); });
            takeOff();
            dropUnconfirmed();
            dropped = true;
            continue;
        }
        if (!pending.isEmpty() && matchesFirst(c, actionId)) {
            const PendingChange p = pending.takeFirst();
            if (p.before && !localOff) {
                if (c.type == ChangeType::Emit) {
                    const QString name = c.topicName;
                    const QJsonObject eventArgs = c.value.toObject();
                    notify([this, name, eventArgs] { emit q->eventReceived(name, eventArgs); });
                }
            } else {
                // Not on the mirror at the moment: the host's version goes below the rest.
                takeOff();
                applyFromHost(c);
            }
            continue;
        }
        if (isOwnChange(c)) {
            // One of ours, but not as predicted.
            takeOff();
            dropUnconfirmed();
            dropped = true;
        }
        hostChange(c);
    }
    putOn();
    if (dropped)
        notify([this] { emit q->rolledBack(); });
    if (settle(actionId))
        notify([this, actionId] { emit q->actionConfirmed(actionId); });
    flushHeld();
}

void ClientPrivate::onReject(const QJsonObject &args)
{
    QString id = args.value(QLatin1String("action_id")).toString();
    takeOff();
    if (id.isEmpty()) {
        // The original host does not say which action it refused: the oldest unanswered one,
        // but everything is dropped to be safe.
        id = inFlight.value(0);
        dropUnconfirmed();
    } else {
        dropAction(id);
    }
    putOn();
    settle(id);
    const QString reason = args.value(QLatin1String("reason")).toString();
    qCDebug(lcClient) << "action" << id << "rejected:" << reason;
    notify([this] { emit q->rolledBack(); });
    notify([this, id, reason] { emit q->actionRejected(id, reason); });
    flushHeld();
}

} // namespace objectsync
