// SPDX-License-Identifier: MIT
#include "roomsopen.h"

#include "loadconnection.h"
#include "procstatus.h"

#include <algorithm>

namespace {
// Time for the host to finish with the last client (and rooms on disk with their journal)
// before its memory is read.
constexpr int settleMs = 1000;
} // namespace

double RoomsPass::medianBatchMs() const
{
    if (batchMs.isEmpty())
        return 0;
    QList<double> sorted = batchMs;
    std::sort(sorted.begin(), sorted.end());
    const qsizetype n = sorted.size();
    return n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

RoomsOpen::RoomsOpen(const LoadOptions &options, QObject *parent)
    : QObject(parent), m_options(options)
{
    m_result.rooms = m_options.rooms;
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, [this] {
        fail(QStringLiteral("room %1 did not answer within %2 s")
                 .arg(m_room)
                 .arg(m_options.setupTimeoutS));
    });
}

void RoomsOpen::start()
{
    m_clock.start();
    QUrl home = m_options.url;
    home.setPath(QStringLiteral("/"));
    connectTo(home); // the default room: the host's first connection is not a room's cost
}

void RoomsOpen::fail(const QString &why)
{
    if (m_done)
        return;
    m_done = true;
    m_result.error = why;
    m_timeout.stop();
    if (m_connection)
        m_connection->abort();
    emit finished();
}

qint64 RoomsOpen::rssKb() const
{
    return readProcMemory(m_options.hostPid).rssKb;
}

void RoomsOpen::connectTo(const QUrl &url)
{
    m_connection = new LoadConnection(this);
    connect(m_connection, &LoadConnection::hello, this, &RoomsOpen::onHello);
    connect(m_connection, &LoadConnection::closed, this,
            [this, path = url.path()](const QString &why) {
                fail(QStringLiteral("%1: %2").arg(path, why));
            });
    m_timeout.start(m_options.setupTimeoutS * 1000);
    m_roomStarted = m_clock.nsecsElapsed();
    m_connection->open(url);
}

void RoomsOpen::onHello()
{
    const qint64 now = m_clock.nsecsElapsed();
    m_connection->close();
    m_connection->deleteLater();
    m_connection = nullptr;
    if (m_done)
        return;
    if (!m_pass) { // warmed up
        QTimer::singleShot(settleMs, this, [this] {
            m_result.rssBeforeKb = rssKb();
            startPass(&m_result.open);
        });
        return;
    }
    m_pass->room.add((now - m_roomStarted) / 1000);
    const int batch = qMax(1, m_options.batch);
    const int inBatch = (m_room - 1) % batch + 1;
    if (inBatch == batch || m_room == m_options.rooms) {
        m_pass->batchMs.append(double(now - m_batchStarted) / 1e6 / inBatch);
        m_pass->rssAfterKb.append(rssKb());
        m_batchStarted = m_clock.nsecsElapsed();
    }
    if (m_room < m_options.rooms) {
        next();
        return;
    }
    m_pass->seconds = double(now - m_passStarted) / 1e9;
    afterPass();
}

void RoomsOpen::startPass(RoomsPass *pass)
{
    m_pass = pass;
    m_room = 0;
    m_passStarted = m_batchStarted = m_clock.nsecsElapsed();
    next();
}

void RoomsOpen::next()
{
    ++m_room;
    connectTo(roomUrl(m_options, m_room));
}

void RoomsOpen::afterPass()
{
    m_timeout.stop();
    if (m_pass == &m_result.open) {
        QTimer::singleShot(settleMs, this, [this] {
            m_result.rssAfterKb = rssKb();
            startPass(&m_result.join);
        });
        return;
    }
    m_done = true;
    emit finished();
}
