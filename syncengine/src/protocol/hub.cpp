// SPDX-License-Identifier: MIT
#include "hub.h"

#include "changecodec.h"
#include "changemerge.h"
#include "messages.h"
#include "subscriber.h"
#include "wire.h"

#include <objectsync/engine.h>
#include <objectsync/names.h>

#include <QVarLengthArray>

namespace objectsync::protocol {

Hub::Hub(Engine *engine, QObject *parent) : QObject(parent), m_engine(engine)
{
    Q_ASSERT(engine);
    connect(engine, &Engine::transitionCommitted, this, &Hub::onTransitionCommitted);
}

Hub::~Hub() = default;

Hub *Hub::forEngine(Engine *engine)
{
    if (auto *hub = engine->findChild<Hub *>(QString(), Qt::FindDirectChildrenOnly))
        return hub;
    return new Hub(engine, engine);
}

Engine *Hub::engine() const
{
    return m_engine;
}

Subscriber *Hub::subscriber(int clientId) const
{
    for (Subscriber *s : m_subscribers)
        if (s->clientId() == clientId)
            return s;
    return nullptr;
}

void Hub::attach(Subscriber *subscriber)
{
    m_subscribers.append(subscriber);
}

void Hub::detach(Subscriber *subscriber)
{
    m_subscribers.removeOne(subscriber);
}

void Hub::setMergingEnabled(bool enabled)
{
    if (!enabled)
        flush();
    m_merging = enabled;
}

void Hub::onTransitionCommitted(const TransitionPtr &transition)
{
    try {
        ++m_transitionCount;
        m_lastSequence = qMax(m_lastSequence, transition->sequence);
        if (m_subscribers.isEmpty())
            return; // a session that subscribes later gets the current values in its init
        const QList<Change> &changes = transition->changes;
        QList<Outgoing> now;
        now.reserve(changes.size());
        for (qsizetype i = 0; i < changes.size(); ++i) {
            const Change &c = changes.at(i);
            if (c.type == ChangeType::ReversedEmit)
                continue; // internal: version-0 clients do not know it
            const bool removal = c.type == ChangeType::Pop && c.topicName == names::topicList;
            if (removal)
                forget(c.key);
            const QString id = codec::wireId(c, transition->sequence, i);
            if (m_merging) {
                const Topic *topic = m_engine ? m_engine->topic(c.topicName) : nullptr;
                if (topic && !topic->isOrderStrict()) {
                    Change held = c;
                    held.id = id;
                    hold(std::move(held));
                    continue;
                }
            }
            now.append({c.topicName, removal ? c.key : QString(), codec::encode(c, id)});
        }
        // Undo and redo are made by the host, whoever asked for them.
        if (!now.isEmpty())
            deliver(now,
                    transition->kind == TransitionKind::Forward ? transition->actionId : QString());
    } catch (const std::exception &e) {
        qCCritical(lcProtocol) << "broadcasting transition" << transition->sequence
                               << "failed:" << e.what();
    } catch (...) {
        qCCritical(lcProtocol) << "broadcasting transition" << transition->sequence << "failed";
    }
}

void Hub::deliver(const QList<Outgoing> &changes, QStringView actionId)
{
    QList<QByteArray> pieces;
    pieces.reserve(changes.size());
    for (const Outgoing &o : changes)
        pieces.append(o.json);

    QHash<QByteArray, QByteArray> frames; // selected change indices -> the frame built for them
    QVarLengthArray<qint32, 64> picked;
    QVarLengthArray<qint32, 64> lastPicked; // most sessions select what the previous one did
    QByteArray lastFrame;
    const QList<Subscriber *> subscribers = m_subscribers; // one may detach while we deliver
    for (Subscriber *s : subscribers) {
        if (s->isClosed())
            continue;
        picked.clear();
        for (qsizetype i = 0; i < changes.size(); ++i) {
            const Outgoing &o = changes.at(i);
            if (s->isSubscribed(o.topicName))
                picked.append(qint32(i));
            if (!o.removedTopic.isEmpty())
                s->dropSubscription(o.removedTopic);
        }
        if (!picked.isEmpty()) {
            if (lastFrame.isNull() || picked != lastPicked) {
                const QByteArray key(reinterpret_cast<const char *>(picked.constData()),
                                     picked.size() * qsizetype(sizeof(qint32)));
                auto it = frames.find(key);
                if (it == frames.end()) {
                    it = frames.insert(
                        key, messages::update(pieces, picked.constData(), picked.size(), actionId));
                    ++m_frameCount;
                }
                lastPicked = picked;
                lastFrame = it.value();
            }
            s->deliver(lastFrame);
            ++m_updatesSent;
        }
    }
}

void Hub::hold(Change change)
{
    const bool wasEmpty = m_pending.isEmpty();
    const auto it = m_pendingIndex.constFind(change.topicName);
    if (it == m_pendingIndex.cend()) {
        m_pendingIndex.insert(change.topicName, m_pending.size());
        const QString name = change.topicName;
        m_pending.append({name, {std::move(change)}});
    } else {
        Held &held = m_pending[it.value()];
        if (held.changes.isEmpty() || !mergeInto(held.changes.last(), change))
            held.changes.append(std::move(change));
    }
    if (wasEmpty)
        emit flushNeeded();
}

void Hub::forget(const QString &topicName)
{
    const auto it = m_pendingIndex.constFind(topicName);
    if (it == m_pendingIndex.cend())
        return;
    m_pending.removeAt(it.value());
    m_pendingIndex.clear();
    for (qsizetype i = 0; i < m_pending.size(); ++i)
        m_pendingIndex.insert(m_pending.at(i).topicName, i);
}

void Hub::flush()
{
    if (m_pending.isEmpty())
        return;
    const QList<Held> held = std::exchange(m_pending, {});
    m_pendingIndex.clear();
    QList<Outgoing> out;
    for (const Held &h : held)
        for (const Change &c : h.changes)
            out.append({c.topicName, QString(), codec::encode(c, c.id)});
    try {
        deliver(out, QString(wire::clockActionId));
    } catch (...) {
        qCCritical(lcProtocol) << "sending merged changes failed";
    }
}

} // namespace objectsync::protocol
