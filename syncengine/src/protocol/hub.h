// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/change.h>
#include <objectsync/transition.h>

#include <QHash>
#include <QObject>
#include <QPointer>

namespace objectsync {
class Engine;
}

namespace objectsync::protocol {

class Subscriber;

/*!
 * Broadcasts committed transitions to the sessions of one engine.
 *
 * For each Engine::transitionCommitted() it encodes every change ONCE, then gives each
 * session an `update {changes, action_id}` holding the changes to the topics it subscribes
 * to, in commit order. Sessions whose filter selects the same changes share one frame (the
 * same QByteArray data). The action id is the client's for its actions and "" for
 * transitions made by the host, including undo and redo.
 *
 * Changes to topics that are not order-strict are held back and merged (see mergeChanges())
 * until flush(), which sends them with the action id "clock". The hub has no timer:
 * flushNeeded() tells its owner that something waits, and the owner calls flush() (the
 * server does so after its flush interval).
 *
 * Reversed emits (the undo of an emit) stay internal and are not sent. When a topic is
 * removed, every session stops subscribing to it (a client subscribes again when the topic
 * comes back, and gets a fresh init).
 */
class Hub : public QObject
{
    Q_OBJECT
public:
    explicit Hub(Engine *engine, QObject *parent = nullptr);
    ~Hub() override;

    /*! The engine's shared hub, created on first use as a child of the engine. */
    static Hub *forEngine(Engine *engine);

    Engine *engine() const;
    /*! A client id that is new for this engine's hub: 1, 2, 3, ... */
    int allocateClientId() { return ++m_lastClientId; }
    /*! The id the next client gets. */
    int nextClientId() const { return m_lastClientId + 1; }
    /*! Makes the next client id at least \a id (ids never go down). */
    void setNextClientId(int id) { m_lastClientId = qMax(m_lastClientId, id - 1); }

    /*! Starts broadcasting to \a subscriber (a session does so when it is made). */
    void attach(Subscriber *subscriber);
    /*! Stops broadcasting to \a subscriber; call before it is destroyed. */
    void detach(Subscriber *subscriber);
    qsizetype subscriberCount() const { return m_subscribers.size(); }
    /*! The subscriber of client \a clientId, or null. */
    Subscriber *subscriber(int clientId) const;

    /*! When false, changes to topics that are not order-strict are sent at once. */
    void setMergingEnabled(bool enabled);
    bool isMergingEnabled() const { return m_merging; }
    bool hasPendingMerge() const { return !m_pending.isEmpty(); }
    /*! Sends the held-back changes, merged, with the action id "clock". */
    void flush();

    /*! The sequence of the last transition committed (0 before the first one seen). */
    quint64 lastSequence() const { return m_lastSequence; }

    /*! How many transitions were broadcast and how many frames were built (for benchmarks). */
    quint64 transitionCount() const { return m_transitionCount; }
    quint64 frameCount() const { return m_frameCount; }
    /*! Client actions committed and refused, and `update` messages queued for sessions. */
    quint64 actionsCommitted() const { return m_actionsCommitted; }
    quint64 actionsRejected() const { return m_actionsRejected; }
    quint64 updatesSent() const { return m_updatesSent; }
    /*! Counts one client action: committed or refused. */
    void countAction(bool committed) { ++(committed ? m_actionsCommitted : m_actionsRejected); }

signals:
    /*! Changes are being held back; call flush() after the flush interval. */
    void flushNeeded();

private:
    struct Outgoing
    {
        QString topicName;
        QString removedTopic; //!< set for a topic list pop: the topic that went away
        QByteArray json;
    };
    struct Held
    {
        QString topicName;
        QList<Change> changes; //!< with their wire ids
    };

    void onTransitionCommitted(const TransitionPtr &transition);
    void deliver(const QList<Outgoing> &changes, QStringView actionId);
    void hold(Change change);
    void forget(const QString &topicName);

    QPointer<Engine> m_engine;
    QList<Subscriber *> m_subscribers;
    QList<Held> m_pending;
    QHash<QString, qsizetype> m_pendingIndex; //!< topic name -> index in m_pending
    int m_lastClientId = 0;
    quint64 m_lastSequence = 0;
    bool m_merging = true;
    quint64 m_transitionCount = 0;
    quint64 m_frameCount = 0;
    quint64 m_actionsCommitted = 0;
    quint64 m_actionsRejected = 0;
    quint64 m_updatesSent = 0;
};

} // namespace objectsync::protocol
