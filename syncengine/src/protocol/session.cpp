// SPDX-License-Identifier: MIT
#include "session.h"

#include "changecodec.h"
#include "clientpolicy.h"
#include "hub.h"
#include "jsonlimits.h"
#include "messages.h"
#include "sessionutil.h"
#include "wire.h"

#include <objectsync/engine.h>

#include <QJsonArray>
#include <algorithm>

namespace objectsync::protocol {

Q_LOGGING_CATEGORY(lcProtocol, "objectsync.protocol")

using namespace sessionutil;

Session::Session(Hub *hub, int clientId, const SessionLimits &limits, QObject *parent)
    : QObject(parent), m_hub(hub), m_engine(hub ? hub->engine() : nullptr), m_clientId(clientId),
      m_limits(limits)
{
    m_elapsed.start();
    m_tokens = qMax(1, m_limits.maxMessagesPerSecond);
    m_lastRefill = now();
    if (m_hub)
        m_hub->attach(this);
    enqueue(messages::hello(clientId, m_limits.batchedJoin));
}

Session::~Session()
{
    if (m_hub)
        m_hub->detach(this);
    if (!m_close)
        m_close = CloseInstruction{closecode::normal, QStringLiteral("the session ended")};
    failPending(QStringLiteral("the client disconnected"));
}

Engine *Session::engine() const
{
    return m_engine;
}

void Session::setClock(Clock clock)
{
    m_clock = std::move(clock);
    m_lastRefill = now();
}

qint64 Session::now() const
{
    return m_clock ? m_clock() : m_elapsed.elapsed();
}

// ---- limits ----------------------------------------------------------------------------

bool Session::takeToken()
{
    const int rate = m_limits.maxMessagesPerSecond;
    if (rate <= 0)
        return true;
    const qint64 t = now();
    const qint64 elapsed = qMax<qint64>(0, t - m_lastRefill);
    m_lastRefill = t;
    m_tokens = std::min<double>(rate, m_tokens + double(elapsed) * rate / 1000.0);
    if (m_tokens < 1.0)
        return false;
    m_tokens -= 1.0;
    return true;
}

bool Session::checkLimits(QByteArrayView utf8)
{
    if (!takeToken()) {
        close(
            closecode::policyViolation,
            QStringLiteral("more than %1 messages per second").arg(m_limits.maxMessagesPerSecond));
        return false;
    }
    if (m_limits.maxMessageBytes > 0 && utf8.size() > m_limits.maxMessageBytes) {
        close(closecode::messageTooBig,
              QStringLiteral("a message of %1 bytes is over the limit of %2 bytes")
                  .arg(utf8.size())
                  .arg(m_limits.maxMessageBytes));
        return false;
    }
    if (m_limits.maxDepth > 0 && jsonNestingDepth(utf8, m_limits.maxDepth) > m_limits.maxDepth) {
        close(closecode::policyViolation,
              QStringLiteral("a message nested deeper than %1 levels").arg(m_limits.maxDepth));
        return false;
    }
    return true;
}

// ---- inbound ---------------------------------------------------------------------------

void Session::receiveText(QByteArrayView utf8)
{
    if (isClosed())
        return;
    try {
        if (!checkLimits(utf8))
            return;
        const Result<QJsonObject> message = parseJsonObject(utf8);
        if (!message) {
            if (m_awaitedRequest) {
                close(closecode::policyViolation,
                      QString(authenticationFailed) +
                          QStringLiteral(": the first message must be hello with a token"));
                return;
            }
            protocolError(message.errorMessage(), {});
            return;
        }
        dispatch(*message);
    } catch (const std::exception &e) {
        qCCritical(lcProtocol) << "client" << m_clientId << "message handling failed:" << e.what();
        protocolError(QStringLiteral("the host failed to handle the message"), {});
    } catch (...) {
        qCCritical(lcProtocol) << "client" << m_clientId << "message handling failed";
        protocolError(QStringLiteral("the host failed to handle the message"), {});
    }
}

void Session::receiveBinary(qint64 size)
{
    if (isClosed())
        return;
    close(closecode::unsupportedData,
          QStringLiteral("binary messages are not supported (got %1 bytes); send JSON text")
              .arg(size));
}

void Session::dispatch(const QJsonObject &message)
{
    struct Handler
    {
        QLatin1String type;
        void (Session::*fn)(const QJsonObject &);
    };
    static const Handler handlers[] = {
        {wire::action, &Session::onAction},
        {wire::subscribe, &Session::onSubscribe},
        {wire::unsubscribe, &Session::onUnsubscribe},
        {wire::request, &Session::onRequest},
        {wire::response, &Session::onResponse},
        {wire::hello, &Session::onHello},
        {wire::subscribeMany, &Session::onSubscribeMany},
    };

    if (m_awaitedRequest) {
        authenticate(message);
        return;
    }
    const QJsonValue typeValue = message.value(wire::type);
    if (!typeValue.isString()) {
        protocolError(QStringLiteral("a message needs a \"type\" string"), {});
        return;
    }
    const QString type = typeValue.toString();
    const QJsonValue argsValue = message.value(wire::args);
    if (!argsValue.isUndefined() && !argsValue.isNull() && !argsValue.isObject()) {
        const QString why = QStringLiteral("\"args\" must be an object");
        if (type == wire::action)
            rejectAction(why, QString());
        else
            protocolError(why, type);
        return;
    }
    const QJsonObject args = argsValue.toObject();
    for (const Handler &h : handlers) {
        if (type == h.type) {
            (this->*h.fn)(args);
            return;
        }
    }
    protocolError(QStringLiteral("unknown message type \"%1\"").arg(shown(type)), type);
}

void Session::onHello(const QJsonObject &args)
{
    const QJsonValue v = args.value(wire::version);
    m_protocolVersion = v.isDouble() ? qBound(0, v.toInt(), 1000) : 0;
}

void Session::onSubscribe(const QJsonObject &args)
{
    const QJsonValue name = args.value(wire::topicName);
    if (!name.isString()) {
        protocolError(QStringLiteral("subscribe needs a \"topic_name\" string"), wire::subscribe);
        return;
    }
    const QString topicName = name.toString();
    const Topic *topic = m_engine ? m_engine->topic(topicName) : nullptr;
    if (!topic) {
        // Usually a race with the topic's removal; the client learns of it from the topic list.
        protocolError(QStringLiteral("unknown topic %1").arg(shown(topicName)), wire::subscribe);
        return;
    }
    // Merged changes still waiting would otherwise arrive after the init that includes them.
    if (m_hub && m_hub->hasPendingMerge())
        m_hub->flush();
    const bool added = !m_subscriptions.contains(topicName);
    m_subscriptions.insert(topicName);
    enqueue(messages::init(*topic));
    if (added)
        emit subscriptionsChanged();
}

void Session::onUnsubscribe(const QJsonObject &args)
{
    const QJsonValue name = args.value(wire::topicName);
    if (!name.isString()) {
        protocolError(QStringLiteral("unsubscribe needs a \"topic_name\" string"),
                      wire::unsubscribe);
        return;
    }
    if (m_subscriptions.remove(name.toString()))
        emit subscriptionsChanged();
}

void Session::onAction(const QJsonObject &args)
{
    const QJsonValue idValue = args.value(wire::actionId);
    const QString actionId = idValue.toString();
    if (!idValue.isString()) {
        rejectAction(QStringLiteral("field \"action_id\" must be a string"), actionId);
        return;
    }
    const QJsonValue commandsValue = args.value(wire::commands);
    if (!commandsValue.isArray()) {
        rejectAction(QStringLiteral("field \"commands\" must be an array"), actionId);
        return;
    }
    const QJsonArray commands = commandsValue.toArray();
    QList<Change> changes;
    changes.reserve(commands.size());
    for (qsizetype i = 0; i < commands.size(); ++i) {
        const QJsonValue command = commands.at(i);
        if (!command.isObject()) {
            rejectAction(QStringLiteral("command %1 must be an object").arg(i), actionId);
            return;
        }
        try {
            changes.append(codec::decode(command.toObject(), ChangeSource::Client));
        } catch (const Error &e) {
            rejectAction(QStringLiteral("command %1: %2").arg(i).arg(e.message()), actionId);
            return;
        }
    }
    if (changes.isEmpty())
        return;
    if (!m_engine || m_engine->inTransition()) {
        rejectAction(QStringLiteral("the host is busy; try again"), actionId);
        return;
    }

    Engine *engine = m_engine;
    const int clientId = m_clientId;
    Result<void> done;
    try {
        done = engine->tryTransition(
            [&] {
                const auto command = [](qsizetype i, const Error &e) {
                    return Error(e.code(),
                                 QStringLiteral("command %1: %2").arg(i).arg(e.message()));
                };
                for (qsizetype i = 0; i < changes.size(); ++i) {
                    if (const Result<void> allowed =
                            refuseClientChange(*engine, changes.at(i), clientId);
                        !allowed)
                        throw command(i, allowed.error());
                    if (const Result<void> allowed = refuseWrite(changes.at(i)); !allowed)
                        throw command(i, allowed.error());
                    try {
                        engine->applyChange(changes.at(i));
                    } catch (const Error &e) {
                        throw command(i, e);
                    }
                }
            },
            clientId, actionId);
    } catch (...) {
        done = Error(ErrorCode::Internal, QStringLiteral("the action failed on the host"));
    }
    if (!done)
        rejectAction(done.error().message(), actionId);
    else if (m_hub)
        m_hub->countAction(true);
}

// ---- outbound --------------------------------------------------------------------------

void Session::enqueue(const QByteArray &frame)
{
    if (isClosed())
        return;
    m_outbox.append(frame);
    m_outboxSequence.append(m_hub ? m_hub->lastSequence() : 0);
    if (m_outbox.size() == 1)
        emit outgoingReady();
}

QList<QByteArray> Session::takeOutgoing(quint64 upToSequence)
{
    qsizetype n = 0;
    while (n < m_outbox.size() && m_outboxSequence.at(n) <= upToSequence)
        ++n;
    if (n == m_outbox.size()) {
        m_outboxSequence.clear();
        return std::exchange(m_outbox, {});
    }
    QList<QByteArray> ready = m_outbox.first(n);
    m_outbox.remove(0, n);
    m_outboxSequence.remove(0, n);
    return ready;
}

void Session::rejectAction(const QString &reason, const QString &actionId)
{
    ++m_errorCount;
    m_lastError = reason;
    if (m_hub)
        m_hub->countAction(false);
    if (m_errorCount <= loggedErrorsPerSession)
        qCInfo(lcProtocol).noquote() << "client" << m_clientId << "action" << shown(actionId)
                                     << "refused:" << limited(reason);
    enqueue(messages::reject(limited(reason), actionId));
}

void Session::protocolError(const QString &reason, const QString &messageType)
{
    ++m_errorCount;
    m_lastError = reason;
    if (m_errorCount <= loggedErrorsPerSession)
        qCInfo(lcProtocol).noquote() << "client" << m_clientId << "sent a bad message:" << reason;
    else if (m_errorCount == loggedErrorsPerSession + 1)
        qCInfo(lcProtocol) << "client" << m_clientId << "sent more bad messages; no longer logged";
    if (m_protocolVersion >= 1)
        enqueue(messages::error(limited(reason), messageType));
}

// ---- state -----------------------------------------------------------------------------

void Session::close(quint16 code, const QString &reason)
{
    if (isClosed())
        return;
    m_close = CloseInstruction{code, reason};
    if (code == closecode::normal)
        qCDebug(lcProtocol).noquote() << "closing client" << m_clientId << reason;
    else
        qCInfo(lcProtocol).noquote()
            << "closing client" << m_clientId << "with code" << code << reason;
    failPending(QStringLiteral("the connection is closing"));
    emit closeRequested();
}

void Session::failPending(const QString &error)
{
    if (m_pending.isEmpty())
        return;
    const auto pending = std::exchange(m_pending, {});
    for (const ResponseHandler &handler : pending) {
        if (!handler)
            continue;
        try {
            handler(QJsonValue(), error);
        } catch (...) {
            qCWarning(lcProtocol) << "a response handler for client" << m_clientId << "threw";
        }
    }
}

bool Session::dropSubscription(const QString &topicName)
{
    if (!m_subscriptions.remove(topicName))
        return false;
    emit subscriptionsChanged();
    return true;
}

} // namespace objectsync::protocol
