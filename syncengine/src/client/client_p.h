// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/client.h>

#include "mirrortopic.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QLoggingCategory>
#include <QPromise>
#include <QSet>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>
#include <functional>
#include <optional>

namespace objectsync {

Q_DECLARE_LOGGING_CATEGORY(lcClient)

/*! A change of this client that the host has not confirmed yet. */
struct PendingChange
{
    QString actionId;
    Change command; //!< as sent: what the host applies
    /*! As applied to the mirror now. String edits are moved over the host's changes that
     *  come first, as the host will move them; other changes are applied again as sent. */
    Change change;
    /*! The topic before the change; empty while the change is not on the mirror (taken off,
     *  or the topic's value is not there). */
    std::optional<client::MirrorTopic> before;
    /*! The host echoes it (the topic is subscribed): it waits for its confirmation. */
    bool tracked = true;
};

/*!
 * An action held back because it edits a string topic on which an earlier edit of this
 * client is still unanswered: the host reads an edit against the version it names, so that
 * version must be one the host committed as this client saw it.
 */
struct HeldAction
{
    QString actionId;
    QList<PendingChange> changes; //!< command is kept up to date; sent as they are
};

/*! A request this client sent and waits to be answered. */
struct OpenRequest
{
    std::shared_ptr<QPromise<Result<QJsonValue>>> promise;
    Client::ResponseHandler callback;
};

class ClientPrivate
{
public:
    explicit ClientPrivate(Client *q);

    Client *q;
    QWebSocket *socket = nullptr;
    Client::State state = Client::State::Disconnected;
    Client::Follow follow = Client::Follow::Nothing;
    int clientId = 0;
    quint64 counter = 0;
    QString token;                        //!< sent in the first message when not empty
    std::optional<QSslConfiguration> ssl; //!< for wss:// connections, when set

    // Reconnecting (clientreconnect.cpp).
    QUrl url;                  //!< of the latest open(), for the attempts that follow
    ReconnectPolicy reconnect; //!< off unless the application asks
    QTimer retryTimer;         //!< the wait before the next attempt
    int attempt = 0;           //!< attempts since the latest hello
    bool hadSession = false;   //!< a hello arrived since open(): a new one is a reconnection
    /*! Where the client is in bringing its mirror back to the host's state after a
     *  reconnection: the topic list first, then the value of every topic subscribed again. */
    enum class Rejoin : quint8 { Idle, WaitingForList, WaitingForValues };
    Rejoin rejoin = Rejoin::Idle;
    QSet<QString> resubscribe; //!< topics subscribed when the connection dropped
    QSet<QString> awaiting;    //!< topics subscribed again whose value has not arrived yet

    // The batched join (clientjoin.cpp): offered by the host in its hello.
    bool batchedJoin = false;
    /*! The answer to a subscribe_many being received: kept until its last init_many. */
    struct JoinAnswer
    {
        bool hasList = false;
        QJsonObject list;         //!< the topic list, when it was asked for
        QList<QJsonArray> values; //!< [name, value(, version)]
        QStringList unknown;
    };
    JoinAnswer joinAnswer;

    // The topic list and the mirror.
    QHash<QString, TopicInfo> topics; //!< the host's topic list
    bool topicsKnown = false;         //!< the topic list's value has arrived
    QSet<QString> subscribed;         //!< topics the host sends us (as far as it knows)
    QSet<QString> wanted;             //!< explicit subscriptions, kept while a topic is gone
    QSet<QString> touched;            //!< topics whose value moved under local changes
    QHash<QString, client::MirrorTopic> mirror; //!< topics whose value has arrived

    // Optimistic changes: on the mirror, on top of the host's state, in this order.
    QList<PendingChange> pending;          //!< sent
    QList<HeldAction> held;                //!< not sent yet
    bool localOff = false;                 //!< both are taken off the mirror for a moment
    QStringList inFlight;                  //!< actions sent and not yet answered, oldest first
    QHash<QString, QString> editsInFlight; //!< string topic -> unanswered action editing it
    int actionDepth = 0;                   //!< open Action scopes
    QString actionId;                      //!< the id of the action being collected
    QList<PendingChange> actionChanges;    //!< its changes, applied to the mirror
    bool actionFailed = false;             //!< a scope of it was rolled back
    QList<QString> deferred;               //!< messages received while an Action scope was open

    // Services.
    QHash<QString, OpenRequest> requests;
    QHash<QString, std::function<QJsonValue(const QJsonObject &)>> services;

    // Signals wait until the message being handled is done, so that slots see a consistent
    // client and may call it.
    int busy = 0;
    QList<std::function<void()>> notifications;
    template<class F> void notify(F &&f)
    {
        if (busy > 0)
            notifications.append(std::forward<F>(f));
        else
            f();
    }
    void flushNotifications();
    struct Busy
    {
        explicit Busy(ClientPrivate *d) : d(d) { ++d->busy; }
        ~Busy()
        {
            if (--d->busy == 0)
                d->flushNotifications();
        }
        Busy(const Busy &) = delete;
        Busy &operator=(const Busy &) = delete;
        ClientPrivate *d;
    };

    // connection (client.cpp)
    void setState(Client::State s);
    void send(QLatin1String type, const QJsonObject &args);
    void onDisconnected();
    void reset();
    QString nextId();
    /*! Answers every open request with \a error; callbacks only when \a tell. */
    void failAll(const Error &error, bool tell = true);
    /*! Sends a request, or answers it at once with an error when not connected. */
    void sendRequest(const QString &serviceName, const QJsonObject &args, OpenRequest request);
    void openSocket();

    // reconnecting (clientreconnect.cpp)
    void connectionLost();
    void takeOffOpenAction();
    void abandonUnconfirmed();
    void scheduleRetry();
    void retry();
    void beginRejoin();
    void rejoinAfterList();
    void valueArrived(const QString &topicName);
    void checkRejoined();

    // incoming messages (clientmessages.cpp)
    void onMessage(const QString &text);
    void handle(const QString &type, const QJsonObject &args);
    void onHello(const QJsonObject &args);
    void onInit(const QJsonObject &args);
    void onUpdate(const QJsonObject &args);
    void onReject(const QJsonObject &args);
    void onRequest(const QJsonObject &args);
    void onResponse(const QJsonObject &args);

    // the batched join (clientjoin.cpp)
    void join();
    void sendSubscribeMany(const QStringList &names, const QStringList &prefixes);
    void onInitMany(const QJsonObject &args);
    void applyJoinAnswer(JoinAnswer answer);

    // topics (clientmessages.cpp)
    bool follows(const QString &topicName) const;
    void sendSubscribe(const QString &topicName);
    void setTopicList(const QJsonObject &value);
    void topicAdded(const QString &name, const QJsonValue &descriptor);
    void topicRemoved(const QString &name);
    bool applyFromHost(Change &change);
    void resync(const QString &topicName);

    // optimistic changes (clientchanges.cpp)
    void beginAction();
    Result<QString> endAction(bool commit);
    void prepare(Change &c);
    void applyLocal(const Change &c);

    // reconciliation (clientreconcile.cpp)
    bool isBlocked(const QList<PendingChange> &changes) const;
    void sendAction(const QString &id, const QList<PendingChange> &changes);
    void flushHeld();
    void takeOff();
    void putOn();
    bool reapply(PendingChange &p, bool held);
    void unapply(PendingChange &p);
    void rebaseOver(const Change &hostChange);
    void exclude(const Change &dropped, qsizetype pendingFrom, qsizetype heldFrom);
    void dropUnconfirmed();
    bool matchesFirst(const Change &c, const QString &actionId) const;
    bool isOwnChange(const Change &c) const;
    bool settle(const QString &actionId);
    void dropAll();
    void dropAction(const QString &actionId);
    void hostChange(Change &c);
    void notifyTouched();
};

} // namespace objectsync
