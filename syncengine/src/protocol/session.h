// SPDX-License-Identifier: MIT
#pragma once

#include "sessionlimits.h"
#include "subscriber.h"

#include <objectsync/access.h>
#include <objectsync/global.h>
#include <objectsync/result.h>

#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <functional>
#include <memory>
#include <optional>

namespace objectsync {
class Engine;
}

namespace objectsync::protocol {

class Hub;

/*! Receives the answer to a host-to-client request: the response, or an error text. */
using ResponseHandler = std::function<void(const QJsonValue &response, const QString &error)>;

/*!
 * The protocol state of one client connection, with no I/O: it is fed the client's messages
 * and says what to send back and when to close. The transport moves the bytes.
 *
 * - On creation it queues `hello {id}`.
 * - `subscribe` / `unsubscribe` keep the subscriptions; a subscribe is answered with `init`.
 * - `subscribe_many` (the batched join, announced in the hello unless
 *   SessionLimits::batchedJoin is off) subscribes to listed topics and to every topic whose
 *   name starts with a listed prefix, and is answered with bounded `init_many` messages.
 * - `action`: its commands are applied as ONE all-or-nothing transition with the client as
 *   origin and its action id. The `update` reaches subscribers through the Hub; a refused
 *   action gets `reject {reason, action_id}` to this client only.
 * - `request`: every request gets a `response` (with an `error` field when it failed). The
 *   services `undo` and `redo` take the object as `id` or `target` (default: the root).
 * - request(): the host asks the client; its `response` reaches the handler.
 * - Limits (size, nesting, rate) are checked before parsing; going past one yields a close
 *   instruction (closeRequested(), closeInstruction()).
 *
 * Other malformed input is counted (errorCount(), lastError()) and changes nothing. A client
 * that sent `hello {"version": 1}` (or higher) also gets `error {reason, message_type}` for
 * it; version-0 clients never see the `error` message type.
 *
 * Access (optional): setAccessPolicy() makes the policy check every command of an action
 * (AccessPolicy::mayWrite()) and every request (mayCall()); awaitToken() holds the session
 * until the client's first message, `hello {"token": "..."}`, is accepted.
 */
class Session : public QObject, public Subscriber
{
    Q_OBJECT
public:
    /*! A monotonic clock in milliseconds (replaceable for tests). */
    using Clock = std::function<qint64()>;

    Session(Hub *hub, int clientId, const SessionLimits &limits = {}, QObject *parent = nullptr);
    ~Session() override;

    int clientId() const override { return m_clientId; }
    Hub *hub() const { return m_hub; }
    Engine *engine() const;
    const SessionLimits &limits() const { return m_limits; }
    void setClock(Clock clock);

    // ---- inbound ------------------------------------------------------------------------
    /*! One text message as received (UTF-8). */
    void receiveText(QByteArrayView utf8);
    /*! A binary message: not part of the protocol; the session asks to close. */
    void receiveBinary(qint64 size);

    // ---- outbound -----------------------------------------------------------------------
    bool hasOutgoing() const { return !m_outbox.isEmpty(); }
    /*!
     * Takes the queued messages, oldest first, that reflect no transition after
     * \a upToSequence (Transition::sequence): each message is tagged with the last
     * transition committed when it was queued. Messages after the first one that must wait
     * stay queued too, so the order never changes. With the default, everything is taken.
     * A host with a journal passes the durable sequence, so that nothing leaves before the
     * state it shows is on disk.
     */
    QList<QByteArray> takeOutgoing(quint64 upToSequence = ~quint64(0));

    /*! Sends `request` to the client. \a onResponse runs once: with the response, or with an
     *  error when the client goes away first. Returns the request id (empty if refused). */
    QString request(const QString &serviceName, const QJsonObject &args,
                    ResponseHandler onResponse);
    qsizetype pendingRequestCount() const { return m_pending.size(); }

    // ---- state --------------------------------------------------------------------------
    const QSet<QString> &subscriptions() const { return m_subscriptions; }
    bool isSubscribed(const QString &topicName) const override
    {
        return m_subscriptions.contains(topicName);
    }
    bool dropSubscription(const QString &topicName) override;
    void deliver(const QByteArray &frame) override { enqueue(frame); }
    /*! The protocol version the client announced (0 unless it sent `hello`). */
    int protocolVersion() const { return m_protocolVersion; }
    /*! Asks for the connection to close: nothing more is queued or handled. */
    void close(quint16 code, const QString &reason);
    bool isClosed() const override { return m_close.has_value(); }
    std::optional<CloseInstruction> closeInstruction() const { return m_close; }
    qint64 errorCount() const { return m_errorCount; }
    QString lastError() const { return m_lastError; }

    // ---- access -------------------------------------------------------------------------
    /*! Lets \a policy refuse this client's writes and calls, the client being \a identity
     *  (AccessDecision::identity). Without a policy only the host's own rules apply. */
    void setAccessPolicy(std::shared_ptr<AccessPolicy> policy, const QString &identity = {});
    /*! The room the client is in (AccessClient::room); empty without rooms. */
    void setRoom(const QString &room) { m_room = room; }
    QString room() const { return m_room; }
    /*!
     * Holds the session until the client authenticates; call right after construction. The
     * hello is not sent and nothing is handled until the client's first message, which must
     * be `hello {"token": "..."}` (it may carry `version` too). \a policy decides with
     * \a request and that token (AccessPolicy::authenticate()): when it allows the client,
     * the identity is kept, the hello is sent and authenticated() is emitted; anything else
     * closes with 1008 "authentication failed".
     */
    void awaitToken(std::shared_ptr<AccessPolicy> policy, const ConnectionRequest &request);
    /*! False while the session waits for the client's token. */
    bool isAuthenticated() const { return !m_awaitedRequest.has_value(); }
    QString identity() const { return m_identity; }

signals:
    /*! The outgoing queue went from empty to non-empty. */
    void outgoingReady();
    /*! close() was called (by a limit or by the host); see closeInstruction(). */
    void closeRequested();
    void subscriptionsChanged();
    /*! The client's token was accepted (see awaitToken()). */
    void authenticated();

private:
    qint64 now() const;
    bool takeToken();
    bool checkLimits(QByteArrayView utf8);
    void dispatch(const QJsonObject &message);
    void authenticate(const QJsonObject &message);
    Result<void> refuseWrite(const Change &change) const;
    Result<void> refuseCall(const QString &serviceName, const QJsonObject &args) const;
    void enqueue(const QByteArray &frame);
    void protocolError(const QString &reason, const QString &messageType);
    void rejectAction(const QString &reason, const QString &actionId);
    void failPending(const QString &error);

    void onHello(const QJsonObject &args);
    void onSubscribe(const QJsonObject &args);
    void onSubscribeMany(const QJsonObject &args);
    void onUnsubscribe(const QJsonObject &args);
    void onAction(const QJsonObject &args);
    void onRequest(const QJsonObject &args);
    void onResponse(const QJsonObject &args);
    Result<void> runUndoRedo(bool undo, const QJsonObject &args);

    QPointer<Hub> m_hub;
    QPointer<Engine> m_engine;
    int m_clientId;
    SessionLimits m_limits;
    Clock m_clock;
    QElapsedTimer m_elapsed;
    double m_tokens = 0;
    qint64 m_lastRefill = 0;
    int m_protocolVersion = 0;
    QSet<QString> m_subscriptions;
    QList<QByteArray> m_outbox;
    QList<quint64> m_outboxSequence; //!< for each queued message, Hub::lastSequence() then
    QHash<QString, ResponseHandler> m_pending;
    quint64 m_requestCounter = 0;
    std::optional<CloseInstruction> m_close;
    std::shared_ptr<AccessPolicy> m_policy;
    QString m_identity;
    QString m_room;
    std::optional<ConnectionRequest> m_awaitedRequest; //!< set while waiting for the token
    qint64 m_errorCount = 0;
    QString m_lastError;
};

} // namespace objectsync::protocol
