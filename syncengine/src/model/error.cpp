// SPDX-License-Identifier: MIT
#include <objectsync/error.h>

namespace objectsync {

Error::Error(const QString &message) : Error(ErrorCode::Refused, message) {}

Error::Error(ErrorCode code, const QString &message)
    : std::runtime_error(message.toStdString()), m_message(message), m_code(code)
{}

QString errorCodeName(ErrorCode code)
{
    switch (code) {
    case ErrorCode::Refused:
        return QStringLiteral("refused");
    case ErrorCode::InvalidArgument:
        return QStringLiteral("invalid argument");
    case ErrorCode::NotFound:
        return QStringLiteral("not found");
    case ErrorCode::PermissionDenied:
        return QStringLiteral("permission denied");
    case ErrorCode::Conflict:
        return QStringLiteral("conflict");
    case ErrorCode::LimitExceeded:
        return QStringLiteral("limit exceeded");
    case ErrorCode::Io:
        return QStringLiteral("input/output error");
    case ErrorCode::Corrupt:
        return QStringLiteral("corrupt data");
    case ErrorCode::Internal:
        return QStringLiteral("internal error");
    }
    return QStringLiteral("error");
}

} // namespace objectsync
