// SPDX-License-Identifier: MIT
#pragma once

#include "histogram.h"
#include "loadoptions.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QTimer>

class LoadConnection;

/*! One pass over the rooms: opening them, or joining them once open. */
struct RoomsPass
{
    double seconds = 0;       //!< from the first open() to the last hello
    QList<double> batchMs;    //!< time per room of each batch, in milliseconds
    Histogram room;           //!< one room: open() to hello, microseconds
    QList<qint64> rssAfterKb; //!< the host's VmRSS after each batch (with --host-pid)
    double medianBatchMs() const;
};

/*! What opening rooms cost. */
struct RoomsResult
{
    QString error;
    int rooms = 0;
    RoomsPass open; //!< new rooms: the host builds each one
    RoomsPass join; //!< the same rooms again, open now: the connection alone
    qint64 rssBeforeKb = -1;
    qint64 rssAfterKb = -1; //!< once every room is open and its client gone
};

/*!
 * Opens --rooms rooms one after the other: a connection to room i (see roomUrl()) waits for
 * its hello, which the host sends once the room is built, then leaves, and the next one
 * opens. The rooms are timed in batches of --batch. Then every room is joined once more the
 * same way, which times the connection and handshake alone. A first connection to the URL's
 * default room warms the host up before its memory is read.
 */
class RoomsOpen : public QObject
{
    Q_OBJECT
public:
    explicit RoomsOpen(const LoadOptions &options, QObject *parent = nullptr);
    void start();
    const RoomsResult &result() const { return m_result; }

signals:
    void finished();

private:
    void fail(const QString &why);
    void connectTo(const QUrl &url);
    void onHello();
    void startPass(RoomsPass *pass);
    void next();
    void afterPass();
    qint64 rssKb() const;

    LoadOptions m_options;
    RoomsResult m_result;
    LoadConnection *m_connection = nullptr;
    RoomsPass *m_pass = nullptr;
    int m_room = 0; //!< the room being opened, 1-based; 0 while warming up
    qint64 m_roomStarted = 0;
    qint64 m_passStarted = 0;
    qint64 m_batchStarted = 0;
    QElapsedTimer m_clock;
    QTimer m_timeout;
    bool m_done = false;
};
