// SPDX-License-Identifier: MIT
#pragma once

/*! \file access.h Who may connect to the host, and what each client may write and call. */

#include <objectsync/change.h>
#include <objectsync/global.h>
#include <objectsync/result.h>

#include <QHostAddress>
#include <QJsonObject>
#include <QString>
#include <QUrl>

namespace objectsync {

/*! What the host knows about a connection asking to be served. */
struct OBJECTSYNC_EXPORT ConnectionRequest
{
    /*! Where a token came from. */
    enum class TokenSource : quint8 {
        None,        //!< no token was given
        Url,         //!< the `token` query item of the URL (ws://host:8765/?token=...)
        FirstMessage //!< the client's first message, `hello {"token": "..."}`
    };

    QHostAddress peerAddress;
    quint16 peerPort = 0;
    /*! The Origin header sent by a browser; empty for other clients. */
    QString origin;
    /*! The URL the client asked for (path and query). */
    QUrl url;
    QString token;
    TokenSource tokenSource = TokenSource::None;
    /*! The room the client asks for: the name in a path `/rooms/<name>`, or "default" (see
     *  objectsync/room.h) for every other path. Empty when the server serves one engine
     *  without rooms. */
    QString room;
};

/*! The answer of AccessPolicy::authenticate(). */
struct OBJECTSYNC_EXPORT AccessDecision
{
    enum class Outcome : quint8 {
        Allow,      //!< serve the client
        Deny,       //!< close the connection (1008, "authentication failed")
        AskForToken //!< wait for the client's first message to carry a token, then ask again
    };

    Outcome outcome = Outcome::Deny;
    /*! Why the client was denied. Written to the host's log only: the client is told
     *  "authentication failed" and nothing more. */
    QString reason;
    /*! Who the client is, or its role ("editor", "viewer", a user name): kept for the
     *  connection, handed to mayWrite() and mayCall(), and shown in ClientInfo::identity. */
    QString identity;

    bool isAllowed() const { return outcome == Outcome::Allow; }

    static AccessDecision allow(const QString &identity = QString())
    {
        return {Outcome::Allow, QString(), identity};
    }
    static AccessDecision deny(const QString &reason) { return {Outcome::Deny, reason, QString()}; }
    static AccessDecision askForToken() { return {Outcome::AskForToken, QString(), QString()}; }
};

/*! A connected client as an AccessPolicy sees it. */
struct OBJECTSYNC_EXPORT AccessClient
{
    int id = 0;        //!< the client id (the origin of its transitions)
    QString identity;  //!< AccessDecision::identity of its authentication
    QString room = {}; //!< ConnectionRequest::room of its connection
};

/*!
 * Decides who may connect and what each client may write. A plugin provides at most one,
 * with PluginContext::setAccessPolicy(); a program using Server directly calls
 * Server::setAccessPolicy(). Without a policy every client may connect and do what the
 * protocol allows.
 *
 * Every call happens on the engine's thread. An exception thrown by a call counts as a
 * refusal (and is logged). What the policy refuses is refused on top of the host's own
 * rules, which always apply.
 *
 * \code
 * class ReadOnlyPolicy : public objectsync::AccessPolicy
 * {
 * public:
 *     objectsync::AccessDecision authenticate(const objectsync::ConnectionRequest &r) override
 *     {
 *         return objectsync::AccessDecision::allow(r.token == "admin" ? "admin" : "guest");
 *     }
 *     objectsync::Result<void> mayWrite(const objectsync::AccessClient &c,
 *                                        const objectsync::Change &) override
 *     {
 *         if (c.identity == "admin")
 *             return {};
 *         return objectsync::Error(objectsync::ErrorCode::PermissionDenied,
 *                                  QStringLiteral("guests may not write"));
 *     }
 * };
 * \endcode
 */
class OBJECTSYNC_EXPORT AccessPolicy
{
public:
    virtual ~AccessPolicy() = default;

    /*!
     * Decides whether the connection described by \a request is served. Called once the
     * WebSocket opening handshake is done (the Origin has been checked already) and before the
     * client is sent anything: with the URL's token when it has one, otherwise without a
     * token. Answer AccessDecision::askForToken() to wait for the client's first message,
     * `hello {"token": "..."}`; this is then called again with that token (answering
     * askForToken() again counts as a refusal). Until the client is allowed it gets nothing
     * and everything it sends but that first message closes the connection.
     */
    virtual AccessDecision authenticate(const ConnectionRequest &request) = 0;

    /*!
     * Whether the connection described by \a request may enter the room \a request.room,
     * opening it when \a exists is false (a room that is not open: new, or closed on disk).
     * Asked by a host with rooms before the WebSocket handshake, before anything of the room
     * is made; a refusal answers HTTP 403 and the room stays as it was. It is asked again,
     * with \a exists true, once the WebSocket is open (answer the same); authenticate() is
     * asked afterwards as usual. Allows everything unless overridden.
     */
    virtual Result<void> mayEnterRoom(const ConnectionRequest &request, bool exists)
    {
        Q_UNUSED(request)
        Q_UNUSED(exists)
        return {};
    }

    /*!
     * Whether \a client may make \a change, one of the commands of an action it sent (as
     * decoded, before the host applies it). Creating and destroying objects are emissions of
     * the `create_object` and `destroy_object` events; changes that listeners make in reaction
     * are not asked about. Returns success to allow, otherwise an Error whose message the
     * client reads in its `reject`: never put state in it that the client could not read.
     */
    virtual Result<void> mayWrite(const AccessClient &client, const Change &change)
    {
        Q_UNUSED(client)
        Q_UNUSED(change)
        return {};
    }

    /*!
     * Whether \a client may call the service \a serviceName (including `undo` and `redo`) with
     * \a args. Returns success to allow, otherwise an Error whose message the client reads
     * in the `error` of its `response`.
     */
    virtual Result<void> mayCall(const AccessClient &client, const QString &serviceName,
                                 const QJsonObject &args)
    {
        Q_UNUSED(client)
        Q_UNUSED(serviceName)
        Q_UNUSED(args)
        return {};
    }
};

} // namespace objectsync
