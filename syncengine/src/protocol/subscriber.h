// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QString>

namespace objectsync::protocol {

/*!
 * What the Hub needs of a connection to broadcast to it: which topics it subscribes to, and a
 * place to put the frames meant for it. Session implements it; the hub knows nothing else of
 * a session.
 */
class Subscriber
{
public:
    virtual int clientId() const = 0;
    /*! True once the connection is closing: it gets nothing more. */
    virtual bool isClosed() const = 0;
    virtual bool isSubscribed(const QString &topicName) const = 0;
    /*! \a topicName is gone from the engine: the subscription ends (the client subscribes
     *  again when it comes back). True when it was subscribed. */
    virtual bool dropSubscription(const QString &topicName) = 0;
    /*! Queues \a frame, an `update` the hub built once for every subscriber that selects the
     *  same changes (the same shared data). */
    virtual void deliver(const QByteArray &frame) = 0;

protected:
    ~Subscriber() = default;
};

} // namespace objectsync::protocol
