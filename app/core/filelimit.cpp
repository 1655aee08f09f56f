// SPDX-License-Identifier: MIT
#include "filelimit.h"

#include <cerrno>
#include <cstring>
#include <sys/resource.h>

namespace objectsync {

QString raiseOpenFileLimit(long long *clients)
{
    *clients = -1;
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return QStringLiteral("cannot read the open file limit: %1")
            .arg(QString::fromLocal8Bit(std::strerror(errno)));
    const rlim_t before = limit.rlim_cur;
    QString done;
    if (limit.rlim_cur != limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &limit) == 0) {
            done = QStringLiteral("raised the open file limit from %1 to %2")
                       .arg(qulonglong(before))
                       .arg(limit.rlim_cur == RLIM_INFINITY ? QStringLiteral("unlimited")
                                                            : QString::number(limit.rlim_cur));
        } else {
            limit.rlim_cur = before;
            done = QStringLiteral("cannot raise the open file limit above %1: %2")
                       .arg(qulonglong(before))
                       .arg(QString::fromLocal8Bit(std::strerror(errno)));
        }
    } else {
        done = QStringLiteral("the open file limit is %1").arg(qulonglong(limit.rlim_cur));
    }
    if (limit.rlim_cur != RLIM_INFINITY)
        *clients = qMax(0LL, (long long)(limit.rlim_cur) - filesPerHostOutsideClients);
    return done;
}

} // namespace objectsync
