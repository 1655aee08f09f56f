// SPDX-License-Identifier: MIT
#include "procstatus.h"

#include <QFile>

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
