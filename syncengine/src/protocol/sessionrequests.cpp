// SPDX-License-Identifier: MIT
// Service calls: a client's requests to the host (undo and redo among them) and the host's
// requests to the client.
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

using namespace sessionutil;

void Session::onRequest(const QJsonObject &args)
{
    const QJsonValue requestId = args.value(wire::requestId);
    const QJsonValue id = requestId.isUndefined() ? QJsonValue() : requestId;
    const auto fail = [&](const QString &why) {
        ++m_errorCount;
        m_lastError = why;
        enqueue(messages::response(id, QJsonValue(), limited(why)));
    };
    if (requestId.isUndefined() || !(requestId.isString() || requestId.isDouble())) {
        fail(QStringLiteral("field \"request_id\" must be a string"));
        return;
    }
    const QJsonValue name = args.value(wire::serviceName);
    if (!name.isString()) {
        fail(QStringLiteral("field \"service_name\" must be a string"));
        return;
    }
    const QJsonValue callArgs = args.value(wire::args);
    if (!callArgs.isUndefined() && !callArgs.isNull() && !callArgs.isObject()) {
        fail(QStringLiteral("field \"args\" must be an object"));
        return;
    }
    const QString service = name.toString();
    if (const Result<void> allowed = refuseCall(service, callArgs.toObject()); !allowed) {
        fail(allowed.error().message());
        return;
    }
    QString error;
    QJsonValue result;
    try {
        if (service == wire::undoService || service == wire::redoService) {
            error = runUndoRedo(service == wire::undoService, callArgs.toObject()).errorMessage();
        } else if (!m_engine) {
            error = QStringLiteral("the host is shutting down");
        } else {
            result = m_engine->callService(service, callArgs.toObject(), m_clientId);
        }
    } catch (const Error &e) {
        error = e.message();
    } catch (const std::exception &e) {
        error = QStringLiteral("service \"%1\" failed: %2")
                    .arg(shown(service), QString::fromUtf8(e.what()));
    } catch (...) {
        error = QStringLiteral("service \"%1\" failed").arg(shown(service));
    }
    if (!error.isEmpty()) {
        fail(error);
        return;
    }
    enqueue(messages::response(id, result.isUndefined() ? QJsonValue() : result, {}));
}

Result<void> Session::runUndoRedo(bool undo, const QJsonObject &args)
{
    if (!m_engine)
        return Error(ErrorCode::Conflict, QStringLiteral("the host is shutting down"));
    // Clients send the object as "id"; the original host expected "target". Default: root.
    QJsonValue target = args.value(wire::id);
    if (target.isUndefined() || target.isNull())
        target = args.value(wire::target);
    SObject *scope = nullptr;
    if (target.isString() && !target.toString().isEmpty()) {
        scope = m_engine->object(target.toString());
        if (!scope)
            return Error(ErrorCode::NotFound,
                         QStringLiteral("object %1 does not exist").arg(shown(target.toString())));
    } else if (!target.isUndefined() && !target.isNull() && !target.isString()) {
        return Error(ErrorCode::InvalidArgument, QStringLiteral("the object id must be a string"));
    }
    // The undo is the client's transition; what it may take back is checked before it commits.
    const Engine *engine = m_engine;
    const int clientId = m_clientId;
    const UndoCheck check = [engine, clientId, undo](const QList<Change> &changes,
                                                     int recordedOrigin) -> Result<void> {
        const Result<void> allowed = refuseClientUndo(*engine, changes, recordedOrigin, clientId);
        if (allowed)
            return allowed;
        return Error(allowed.error().code(), (undo ? QStringLiteral("undo refused: %1")
                                                   : QStringLiteral("redo refused: %1"))
                                                 .arg(allowed.error().message()));
    };
    return undo ? m_engine->undo(scope, clientId, check) : m_engine->redo(scope, clientId, check);
}

void Session::onResponse(const QJsonObject &args)
{
    const QJsonValue requestId = args.value(wire::requestId);
    QString key;
    if (requestId.isString())
        key = requestId.toString();
    else if (requestId.isDouble())
        key = QString::number(requestId.toInteger());
    const auto it = m_pending.find(key);
    if (key.isEmpty() || it == m_pending.end()) {
        protocolError(QStringLiteral("a response to no pending request"), wire::response);
        return;
    }
    ResponseHandler handler = std::move(it.value());
    m_pending.erase(it);
    const QJsonValue response = args.value(wire::response);
    const QJsonValue error = args.value(wire::error);
    if (!handler)
        return;
    try {
        handler(response.isUndefined() ? QJsonValue() : response,
                error.isString() ? error.toString() : QString());
    } catch (...) {
        qCWarning(lcProtocol) << "a response handler for client" << m_clientId << "threw";
    }
}

QString Session::request(const QString &serviceName, const QJsonObject &args,
                         ResponseHandler onResponse)
{
    const auto refuse = [&](const QString &why) {
        if (onResponse)
            onResponse(QJsonValue(), why);
        return QString();
    };
    if (isClosed())
        return refuse(QStringLiteral("the client is disconnected"));
    if (!isAuthenticated())
        return refuse(QStringLiteral("the client has not authenticated yet"));
    if (m_limits.maxPendingRequests > 0 && m_pending.size() >= m_limits.maxPendingRequests)
        return refuse(
            QStringLiteral("too many requests are waiting for client %1").arg(m_clientId));
    const QString id = QLatin1Char('s') + QString::number(++m_requestCounter);
    m_pending.insert(id, std::move(onResponse));
    enqueue(messages::request(serviceName, args, id));
    return id;
}

} // namespace objectsync::protocol
