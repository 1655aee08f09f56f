// SPDX-License-Identifier: MIT
#pragma once

#include "loadoptions.h"

#include <QObject>
#include <functional>

class LoadConnection;

/*!
 * A writing connection of the load tool. It prepares the topic it writes, then sends `set`
 * actions whose value is a send time.
 *
 * Preparing: with --topic it looks the topic up in the topic list; otherwise it creates an
 * object of --type (id "<client id>_1") and waits for the object's --attr topic to appear in
 * the topic list. Either way it then subscribes to the topic (its own echoes) and is ready
 * once the topic's init has arrived. Its action ids start with "<client id>_".
 */
class LoadWriter : public QObject
{
    Q_OBJECT
public:
    explicit LoadWriter(const LoadOptions &options, QObject *parent = nullptr);

    void open(const QUrl &url);
    void close();
    bool isReady() const { return m_ready; }
    const QString &topic() const { return m_topic; }
    const QString &topicType() const { return m_topicType; } //!< int, float, generic or string
    /*! Sends one `set` action of the topic whose value is \a stamp (a string for string topics). */
    void sendSet(qint64 stamp);
    /*! Whether the update \a text answers one of this writer's actions. */
    bool isOwnUpdate(QByteArrayView text) const;

    /*! Called for every message once ready; the view is valid during the call only. */
    std::function<void(QByteArrayView message)> onFrame;

signals:
    void ready();
    void failed(const QString &why);

private:
    void onHello();
    void onSetupFrame(QByteArrayView text);
    void found(const QString &topic, const QString &type);

    LoadConnection *m_connection;
    QString m_wantedTopic; //!< --topic, or empty: create an object
    QString m_type;
    QString m_attr;
    QString m_prefix; //!< "<client id>_"
    QByteArray m_prefixUtf8;
    QString m_topic;
    QString m_topicType;
    qint64 m_counter = 0;
    bool m_ready = false;
};
