// SPDX-License-Identifier: MIT
#include "client_p.h"

#include <objectsync/names.h>

#include <cmath>
#include <exception>

namespace objectsync {

namespace {
const QString &topicListName = names::topicList;

Error notConnected()
{
    return Error(ErrorCode::Io, QStringLiteral("the client is not connected"));
}

/*! The error a change method returns for \a e, thrown while applying a change to the mirror:
 *  what the mirror's topics refuse (with the model's default code) does not fit the topic. */
Error changeError(const Error &e)
{
    return e.code() == ErrorCode::Refused ? Error(ErrorCode::InvalidArgument, e.message()) : e;
}
} // namespace

// ---- Action scopes ---------------------------------------------------------------------

Client::Action::Action(Client *client) : m_client(client), m_uncaught(std::uncaught_exceptions())
{
    client->d->beginAction();
}

Client::Action::Action(Action &&other) noexcept
    : m_client(other.m_client), m_uncaught(other.m_uncaught), m_done(other.m_done)
{
    other.m_done = true;
}

Client::Action::~Action()
{
    if (m_done)
        return;
    m_done = true;
    // Its result is known to whoever reads actionRejected(); a destructor has no one to tell.
    (void)m_client->d->endAction(std::uncaught_exceptions() <= m_uncaught);
}

Result<QString> Client::Action::commit()
{
    if (m_done)
        return QString();
    m_done = true;
    return m_client->d->endAction(true);
}

void Client::Action::rollback()
{
    if (m_done)
        return;
    m_done = true;
    (void)m_client->d->endAction(false); // nothing sent: nothing to report
}

Client::Action Client::action()
{
    return Action(this);
}

void ClientPrivate::beginAction()
{
    if (actionDepth++ > 0)
        return;
    actionId = nextId();
    actionChanges.clear();
    actionFailed = false;
}

Result<QString> ClientPrivate::endAction(bool commit)
{
    if (!commit)
        actionFailed = true;
    if (--actionDepth > 0)
        return actionId;
    Result<QString> result = actionId;
    QList<PendingChange> changes = std::exchange(actionChanges, {});
    if (actionFailed) {
        for (qsizetype i = changes.size() - 1; i >= 0; --i)
            unapply(changes[i]);
        notifyTouched();
        result = Error(ErrorCode::Refused,
                       QStringLiteral("the action was rolled back: nothing of it was sent"));
    } else if (changes.isEmpty()) {
        result = QString();
    } else if (state != Client::State::Connected) {
        // The connection dropped while the scope was open: its changes were taken off the
        // mirror then, and nothing of it reached the host.
        const QString id = actionId;
        const QString reason = QStringLiteral("the connection was lost before the action was sent");
        notify([this, id, reason] { emit q->actionRejected(id, reason); });
        result = Error(ErrorCode::Io, reason);
    } else if (held.isEmpty() && !isBlocked(changes)) {
        sendAction(actionId, changes);
    } else {
        held.append({actionId, changes}); // sent later, in order
    }
    actionId.clear();
    actionFailed = false;
    // Messages that arrived while the scope was open.
    const QList<QString> messages = std::exchange(deferred, {});
    for (const QString &m : messages)
        onMessage(m);
    return result;
}

// ---- applying changes ------------------------------------------------------------------

Result<QString> Client::submit(QList<Change> commands)
{
    if (d->state != State::Connected)
        return notConnected();
    const bool own = d->actionDepth == 0;
    if (own)
        d->beginAction();
    const qsizetype start = d->actionChanges.size();
    // Applying to the mirror throws when a change does not apply; this is the edge where
    // that becomes the returned error.
    std::optional<Error> failure;
    try {
        for (Change &c : commands) {
            d->prepare(c);
            d->applyLocal(c);
        }
    } catch (const Error &e) {
        failure = changeError(e);
    } catch (const std::exception &e) {
        failure = Error(ErrorCode::Internal, QString::fromUtf8(e.what()));
    }
    if (failure) {
        // Only this call's changes are taken back; an enclosing scope may go on.
        for (qsizetype i = d->actionChanges.size() - 1; i >= start; --i)
            d->unapply(d->actionChanges[i]);
        d->actionChanges.resize(start);
        d->notifyTouched();
        if (own)
            (void)d->endAction(false); // nothing else was in it
        return *failure;
    }
    if (own)
        return d->endAction(true);
    return d->actionId;
}

void ClientPrivate::prepare(Change &c)
{
    if (c.topicName == topicListName)
        throw Error(ErrorCode::PermissionDenied,
                    QStringLiteral("the topic list cannot be changed by a client"));
    if (const auto it = topics.constFind(c.topicName); it != topics.cend())
        c.topicType = it->type;
    else if (topicsKnown)
        throw Error(ErrorCode::NotFound, QStringLiteral("unknown topic %1").arg(c.topicName));
    else if (const auto m = mirror.constFind(c.topicName); m != mirror.cend())
        c.topicType = m->type();
    if (c.id.isEmpty())
        c.id = nextId();
    if (c.topicType == TopicType::String) {
        const auto m = mirror.constFind(c.topicName);
        if (c.topicVersion.isEmpty()) {
            if (m != mirror.cend())
                c.topicVersion = m->version();
            else if (c.type != ChangeType::Set)
                throw Error(ErrorCode::NotFound,
                            QStringLiteral("editing %1 needs its value: subscribe to it first")
                                .arg(c.topicName));
        }
        // A set's id doubles as its version, as version-0 hosts expect.
        if (c.resultTopicVersion.isEmpty())
            c.resultTopicVersion = c.type == ChangeType::Set ? c.id : QLatin1Char('v') + nextId();
    }
}

void ClientPrivate::applyLocal(const Change &c)
{
    // Tracked changes wait for the host's echo; the host echoes subscribed topics only.
    PendingChange p{actionId, c, c, std::nullopt, subscribed.contains(c.topicName)};
    auto it = mirror.find(c.topicName);
    if (p.tracked && it != mirror.end()) {
        client::MirrorTopic before = *it;
        it->apply(p.change); // throws and changes nothing when refused
        p.before = std::move(before);
        if (c.topicType != TopicType::Event) {
            const QString name = c.topicName;
            notify([this, name] { emit q->topicChanged(name); });
        }
    }
    actionChanges.append(std::move(p));
}

qsizetype Client::pendingCount() const
{
    qsizetype n = d->pending.size();
    for (const HeldAction &h : std::as_const(d->held))
        n += h.changes.size();
    return n;
}

// ---- convenience -----------------------------------------------------------------------

namespace {
Change make(const QString &topicName, ChangeType type)
{
    Change c;
    c.topicName = topicName;
    c.type = type;
    return c;
}
} // namespace

Result<QString> Client::set(const QString &topicName, const QJsonValue &value)
{
    Change c = make(topicName, ChangeType::Set);
    c.value = value;
    return submit({c});
}

Result<QString> Client::add(const QString &topicName, double amount)
{
    Change c = make(topicName, ChangeType::Add);
    const auto info = topicInfo(topicName);
    const bool whole = std::isfinite(amount) && amount == std::trunc(amount) &&
                       std::abs(amount) < 9007199254740992.0;
    if (info && info->type == TopicType::Int && !whole)
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("add on topic %1 refused: an int topic takes an integer")
                         .arg(topicName));
    if ((!info || info->type == TopicType::Int) && whole)
        c.value = qint64(amount);
    else
        c.value = amount;
    return submit({c});
}

Result<QString> Client::insertText(const QString &topicName, qint64 position, const QString &text)
{
    Change c = make(topicName, ChangeType::Insert);
    c.topicType = TopicType::String;
    c.position = position;
    c.text = text;
    return submit({c});
}

Result<QString> Client::deleteText(const QString &topicName, qint64 position, qint64 length)
{
    const auto it = d->mirror.constFind(topicName);
    if (it == d->mirror.cend() || it->type() != TopicType::String)
        return Error(ErrorCode::NotFound,
                     QStringLiteral("deleting text of %1 needs its value: subscribe to it first")
                         .arg(topicName));
    if (position < 0 || length < 0 || position + length > it->text().size())
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("delete on topic %1 refused: the range is out of the text")
                         .arg(topicName));
    Change c = make(topicName, ChangeType::Delete);
    c.topicType = TopicType::String;
    c.position = position;
    c.text = it->text().mid(position, length);
    return submit({c});
}

Result<QString> Client::append(const QString &topicName, const QJsonValue &item)
{
    Change c = make(topicName, ChangeType::Append);
    c.topicType = TopicType::Set;
    c.value = item;
    return submit({c});
}

Result<QString> Client::remove(const QString &topicName, const QJsonValue &item)
{
    Change c = make(topicName, ChangeType::Remove);
    c.topicType = TopicType::Set;
    c.value = item;
    return submit({c});
}

Result<QString> Client::insertItem(const QString &topicName, qint64 position,
                                   const QJsonValue &item)
{
    Change c = make(topicName, ChangeType::Insert);
    c.topicType = TopicType::List;
    c.position = position;
    c.value = item;
    return submit({c});
}

Result<QString> Client::popItem(const QString &topicName, qint64 position)
{
    Change c = make(topicName, ChangeType::Pop);
    c.topicType = TopicType::List;
    c.position = position;
    return submit({c});
}

Result<QString> Client::addKey(const QString &topicName, const QString &key,
                               const QJsonValue &value)
{
    Change c = make(topicName, ChangeType::Add);
    c.topicType = TopicType::Dict;
    c.key = key;
    c.value = value;
    return submit({c});
}

Result<QString> Client::popKey(const QString &topicName, const QString &key)
{
    Change c = make(topicName, ChangeType::Pop);
    c.topicType = TopicType::Dict;
    c.key = key;
    return submit({c});
}

Result<QString> Client::changeValue(const QString &topicName, const QString &key,
                                    const QJsonValue &value)
{
    Change c = make(topicName, ChangeType::ChangeValue);
    c.topicType = TopicType::Dict;
    c.key = key;
    c.value = value;
    return submit({c});
}

Result<QString> Client::emitEvent(const QString &topicName, const QJsonObject &args)
{
    Change c = make(topicName, ChangeType::Emit);
    c.topicType = TopicType::Event;
    c.value = args;
    return submit({c});
}

Result<QString> Client::newObjectId()
{
    if (d->clientId <= 0)
        return notConnected();
    return d->nextId();
}

Result<QString> Client::createObject(const QString &typeName, const QString &parentId,
                                     const QJsonObject &buildArgs)
{
    const Result<QString> id = newObjectId();
    if (!id)
        return id;
    QJsonObject args;
    args.insert(QLatin1String("type"), typeName);
    args.insert(QLatin1String("parent_id"), parentId);
    args.insert(QLatin1String("id"), *id);
    args.insert(QLatin1String("build_kwargs"), buildArgs);
    if (const Result<QString> sent = emitEvent(names::createObject, args); !sent)
        return sent.error();
    return id;
}

Result<QString> Client::destroyObject(const QString &objectId)
{
    QJsonObject args;
    args.insert(QLatin1String("id"), objectId);
    return emitEvent(names::destroyObject, args);
}

} // namespace objectsync
