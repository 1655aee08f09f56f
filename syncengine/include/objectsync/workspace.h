// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/global.h>
#include <objectsync/result.h>

#include <QJsonValue>
#include <QList>
#include <QObject>
#include <QStringList>
#include <memory>

namespace objectsync {

class Engine;
class WorkspacePrivate;

/*! How long journal commits took, as a histogram (see Workspace::commitLatency()). */
struct OBJECTSYNC_EXPORT CommitLatency
{
    QList<double> upperBounds; //!< bucket bounds in seconds, ascending
    /*! Commits per bucket: counts[i] took at most upperBounds[i] (and more than the bound
     *  before); the last entry, one past the bounds, counts the slower ones. */
    QList<quint64> counts;
    double sumSeconds = 0;
    quint64 count = 0;
};

/*!
 * A durable home for an Engine's state: an SQLite file holding a journal of every committed
 * transition and, from time to time, a snapshot that lets the journal be shortened.
 *
 * Opening restores the file's state into the engine (the newest snapshot, then the journal
 * after it) and from then on appends each committed transition to the journal. The writes
 * of one event-loop turn go to disk in one commit, on a thread of its own; durable() tells
 * when a transition has reached the disk, so that the network can hold back what it sends
 * until then.
 *
 * Typical host start-up:
 * \code
 * Engine engine;
 * // register object types and load plugins first: restoring needs their types
 * Workspace workspace(&engine);
 * if (Result<void> opened = workspace.open(path); !opened)   // or Workspace::defaultPath()
 *     qFatal("%s", qPrintable(opened.errorMessage()));
 * for (const QString &w : workspace.warnings())
 *     qWarning("%s", qPrintable(w));    // e.g. a damaged journal tail that was cut
 * if (workspace.isNew())
 *     applyScene(engine);               // only a new, empty workspace gets the scene
 * // now start serving; hold each update back until durableSequence() reaches it
 * \endcode
 *
 * Rules:
 * - Open the workspace before anything else changes the engine: restoring needs an engine
 *   that holds no objects and no plain topics. Create plain topics the host needs only when
 *   they do not exist after opening (they are restored with their values).
 * - Restoring commits one transition of kind Redo; behaviours (behaviour listeners, event
 *   handlers such as create_object's) do not run again, init() of restored objects does.
 * - Undo and redo history does not survive a restart.
 * - One process at a time: a lock file (path + ".lock") keeps a second host away.
 *
 * Every method runs on the engine's thread. An operation that can fail returns a Result
 * whose Error says why (codes: Io when the disk or SQLite fails, Corrupt for a file that is
 * damaged or not a workspace, Conflict for a file in use or a busy engine, NotFound,
 * InvalidArgument); bad files never crash the host. Writing that fails later, on the
 * writer's thread, is reported by failed() and errorString().
 */
class OBJECTSYNC_EXPORT Workspace : public QObject
{
    Q_OBJECT
public:
    /*! What a durable() transition survives. */
    enum class Durability : quint8 {
        ProcessCrash, //!< the host being killed (SQLite synchronous=NORMAL)
        PowerLoss     //!< also power loss and OS crashes: every commit is flushed to disk
                      //!< (synchronous=FULL). The default.
    };
    Q_ENUM(Durability)

    /*! A workspace for \a engine, which must outlive it. Nothing happens until open(). */
    explicit Workspace(Engine *engine, QObject *parent = nullptr);
    /*! Closes (see close()). */
    ~Workspace() override;

    /*!
     * Opens the workspace at \a path, creating the file (and its folder) when missing.
     * An existing workspace is restored into the engine. Refused, with nothing changed
     * (neither the engine nor the file), when the file is not a workspace (another file, an
     * SQLite database without the workspace's meta table), was written by a newer format,
     * is in use by another process, or holds state the engine cannot rebuild (for example
     * an object type no loaded plugin provides). A damaged journal tail is cut and reported
     * in warnings().
     */
    Result<void> open(const QString &path);
    /*! Writes what is pending, takes a snapshot (so the next start is quick) and closes.
     *  Does nothing when not open. */
    void close();
    bool isOpen() const;
    /*! The absolute path of the open workspace. */
    QString path() const;
    /*! True when open() found no workspace content (a missing or empty file): apply a
     *  scene or demo content then. Stays true until the workspace is closed. */
    bool isNew() const;
    /*! Why the workspace stopped writing: the message of the last failed() signal. Empty
     *  until writing fails and again once open(), saveAs() or switchTo() succeeds. The
     *  methods that can fail return their own error; they do not set this. */
    QString errorString() const;
    /*! What the last open() had to drop or work around (cut journal rows, a damaged
     *  snapshot), one readable sentence each. Also logged as warnings. */
    QStringList warnings() const;

    /*! Writes everything committed so far and waits until it is durable; durable() is
     *  emitted before this returns. An error when writing failed (failed() is emitted as
     *  well) or no workspace is open. */
    Result<void> flush();
    /*! The engine sequence (Transition::sequence) up to which every committed transition
     *  is durable. Right after open() it is the engine's current sequence. */
    quint64 durableSequence() const;

    /*! Takes a snapshot now and compacts the journal; waits until it is written. Conflict
     *  while a transition is open or being announced. */
    Result<void> snapshot();
    /*! A snapshot is taken after this many journaled transitions (default 10000; 0 turns
     *  periodic snapshots off; they are still taken on close() and snapshot()). */
    void setSnapshotInterval(int transitions);
    int snapshotInterval() const;

    /*! Sets the durability; takes effect at the next open(). */
    void setDurability(Durability durability);
    Durability durability() const;

    /*!
     * Writes the engine's current state to a new workspace at \a path (replacing any file
     * there, atomically) and continues there: later transitions go to the new file, the
     * old one keeps what it had. Works on a closed workspace too (a host started without
     * one): it is open afterwards. Saving to the open path itself only takes a snapshot.
     */
    Result<void> saveAs(const QString &path);

    /*!
     * Continues in the existing workspace at \a path, whose state replaces the engine's
     * content: what was committed so far is written to the current file (when one is open),
     * which is then left, and the engine takes the new file's state in one transition of
     * kind Redo that clients receive like any other: every object is destroyed and the
     * file's objects are rebuilt with their ids, the root's tags and the plain topics the
     * file holds get its values (plain topics it does not hold keep theirs; behaviours do not
     * run). Undo history is cleared. A snapshot of the result starts the new file's journal.
     * Values (value()) are those of the new file. Works on a closed workspace too.
     *
     * Refused, with nothing changed (neither the engine, nor the current file, nor the new
     * one), when \a path does not exist or is not a workspace, was written by a newer
     * format, is in use by another process, or holds state this engine cannot take (an
     * object type it does not know, a plain topic whose type differs). Opening the open
     * file does nothing. A damaged journal tail is cut as in open(). Returns an error, after
     * emitting failed(), also when writing the first snapshot of the new file fails; the
     * engine then keeps the new content in memory.
     */
    Result<void> switchTo(const QString &path);

    /*!
     * A small durable key-value store for the host's own counters (for example the next
     * client id, so that client-made object ids stay unique across restarts). A value set
     * here is written with the next commit, in order with the journal. Values set before
     * open() go into a new workspace; opening an existing one replaces them with its own.
     */
    void setValue(const QString &key, const QJsonValue &value);
    /*! A value stored with setValue(); undefined when there is none. */
    QJsonValue value(const QString &key) const;

    /*! How long the journal's commits took (each SQLite commit with its flush to disk), as a
     *  histogram, since the workspace object was made. */
    CommitLatency commitLatency() const;

    /*! Where a host keeps its workspace when given none: "workspace.osw" in the user's
     *  application data folder (QStandardPaths::AppDataLocation, so set the application
     *  and organization names first). */
    static QString defaultPath();

signals:
    /*! Every transition up to \a sequence (Transition::sequence) is now durable. */
    void durable(quint64 sequence);
    /*! Writing failed (a full disk, a vanished file): the workspace has closed itself and
     *  durableSequence() no longer advances. The engine keeps running in memory. */
    void failed(const QString &message);

private:
    std::unique_ptr<WorkspacePrivate> d;
};

} // namespace objectsync
