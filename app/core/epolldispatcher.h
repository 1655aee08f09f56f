// SPDX-License-Identifier: MIT
#pragma once

#include <QAbstractEventDispatcher>
#include <QHash>

#include <atomic>
#include <chrono>
#include <vector>

namespace objectsync {

/*!
 * An event dispatcher for the host's main thread built on Linux's epoll: what a wake-up costs
 * does not grow with the number of open sockets. Qt's own dispatcher hands every socket to
 * ppoll() on every wake-up, so with many connections each change a client sends costs time in
 * proportion to all connections, and one busy room slows down when other rooms have clients.
 *
 * It delivers what Qt's dispatchers deliver, in the same way: posted events
 * (QCoreApplication::sendPostedEvents()), QTimerEvent for timers (zero, precise and coarse
 * timers alike, to the millisecond), QEvent::SockAct for socket notifiers (level-triggered),
 * awake() and aboutToBlock(). A timer whose event handler runs a nested event loop is not
 * delivered again inside it. wakeUp() and interrupt() may be called from any thread.
 *
 * Install it before the QCoreApplication is made (QCoreApplication::setEventDispatcher()).
 */
class EpollDispatcher : public QAbstractEventDispatcher
{
    Q_OBJECT
public:
    explicit EpollDispatcher(QObject *parent = nullptr);
    ~EpollDispatcher() override;

    /*! False when the kernel refused an epoll or eventfd descriptor: do not install it. */
    bool isValid() const { return m_epoll >= 0 && m_wakeFd >= 0; }

    bool processEvents(QEventLoop::ProcessEventsFlags flags) override;
    void registerSocketNotifier(QSocketNotifier *notifier) override;
    void unregisterSocketNotifier(QSocketNotifier *notifier) override;
    void registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                       QObject *object) override;
    bool unregisterTimer(int timerId) override;
    bool unregisterTimers(QObject *object) override;
    QList<TimerInfo> registeredTimers(QObject *object) const override;
    int remainingTime(int timerId) override;
    void wakeUp() override;
    void interrupt() override;

private:
    using Clock = std::chrono::steady_clock;
    struct Timer
    {
        int id;
        qint64 intervalMs;
        Qt::TimerType type;
        QObject *object;
        Clock::time_point due;
        bool delivering = false; //!< its event is being handled (maybe in a nested loop)
    };
    /*! The notifiers of one descriptor, by QSocketNotifier::Type. */
    struct Watched
    {
        QSocketNotifier *notifiers[3] = {nullptr, nullptr, nullptr};
        quint32 events = 0; //!< what epoll watches for now
    };

    void updateWatch(int fd, Watched &watched);
    /*! Delivers the timers that are due; true if it delivered any. */
    bool activateTimers();
    /*! Milliseconds until the next timer is due (0 when one is), -1 without timers. */
    int timeUntilNextTimer() const;
    Timer *findTimer(int id);

    int m_epoll = -1;
    int m_wakeFd = -1;
    std::atomic<bool> m_wakeUpPending{false};
    std::atomic<bool> m_interrupted{false};
    QHash<int, Watched> m_watched; //!< descriptor -> its notifiers
    std::vector<Timer> m_timers;
};

/*!
 * Makes an EpollDispatcher the event dispatcher of the main thread, unless the environment
 * variable OBJECTSYNC_EVENT_DISPATCHER is "qt" (Qt's own) or epoll is not available. Call
 * before a QCoreApplication (not a QApplication: a window needs the dispatcher of Qt's
 * platform plugin) is made.
 */
void installEpollDispatcher();

} // namespace objectsync
