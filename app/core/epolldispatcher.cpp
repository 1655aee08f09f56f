// SPDX-License-Identifier: MIT
#include "epolldispatcher.h"

#include "logging.h"

#include <QCoreApplication>
#include <QSocketNotifier>
#include <QTimerEvent>
#include <QVarLengthArray>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace objectsync {

namespace {

// What each kind of notifier waits for, and what wakes it (as Qt's own dispatcher does).
constexpr quint32 watchFor[3] = {EPOLLIN, EPOLLOUT, EPOLLPRI};
constexpr quint32 wakesOn[3] = {EPOLLIN | EPOLLHUP | EPOLLERR, EPOLLOUT | EPOLLERR, EPOLLPRI};

} // namespace

EpollDispatcher::EpollDispatcher(QObject *parent) : QAbstractEventDispatcher(parent)
{
    m_epoll = epoll_create1(EPOLL_CLOEXEC);
    m_wakeFd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (m_epoll < 0 || m_wakeFd < 0) {
        qCWarning(lcHost) << "epoll is not available:" << std::strerror(errno);
        return;
    }
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = m_wakeFd;
    if (epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_wakeFd, &ev) != 0) {
        ::close(m_wakeFd);
        m_wakeFd = -1;
    }
}

EpollDispatcher::~EpollDispatcher()
{
    if (m_wakeFd >= 0)
        ::close(m_wakeFd);
    if (m_epoll >= 0)
        ::close(m_epoll);
}

bool EpollDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags)
{
    m_interrupted.store(false);
    emit awake();
    QCoreApplication::sendPostedEvents();

    const bool includeTimers = !(flags & QEventLoop::X11ExcludeTimers);
    const bool includeNotifiers = !(flags & QEventLoop::ExcludeSocketNotifiers);
    const bool canWait =
        (flags & QEventLoop::WaitForMoreEvents) && !m_interrupted.load() && !m_wakeUpPending.load();
    if (canWait)
        emit aboutToBlock();
    if (m_interrupted.load())
        return false;

    int timeoutMs = 0;
    if (canWait)
        timeoutMs = includeTimers ? timeUntilNextTimer() : -1;
    epoll_event events[256];
    const int n = epoll_wait(m_epoll, events, 256, timeoutMs);
    if (n < 0 && errno != EINTR)
        qCWarning(lcHost) << "epoll_wait failed:" << std::strerror(errno);

    int delivered = 0;
    for (int i = 0; i < n; ++i) {
        if (events[i].data.fd != m_wakeFd)
            continue;
        eventfd_t value = 0;
        static_cast<void>(eventfd_read(m_wakeFd, &value));
        m_wakeUpPending.store(false);
        ++delivered;
    }
    for (int i = 0; includeNotifiers && i < n; ++i) {
        const int fd = events[i].data.fd;
        if (fd == m_wakeFd)
            continue;
        for (int type = 0; type < 3; ++type) {
            if (!(events[i].events & wakesOn[type]))
                continue;
            // Looked up again each time: what an earlier event ran may have changed it.
            const auto it = m_watched.constFind(fd);
            if (it == m_watched.cend())
                break;
            QSocketNotifier *notifier = it->notifiers[type];
            if (!notifier)
                continue;
            QEvent activated(QEvent::SockAct);
            QCoreApplication::sendEvent(notifier, &activated);
            ++delivered;
        }
    }
    if (includeTimers && activateTimers())
        ++delivered;
    return delivered > 0;
}

void EpollDispatcher::updateWatch(int fd, Watched &watched)
{
    quint32 wanted = 0;
    for (int type = 0; type < 3; ++type)
        if (watched.notifiers[type])
            wanted |= watchFor[type];
    if (wanted == watched.events)
        return;
    epoll_event ev{};
    ev.events = wanted;
    ev.data.fd = fd;
    if (wanted == 0) {
        epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, &ev); // fails harmlessly for a closed descriptor
    } else if (epoll_ctl(m_epoll, watched.events ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, &ev) != 0) {
        // The descriptor was closed and its number reused (epoll forgot it), or is still known.
        const int retry = errno == ENOENT ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
        if (epoll_ctl(m_epoll, retry, fd, &ev) != 0)
            qCWarning(lcHost) << "cannot watch socket" << fd << ":" << std::strerror(errno);
    }
    watched.events = wanted;
}

void EpollDispatcher::registerSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    const int type = int(notifier->type());
    if (fd < 0 || type < 0 || type > 2)
        return;
    Watched &watched = m_watched[fd];
    watched.notifiers[type] = notifier;
    updateWatch(fd, watched);
}

void EpollDispatcher::unregisterSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    const int type = int(notifier->type());
    const auto it = m_watched.find(fd);
    if (it == m_watched.end() || type < 0 || type > 2 || it->notifiers[type] != notifier)
        return;
    it->notifiers[type] = nullptr;
    updateWatch(fd, *it);
    if (it->events == 0)
        m_watched.erase(it);
}

EpollDispatcher::Timer *EpollDispatcher::findTimer(int id)
{
    const auto it =
        std::find_if(m_timers.begin(), m_timers.end(), [id](const Timer &t) { return t.id == id; });
    return it == m_timers.end() ? nullptr : &*it;
}

void EpollDispatcher::registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                                    QObject *object)
{
    const qint64 ms = qMax<qint64>(0, interval);
    m_timers.push_back(
        {timerId, ms, timerType, object, Clock::now() + std::chrono::milliseconds(ms)});
}

bool EpollDispatcher::unregisterTimer(int timerId)
{
    const auto it = std::find_if(m_timers.begin(), m_timers.end(),
                                 [timerId](const Timer &t) { return t.id == timerId; });
    if (it == m_timers.end())
        return false;
    m_timers.erase(it);
    return true;
}

bool EpollDispatcher::unregisterTimers(QObject *object)
{
    return std::erase_if(m_timers, [object](const Timer &t) { return t.object == object; }) > 0;
}

QList<QAbstractEventDispatcher::TimerInfo> EpollDispatcher::registeredTimers(QObject *object) const
{
    QList<TimerInfo> out;
    for (const Timer &t : m_timers)
        if (t.object == object)
            out.append(TimerInfo(t.id, int(t.intervalMs), t.type));
    return out;
}

int EpollDispatcher::remainingTime(int timerId)
{
    const Timer *t = findTimer(timerId);
    if (!t)
        return -1;
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(t->due - Clock::now()).count();
    return int(qMax<qint64>(0, left));
}

int EpollDispatcher::timeUntilNextTimer() const
{
    const Timer *next = nullptr;
    for (const Timer &t : m_timers)
        if (!t.delivering && (!next || t.due < next->due))
            next = &t;
    if (!next)
        return -1;
    // Rounded up: waking a little early would only loop to wait again.
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(next->due - Clock::now());
    return int(std::clamp<qint64>(left.count(), 0, std::numeric_limits<int>::max()));
}

bool EpollDispatcher::activateTimers()
{
    const Clock::time_point now = Clock::now();
    QVarLengthArray<std::pair<Clock::time_point, int>, 16> due;
    for (const Timer &t : m_timers)
        if (!t.delivering && t.due <= now)
            due.append({t.due, t.id});
    std::sort(due.begin(), due.end());
    bool any = false;
    for (const auto &[when, id] : due) {
        Timer *t = findTimer(id);
        if (!t || t->delivering)
            continue; // killed, or restarted under the same id, by an earlier timer's handler
        const std::chrono::milliseconds interval(t->intervalMs);
        t->due = t->type == Qt::PreciseTimer && t->due + interval > now ? t->due + interval
                                                                        : now + interval;
        t->delivering = true;
        QObject *object = t->object;
        QTimerEvent event(id);
        QCoreApplication::sendEvent(object, &event);
        any = true;
        if (Timer *after = findTimer(id)) // the vector may have moved
            after->delivering = false;
    }
    return any;
}

void EpollDispatcher::wakeUp()
{
    if (!m_wakeUpPending.exchange(true) && m_wakeFd >= 0)
        static_cast<void>(eventfd_write(m_wakeFd, 1));
}

void EpollDispatcher::interrupt()
{
    m_interrupted.store(true);
    wakeUp();
}

void installEpollDispatcher()
{
    if (qEnvironmentVariable("OBJECTSYNC_EVENT_DISPATCHER") == QLatin1String("qt"))
        return;
    auto *dispatcher = new EpollDispatcher;
    if (!dispatcher->isValid()) {
        delete dispatcher;
        return;
    }
    QCoreApplication::setEventDispatcher(dispatcher); // the application owns it
}

} // namespace objectsync
