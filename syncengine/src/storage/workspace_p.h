// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/engine.h>
#include <objectsync/workspace.h>

#include "journalwriter.h"

#include <QHash>
#include <QLockFile>
#include <QPointer>
#include <QSqlDatabase>
#include <QTimer>
#include <memory>

namespace objectsync {

using storage::JournalWriter;
using storage::WriteBatch;

/*! The state behind a Workspace (workspace.cpp; switching files in workspaceswitch.cpp). */
class WorkspacePrivate
{
public:
    explicit WorkspacePrivate(Workspace *q, Engine *engine) : q(q), engine(engine) {}

    Workspace *q;
    QPointer<Engine> engine;
    bool engineGone = false;
    QString path;
    std::unique_ptr<QLockFile> lock;
    std::unique_ptr<JournalWriter> writer;
    bool open = false;
    bool isNew = false;
    QString error; //!< why writing stopped (errorString())
    QStringList warnings;
    Workspace::Durability durability = Workspace::Durability::PowerLoss;
    int snapshotInterval = 10000;

    quint64 lastJournal = 0; //!< journal sequence of the last transition handed on
    quint64 lastEngine = 0;  //!< its engine sequence
    quint64 durable = 0;     //!< engine sequence known to be durable
    quint64 sinceSnapshot = 0;
    bool resync = false; //!< the journal missed a transition: next, a snapshot
    quint64 lastTicket = 0;
    quint64 generation = 0;          //!< tells reports of an old writer from the current one's
    WriteBatch pending;              //!< what this event-loop turn committed, encoded
    std::vector<WriteBatch> written; //!< handed back by the writer (always left empty)
    std::vector<WriteBatch> spare;   //!< emptied batches whose buffers can be reused
    QHash<QString, QJsonValue> values;
    QTimer timer; //!< zero-timer: submits what each event-loop turn committed
    /*! Every writer's commits, across files (Workspace::commitLatency()). */
    std::shared_ptr<storage::LatencyHistogram> commitLatency =
        std::make_shared<storage::LatencyHistogram>();
    QMetaObject::Connection committed;

    /*! The checks open() and switchTo() share: an engine outside a transition and a path.
     *  The path made absolute, or why it cannot be opened. */
    Result<QString> checkOpenable(const QString &path);
    /*! The lock of \a file; Conflict when another process holds it. */
    Result<std::unique_ptr<QLockFile>> takeLock(const QString &file);
    /*! A started writer for \a file whose reports count while generation is \a gen, or why
     *  it cannot start. */
    Result<std::unique_ptr<JournalWriter>> makeWriter(const QString &file, quint64 gen);
    Result<void> startWriter(const QString &file);
    void attach();
    /*! Follows the engine again after a pause (nothing was missed meanwhile). */
    void reconnect();
    void detach();
    void onCommitted(const TransitionPtr &t);
    /*! Keeps a few of the batches in written for reuse and frees the rest. */
    void recycleWritten();
    /*! Takes what the writer reports: written batches and the durable sequence. */
    void collect();
    void scheduleSubmit();
    /*! The zero-timer: hands this turn's batch to the writer. */
    void onTurnEnd();
    bool canSnapshot() const;
    /*! Hands what is pending to the writer, with a snapshot when due or forced (false when
     *  a forced one cannot be taken now), and delivers what is durable. \a polling: the
     *  timer keeps running, so the writer need not report by posting. */
    bool submitPending(bool forceSnapshot, bool polling = false);
    /*! Waits for what was handed to the writer and delivers it; a failure of the writer also
     *  closes the workspace (onWriterFailed()). */
    Result<void> waitAndDeliver();
    void deliver(quint64 engineSequence);
    void onWriterFailed(const QString &message);
    void shutDown(bool takeSnapshot);
    static Result<QHash<QString, QJsonValue>> readValues(QSqlDatabase &db);
};

} // namespace objectsync
