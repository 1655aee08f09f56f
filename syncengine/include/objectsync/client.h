// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/change.h>
#include <objectsync/error.h>
#include <objectsync/result.h>

#include <QFuture>
#include <QJsonObject>
#include <QObject>
#include <QSslConfiguration>
#include <QStringList>
#include <QUrl>
#include <functional>
#include <memory>
#include <optional>

namespace objectsync {

class ClientPrivate;

/*! A topic as announced by the host's topic list. */
struct OBJECTSYNC_EXPORT TopicInfo
{
    TopicType type = TopicType::Generic;
    bool stateful = true;
    bool orderStrict = true;
    QJsonValue boundaryValue; //!< the value the topic started with
};

/*!
 * How a Client reconnects by itself when its connection drops or cannot be made
 * (Client::setReconnectPolicy()). A default-constructed policy is off: the client stops, as
 * it always did, and the application calls open() again.
 *
 * The wait before attempt n (counted from 1, reset by every successful connection) is
 * min(maxDelayMs, initialDelayMs * factor^(n-1)), of which the fraction \c jitter is random:
 * with the default 0.5 it lies between half and all of that value. The randomness keeps many
 * clients of a restarted host from coming back all at the same moment.
 */
struct OBJECTSYNC_EXPORT ReconnectPolicy
{
    bool enabled = false;     //!< reconnect at all
    int initialDelayMs = 500; //!< the wait before the first attempt
    int maxDelayMs = 15000;   //!< no wait is longer than this
    double factor = 2.0;      //!< growth of the wait per failed attempt (at least 1)
    double jitter = 0.5;      //!< random fraction of each wait, from 0 (none) to 1
    int maxAttempts = -1;     //!< failed attempts in a row before giving up; negative: never
};

/*!
 * A C++ client of an ObjectSync host: one WebSocket speaking the ObjectSync protocol.
 *
 * The client keeps a mirror of the topics it subscribes to. Its own changes are applied to
 * the mirror at once (optimistically) and sent as one action; they are confirmed when the
 * host's update carries them back in the same order. Changes the host committed first are
 * applied below the unconfirmed ones, which stay on top (string edits moved over them the
 * way the host will move them). A refused action is taken back. Whenever the host does
 * something the client did not predict, every unconfirmed change is taken back and the
 * host's updates bring the truth, so the mirror always ends up equal to the host's state.
 *
 * A string edit made while an earlier edit of the same topic is unanswered is held back
 * (shown on the mirror, not sent) until that answer arrives: the host reads an edit against
 * the text version it names, which must be a version the host committed as the client saw it.
 *
 * \code
 * Client client;
 * client.setFollow(Client::Follow::Everything);
 * client.open(QUrl("ws://127.0.0.1:8765"));
 * // once connected() was emitted and the topic has arrived (topicChanged):
 * const Result<QString> sent = client.set("a/0_1/text", "hello");
 * if (!sent)
 *     qWarning() << sent.error().message();    // nothing was applied, nothing sent
 * {
 *     auto action = client.action();          // both changes form one action
 *     if (client.insertText("a/0_1/text", 5, " world") && client.add("a/0_1/count", 1)) {
 *         if (const Result<QString> id = action.commit(); !id)
 *             qWarning() << id.errorMessage();
 *     } else {
 *         action.rollback();                    // a failed change took back only itself
 *     }
 * }
 * client.request("undo", {{"id", "0_1"}}).then([](const Result<QJsonValue> &response) {
 *     if (!response)
 *         qWarning() << response.error().message(); // Refused: the host's reason; Io
 * });
 * \endcode
 *
 * Errors follow the one style of the API (result.h): nothing of the client throws. A change
 * method returns a Result<QString>: the action id, or the Error saying why the change was not
 * made; the mirror and the host are then left as they were. Its codes:
 * - ErrorCode::Io: the client is not connected (also while Reconnecting);
 * - ErrorCode::NotFound: the topic is not in the host's topic list, or an edit of a string or
 *   a deleteText() needs the topic's value and the client is not subscribed to it;
 * - ErrorCode::InvalidArgument: the change does not fit the topic's type or mirrored value (a
 *   string for an int topic, a duplicate set item, a position out of range, a key that exists);
 * - ErrorCode::PermissionDenied: a change of the topic list, which only the host changes.
 *
 * The client does not know which topics are read-only for it, and it does not check versions:
 * the host refuses such a change later, and the client reports it with actionRejected() and
 * takes it back (see there). Service calls return a Result<QJsonValue> the same way (see
 * request()). Everything runs on the thread that owns the client.
 *
 * With a ReconnectPolicy the client comes back by itself after its connection drops (or when
 * open() cannot reach the host), waiting longer after each failed attempt:
 * \code
 * client.setReconnectPolicy({.enabled = true, .maxDelayMs = 10000});
 * \endcode
 * While the connection is gone the state is Reconnecting: the mirror keeps the host's values
 * as last received, and changes and requests fail as when disconnected. The changes the host
 * had not confirmed when the connection dropped are taken back and reported (rolledBack(),
 * then actionRejected() for each of their actions); they are never sent again, and neither is
 * anything the host confirmed. The host may still have applied an action whose confirmation
 * was lost with the connection: the mirror shows what the host holds once reconnected. On
 * the new connection the host gives a new client id (new object ids use it), the client
 * subscribes again to every topic it had (and, with its Follow mode, to the new ones), and
 * the host's values replace the mirrored ones: topicChanged() for each value that differs,
 * topicAdded() and topicRemoved() for topics that came or went meanwhile (objects created or
 * destroyed). Then reconnected() says the mirror holds the host's state again. close() stops
 * reconnecting.
 */
class OBJECTSYNC_EXPORT Client : public QObject
{
    Q_OBJECT
public:
    enum class State : quint8 {
        Disconnected, //!< no connection
        Connecting,   //!< the socket is opening or the hello has not arrived yet
        Connected,    //!< the hello has arrived: clientId() is known
        /*! The connection dropped or could not be made and the client waits to try again
         *  (only with a ReconnectPolicy; see reconnecting()). */
        Reconnecting
    };
    Q_ENUM(State)

    /*! Which topics the client subscribes to by itself as they appear in the topic list. */
    enum class Follow : quint8 {
        Nothing,    //!< only the topic list; subscribe() the rest
        ObjectTree, //!< also `_objects` and every `parent_id/<id>`
        Everything  //!< every topic
    };
    Q_ENUM(Follow)

    explicit Client(QObject *parent = nullptr);
    ~Client() override;

    // ---- connection ---------------------------------------------------------------------

    /*! Connects to \a url (for example ws://127.0.0.1:8765). Closes any previous connection.
     *  A host with an access policy may take a token in the URL (ws://host:8765/?token=...),
     *  or in the first message: see setToken(). */
    void open(const QUrl &url);
    /*! Sends \a token in the client's first message (`hello {"token": ...}`) on every
     *  connection opened from now on, for hosts whose access policy asks for one. Unlike a
     *  token in the URL, it does not end up in logs of the request. Empty: send none. */
    void setToken(const QString &token);
    QString token() const;
    /*! The TLS settings of wss:// connections opened from now on, for example a host's own
     *  certificate to trust (QSslConfiguration::setCaCertificates()). By default the system's
     *  trusted certificates are used and the host's certificate must be valid for its name. */
    void setSslConfiguration(const QSslConfiguration &configuration);
    /*! Closes the connection and stops reconnecting. Unconfirmed changes are rolled back, open
     *  requests fail. */
    void close();
    State state() const;
    /*! The id the host gave this client in the hello of its connection; 0 before it and while
     *  reconnecting (the host gives another one on the next connection). */
    int clientId() const;
    /*! Whether and how the client reconnects by itself; takes effect from the next wait. Off by
     *  default. Turning it off while reconnecting stops at once (state Disconnected). */
    void setReconnectPolicy(const ReconnectPolicy &policy);
    ReconnectPolicy reconnectPolicy() const;
    /*! Subscribes to topics by themselves; takes effect for topics announced from now on
     *  and, when connected, for the topics already known. */
    void setFollow(Follow follow);
    Follow follow() const;

    // ---- topics and the mirror ----------------------------------------------------------

    /*! Starts receiving \a topicName. Its value arrives later (topicChanged()). */
    void subscribe(const QString &topicName);
    /*! Stops receiving \a topicName and forgets its value. */
    void unsubscribe(const QString &topicName);
    bool isSubscribed(const QString &topicName) const;
    /*! True once the topic's value has arrived. */
    bool hasValue(const QString &topicName) const;
    /*! The mirrored value (undefined when it has not arrived). */
    QJsonValue value(const QString &topicName) const;
    /*! The version of a mirrored string topic. */
    QString version(const QString &topicName) const;
    /*! Every topic of the host's topic list. */
    QStringList topicNames() const;
    std::optional<TopicInfo> topicInfo(const QString &topicName) const;
    /*! Every mirrored value by topic name (events excluded). */
    QJsonObject snapshot() const;

    // ---- the object tree ----------------------------------------------------------------

    /*! Ids of the objects in `_objects` (subscribe to it, or follow the object tree). */
    QStringList objectIds() const;
    /*! The frontend type of an object; empty when unknown. */
    QString frontendType(const QString &objectId) const;
    /*! The parent of an object (from `parent_id/<id>`); empty for the root or when unknown. */
    QString parentId(const QString &objectId) const;
    /*! The children of an object, sorted by id. */
    QStringList childIds(const QString &objectId) const;
    /*! The tree as {id: {"type": frontend type, "parent": parent id}}, to compare with. */
    QJsonObject objectTree() const;

    // ---- changes ------------------------------------------------------------------------

    /*!
     * Groups the changes made during its life into one action, sent when the outermost
     * scope commits. If the scope ends by an exception or rollback(), the changes it made
     * are taken back from the mirror and nothing is sent. A change that fails inside the
     * scope takes back only itself and the scope goes on: check each Result and call
     * rollback() to drop the rest.
     */
    class OBJECTSYNC_EXPORT Action
    {
    public:
        Action(Action &&other) noexcept;
        Action(const Action &) = delete;
        Action &operator=(const Action &) = delete;
        Action &operator=(Action &&) = delete;
        ~Action();
        /*!
         * Sends the action (outermost scope) and returns its id; empty when the action was
         * empty or the scope was already done. An inner scope returns the id the action will
         * have. Fails with ErrorCode::Refused when an inner scope of the action was rolled
         * back (nothing is sent, every change of it is taken back), and with ErrorCode::Io
         * when the connection dropped while the scope was open (actionRejected() reports the
         * action too).
         */
        Result<QString> commit();
        void rollback();

    private:
        friend class Client;
        explicit Action(Client *client);
        Client *m_client;
        int m_uncaught;
        bool m_done = false;
    };
    [[nodiscard]] Action action();

    /*!
     * Applies \a commands to the mirror and sends them as one action. Empty ids, string
     * versions and topic types are filled in. Returns the action id (or, inside an Action
     * scope, the id the action will have), or the Error of the first command that cannot
     * apply; then none of \a commands is applied or sent (codes: see the class).
     *
     * The methods below make one change each and return the same.
     */
    Result<QString> submit(QList<Change> commands);

    Result<QString> set(const QString &topicName, const QJsonValue &value);
    /*! Adds \a amount to an int or float topic. */
    Result<QString> add(const QString &topicName, double amount);
    Result<QString> insertText(const QString &topicName, qint64 position, const QString &text);
    /*! Deletes \a length characters of a string topic at \a position. */
    Result<QString> deleteText(const QString &topicName, qint64 position, qint64 length);
    /*! Appends to a set topic. */
    Result<QString> append(const QString &topicName, const QJsonValue &item);
    /*! Removes an item from a set topic. */
    Result<QString> remove(const QString &topicName, const QJsonValue &item);
    /*! Inserts into a list topic; -1 appends. */
    Result<QString> insertItem(const QString &topicName, qint64 position, const QJsonValue &item);
    /*! Removes the item at \a position of a list topic; -1 is the last. */
    Result<QString> popItem(const QString &topicName, qint64 position = -1);
    Result<QString> addKey(const QString &topicName, const QString &key, const QJsonValue &value);
    Result<QString> popKey(const QString &topicName, const QString &key);
    Result<QString> changeValue(const QString &topicName, const QString &key,
                                const QJsonValue &value);
    Result<QString> emitEvent(const QString &topicName, const QJsonObject &args = {});

    /*! A fresh object id, "<client id>_<n>"; ErrorCode::Io while the client has no client id
     *  (before the first hello, and while reconnecting). */
    Result<QString> newObjectId();
    /*! Asks the host to create an object of the registered \a typeName (a `create_object`
     *  event). Returns the new object's id (not the action's). */
    Result<QString> createObject(const QString &typeName,
                                 const QString &parentId = QStringLiteral("root"),
                                 const QJsonObject &buildArgs = {});
    /*! Asks the host to destroy an object and its subtree (a `destroy_object` event). */
    Result<QString> destroyObject(const QString &objectId);

    /*! Number of this client's changes not yet confirmed by the host (sent or held back). */
    qsizetype pendingCount() const;

    // ---- services -----------------------------------------------------------------------

    /*!
     * Calls a host service. The future finishes with exactly one result and is never canceled
     * and never holds an exception: the host's response, or an Error:
     * ErrorCode::Refused with the host's reason when the host answered with an error (an
     * unknown service, a refused or failing one), ErrorCode::Io when the client is not
     * connected (the future is finished at once) or the connection closed before the answer.
     */
    QFuture<Result<QJsonValue>> request(const QString &serviceName, const QJsonObject &args = {});
    /*! Receives the result of a request, as the future of request() holds it. */
    using ResponseHandler = std::function<void(const Result<QJsonValue> &response)>;
    /*! Calls a host service; \a onResponse runs exactly once, with the same result the future
     *  would hold (also when the connection closes first, or at once when not connected). */
    void request(const QString &serviceName, const QJsonObject &args, ResponseHandler onResponse);
    /*! Asks the host to undo the latest change recorded for \a objectId (all when empty); the
     *  host's reason, such as "nothing to undo", comes as an ErrorCode::Refused. */
    QFuture<Result<QJsonValue>> undo(const QString &objectId = {});
    QFuture<Result<QJsonValue>> redo(const QString &objectId = {});

    /*! Serves requests the host sends to this client. The handler returns the response;
     *  if it throws, the response is null. */
    void registerService(const QString &serviceName,
                         std::function<QJsonValue(const QJsonObject &args)> handler);
    void unregisterService(const QString &serviceName);

signals:
    void stateChanged(objectsync::Client::State state);
    /*! The hello has arrived (on every connection, reconnections included). */
    void connected(int clientId);
    /*! The client stopped: close(), or a connection that dropped or failed without a
     *  ReconnectPolicy, or after its last attempt. Not emitted when the client goes on to
     *  reconnect. */
    void disconnected();
    /*! The connection failed or a message from the host made no sense. */
    void errorOccurred(const QString &message);
    /*! The connection dropped or could not be made: attempt number \a attempt (from 1) starts
     *  in \a delayMs milliseconds. */
    void reconnecting(int attempt, int delayMs);
    /*! Connected again after a lost connection, with the new \a clientId; emitted after
     *  connected(), once the topic list and the values of every topic subscribed again have
     *  arrived: the mirror holds the host's state. */
    void reconnected(int clientId);

    /*! A topic was added to or removed from the host's topic list. */
    void topicAdded(const QString &topicName);
    void topicRemoved(const QString &topicName);
    /*! The mirrored value of a topic may have changed: first value, local change, host
     *  change, or changes taken back. */
    void topicChanged(const QString &topicName);
    /*! A change committed by the host was applied to the mirror (own confirmed changes are
     *  not applied again and are not reported here). */
    void changeReceived(const objectsync::Change &change);
    /*! An event was emitted on the host (own emits too, once confirmed). */
    void eventReceived(const QString &topicName, const QJsonObject &args);

    /*! The host's update for one of this client's actions arrived. */
    void actionConfirmed(const QString &actionId);
    /*! An action was refused, by the host or, for an action still held back, because it no
     *  longer applies after the host's changes, or the connection dropped before the host
     *  confirmed it (with a ReconnectPolicy); its changes have been taken back. */
    void actionRejected(const QString &actionId, const QString &reason);
    /*! Unconfirmed changes were taken back from the mirror (a refused action, something the
     *  host did that the client did not predict, or a lost connection with a
     *  ReconnectPolicy; the host's changes follow). */
    void rolledBack();

private:
    friend class ClientPrivate;
    std::unique_ptr<ClientPrivate> d;
};

} // namespace objectsync
