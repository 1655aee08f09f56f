// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>

QT_BEGIN_NAMESPACE
class QSocketNotifier;
QT_END_NAMESPACE

namespace objectsync {

/*!
 * Turns SIGINT and SIGTERM into a clean QCoreApplication::quit(), so the host shuts down
 * through its destructors instead of dying mid-way. One instance per process.
 */
class SignalWatcher : public QObject
{
    Q_OBJECT
public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override;

signals:
    /*! A signal arrived; quit() has been requested. */
    void terminationRequested(int signal);

private:
    void readSignal();
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace objectsync
