// SPDX-License-Identifier: MIT
#pragma once

#include <QtGlobal>

/*! Memory of a process from /proc/<pid>/status, in kB; -1 when unknown. */
struct ProcMemory
{
    qint64 rssKb = -1;  //!< VmRSS: resident now
    qint64 peakKb = -1; //!< VmHWM: the largest resident size so far
};

ProcMemory readProcMemory(qint64 pid);
