// SPDX-License-Identifier: MIT
#include "procstatus.h"

#include <QFile>
#include <sys/resource.h>

ProcMemory readProcMemory(qint64 pid)
{
    ProcMemory m;
    if (pid <= 0)
        return m;
    QFile f(QStringLiteral("/proc/%1/status").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return m;
    const auto value = [](const QByteArray &line) {
        return line.mid(line.indexOf(':') + 1).trimmed().split(' ').value(0).toLongLong();
    };
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            m.rssKb = value(line);
        else if (line.startsWith("VmHWM:"))
            m.peakKb = value(line);
    }
    return m;
}

qint64 readProcOpenFilesLimit(qint64 pid)
{
    if (pid <= 0)
        return -1;
    QFile f(QStringLiteral("/proc/%1/limits").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (!line.startsWith("Max open files"))
            continue;
        bool ok = false;
        const qint64 soft = line.mid(14).simplified().split(' ').value(0).toLongLong(&ok);
        return ok ? soft : -1; // "unlimited" is not a number
    }
    return -1;
}

qint64 raiseOpenFilesLimit()
{
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return -1;
    if (limit.rlim_cur != limit.rlim_max) {
        rlimit raised = limit;
        if (raised.rlim_max == RLIM_INFINITY) {
            // Linux refuses more than fs.nr_open even with an unlimited hard limit.
            QFile f(QStringLiteral("/proc/sys/fs/nr_open"));
            bool ok = false;
            const qint64 nrOpen =
                f.open(QIODevice::ReadOnly) ? f.readAll().trimmed().toLongLong(&ok) : 0;
            raised.rlim_cur = ok ? rlim_t(nrOpen) : limit.rlim_cur;
        } else {
            raised.rlim_cur = raised.rlim_max;
        }
        if (setrlimit(RLIMIT_NOFILE, &raised) == 0)
            limit = raised;
    }
    return limit.rlim_cur == RLIM_INFINITY ? -1 : qint64(limit.rlim_cur);
}
