// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/global.h>

#include <QString>
#include <stdexcept>

namespace objectsync {

/*!
 * The exception thrown when a change, a transition or an object operation is refused.
 *
 * Anything thrown inside a transition (this or any std::exception) reverts the whole
 * transition. The message is meant for people: it says what was refused and why, and never
 * carries the value of another topic.
 */
class OBJECTSYNC_EXPORT Error : public std::runtime_error
{
public:
    explicit Error(const QString &message);
    /*! The readable reason. */
    QString message() const { return m_message; }

private:
    QString m_message;
};

} // namespace objectsync
