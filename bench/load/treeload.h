// SPDX-License-Identifier: MIT
#pragma once

#include "loadoptions.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

class LoadConnection;

/*! What loading a tree cost a new client. */
struct TreeResult
{
    QString error;
    qint64 objectsCreated = 0; //!< by the populating client
    double populateSeconds = 0;
    qint64 objects = 0;     //!< in _objects when loaded
    qint64 topics = 0;      //!< topics subscribed (their init values awaited)
    double seconds = 0;     //!< from opening the connection to the last init value
    double listSeconds = 0; //!< ... to the topic list's value
    qint64 bytes = 0;       //!< received by the loading client, UTF-8
    qint64 frames = 0;
};

/*!
 * Optionally creates the objects (create_object events in batches), then opens a new
 * connection that subscribes to the topic list, then to _objects and every parent_id/ and
 * a/ topic (and tags/ if asked), and times it until every init value has arrived.
 *
 * With `join`, each round also loads the same topics with the batched join: one
 * `subscribe_many` (the topic list and _objects by name, the rest by prefix) answered with
 * `init_many` messages, timed until the last one. `rounds` repeats both loads.
 */
class TreeLoad : public QObject
{
    Q_OBJECT
public:
    explicit TreeLoad(const LoadOptions &options, QObject *parent = nullptr);
    void start();
    const TreeResult &result() const { return m_result; }
    /*! Every load, per path (batched only with `join`); result() has the populating run. */
    const QList<TreeResult> &perTopicLoads() const { return m_perTopic; }
    const QList<TreeResult> &batchedLoads() const { return m_batched; }

signals:
    void finished();

private:
    void fail(const QString &why);
    void populate();
    void onPopulateFrame(QByteArrayView text);
    void sendBatch();
    void load();
    void onLoadFrame(QByteArrayView text);
    void onJoinFrame(QByteArrayView text);
    void loaded();
    void done();

    LoadOptions m_options;
    TreeResult m_result;
    LoadConnection *m_populator = nullptr;
    LoadConnection *m_loader = nullptr;
    QElapsedTimer m_clock;
    QTimer m_timeout;
    qint64 m_created = 0; // create_object commands sent
    int m_batchesInFlight = 0;
    qint64 m_batchCounter = 0;
    qint64 m_initsWanted = -1;
    qint64 m_initsSeen = 0;
    QByteArray m_objectsFrame;
    QList<QByteArray> m_joinFrames;
    bool m_batchedNow = false;
    int m_round = 0;
    QList<TreeResult> m_perTopic;
    QList<TreeResult> m_batched;
    bool m_done = false;
};
