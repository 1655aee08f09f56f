// SPDX-License-Identifier: MIT
#pragma once

/*!
 * \file error.h
 * The one error type of the API: a code and a readable message. Operations that can fail
 * return a Result (result.h) holding either their value or an Error; code that runs inside a
 * transition (a plugin's build function, a service, a listener) throws an Error instead, and
 * the transition converts it back into a Result at its edge.
 */

#include <objectsync/global.h>

#include <QString>
#include <stdexcept>

namespace objectsync {

/*! What kind of failure an Error is; the message says the rest. */
enum class ErrorCode : quint8 {
    Refused,          //!< a rule of the model or of a plugin refused the change (the default)
    InvalidArgument,  //!< malformed input: a bad value, name, argument or message
    NotFound,         //!< no such object, topic, service, type, scene or file
    PermissionDenied, //!< the access policy or a read-only topic said no
    Conflict,         //!< the state moved on (a stale version, nothing to undo, a busy file)
    LimitExceeded,    //!< a size, depth or count limit was reached
    Io,               //!< the disk or the network failed
    Corrupt,          //!< stored data is damaged or of an unknown format
    Internal,         //!< a broken invariant of ObjectSync itself (a bug)
};

/*! The name of \a code, for logs and messages ("not found"). */
OBJECTSYNC_EXPORT QString errorCodeName(ErrorCode code);

/*!
 * A failure: a code and a message meant for people, which says what was refused and why
 * and never carries the value of another topic.
 *
 * It is also the exception thrown inside a transition: anything thrown there (this or any
 * std::exception) reverts the whole transition, and Engine::tryTransition() returns it.
 */
class OBJECTSYNC_EXPORT Error : public std::runtime_error
{
public:
    explicit Error(const QString &message);
    Error(ErrorCode code, const QString &message);

    ErrorCode code() const { return m_code; }
    /*! The readable reason. */
    QString message() const { return m_message; }

private:
    QString m_message;
    ErrorCode m_code = ErrorCode::Refused;
};

} // namespace objectsync
