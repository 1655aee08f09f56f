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

/*! The soft limit of open files of a process, from /proc/<pid>/limits; -1 when unknown or
 *  unlimited. */
qint64 readProcOpenFilesLimit(qint64 pid);

/*! Raises this process's soft RLIMIT_NOFILE to its hard limit; returns the soft limit now
 *  (-1: unlimited). */
qint64 raiseOpenFilesLimit();
