// SPDX-License-Identifier: MIT
// The host's epoll event dispatcher under what Qt programs do: timers of every kind (killed and
// restarted from their own handlers, inside nested loops), posted and queued events, wake-ups
// from other threads, loops that quit, and socket notifiers for hundreds of TCP connections and
// for a real WebSocket server and client.
#include "core/epolldispatcher.h"

#include <objectsync/client.h>
#include <objectsync/engine.h>
#include <objectsync/server.h>

#include <QElapsedTimer>
#include <QEventLoop>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>
#include <QtTest>

using namespace objectsync;

namespace {

/*! Counts its timer events, by timer id. */
class TimerCounter : public QObject
{
public:
    QHash<int, int> fired;
    std::function<void(int)> onFire;

protected:
    void timerEvent(QTimerEvent *event) override
    {
        ++fired[event->timerId()];
        if (onFire)
            onFire(event->timerId());
    }
};

} // namespace

class TstEpollDispatcher : public QObject
{
    Q_OBJECT
private slots:
    void isInstalled()
    {
        QVERIFY(qobject_cast<EpollDispatcher *>(QAbstractEventDispatcher::instance()));
    }

    void timersFireOnTimeAndRepeat()
    {
        QElapsedTimer clock;
        clock.start();
        bool single = false;
        qint64 singleAt = 0;
        QTimer::singleShot(60, [&] {
            single = true;
            singleAt = clock.elapsed();
        });
        int ticks = 0;
        QTimer repeating;
        repeating.setTimerType(Qt::PreciseTimer);
        connect(&repeating, &QTimer::timeout, [&] { ++ticks; });
        repeating.start(10);
        QTRY_VERIFY(single);
        QVERIFY2(singleAt >= 60, qPrintable(QString::number(singleAt)));
        QTRY_VERIFY(ticks >= 10);
        QVERIFY(repeating.remainingTime() >= 0 && repeating.remainingTime() <= 10);

        TimerCounter counter;
        const int zero = counter.startTimer(0);
        const int coarse = counter.startTimer(20, Qt::VeryCoarseTimer);
        QCOMPARE(QAbstractEventDispatcher::instance()->registeredTimers(&counter).size(), 2);
        QTRY_VERIFY(counter.fired.value(zero) > 5 && counter.fired.value(coarse) > 0);
        counter.killTimer(zero);
        const int before = counter.fired.value(zero);
        QTest::qWait(30);
        QCOMPARE(counter.fired.value(zero), before);
        QVERIFY(QAbstractEventDispatcher::instance()->unregisterTimers(&counter));
        QCOMPARE(QAbstractEventDispatcher::instance()->registeredTimers(&counter).size(), 0);
    }

    void timersKilledAndRestartedInTheirHandlers()
    {
        TimerCounter counter;
        int restarted = 0;
        int first = counter.startTimer(5);
        counter.onFire = [&](int id) {
            counter.killTimer(id);
            if (++restarted < 5)
                first = counter.startTimer(5); // often the same id again
        };
        QTRY_COMPARE(restarted, 5);
        QTest::qWait(30);
        QCOMPARE(restarted, 5);
        Q_UNUSED(first)
    }

    void aNestedLoopDoesNotRefireItsTimer()
    {
        TimerCounter counter;
        int other = 0;
        QTimer otherTimer;
        connect(&otherTimer, &QTimer::timeout, [&] { ++other; });
        otherTimer.start(2);
        int depth = 0;
        int maxDepth = 0;
        const int id = counter.startTimer(1);
        counter.onFire = [&](int) {
            ++depth;
            maxDepth = qMax(maxDepth, depth);
            if (depth == 1) {
                QEventLoop nested;
                QTimer::singleShot(40, &nested, &QEventLoop::quit);
                nested.exec(); // other timers run here, this one does not
            }
            --depth;
        };
        QTRY_VERIFY(counter.fired.value(id) >= 2);
        counter.killTimer(id);
        QCOMPARE(maxDepth, 1);
        QVERIFY(other > 5);
    }

    void postedEventsAndWakeUpsFromOtherThreads()
    {
        int queued = 0;
        QMetaObject::invokeMethod(
            this, [&] { ++queued; }, Qt::QueuedConnection);
        QTRY_COMPARE(queued, 1);

        // The main thread blocks in epoll_wait with no timer due; another thread posts to it.
        QElapsedTimer clock;
        std::atomic<qint64> postedAt{-1};
        qint64 deliveredAt = -1;
        QEventLoop loop;
        QThread *thread = QThread::create([&] {
            QThread::msleep(50);
            postedAt = clock.elapsed();
            QMetaObject::invokeMethod(
                &loop,
                [&] {
                    deliveredAt = clock.elapsed();
                    loop.quit();
                },
                Qt::QueuedConnection);
        });
        clock.start();
        thread->start();
        QTimer safety;
        safety.setSingleShot(true);
        connect(&safety, &QTimer::timeout, &loop, &QEventLoop::quit);
        safety.start(5000);
        loop.exec();
        thread->wait();
        delete thread;
        QVERIFY(deliveredAt >= 0);
        QVERIFY2(deliveredAt - postedAt < 500, qPrintable(QString::number(deliveredAt - postedAt)));

        // quit() from another thread ends a loop with nothing else to do (interrupt()).
        QEventLoop idle;
        QThread *quitter = QThread::create([&] {
            QThread::msleep(20);
            idle.quit();
        });
        quitter->start();
        QElapsedTimer waited;
        waited.start();
        QTimer::singleShot(5000, &idle, &QEventLoop::quit);
        idle.exec();
        quitter->wait();
        delete quitter;
        QVERIFY(waited.elapsed() < 2000);
    }

    void manyTcpConnectionsEcho()
    {
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        std::vector<std::unique_ptr<QTcpSocket>> accepted;
        connect(&server, &QTcpServer::newConnection, [&] {
            while (QTcpSocket *s = server.nextPendingConnection()) {
                connect(s, &QTcpSocket::readyRead, s, [s] { s->write(s->readAll()); });
                accepted.emplace_back(s);
            }
        });
        const int n = 300;
        std::vector<std::unique_ptr<QTcpSocket>> clients;
        QHash<QTcpSocket *, QByteArray> received;
        for (int i = 0; i < n; ++i) {
            auto socket = std::make_unique<QTcpSocket>();
            QTcpSocket *s = socket.get();
            connect(s, &QTcpSocket::readyRead, s, [s, &received] { received[s] += s->readAll(); });
            connect(s, &QTcpSocket::connected, s,
                    [s, i] { s->write(QByteArray::number(i).rightJustified(8, '0')); });
            s->connectToHost(QHostAddress::LocalHost, server.serverPort());
            clients.push_back(std::move(socket));
        }
        QTRY_VERIFY_WITH_TIMEOUT(received.size() == n, 10000);
        for (int i = 0; i < n; ++i)
            QTRY_COMPARE(received.value(clients[i].get()),
                         QByteArray::number(i).rightJustified(8, '0'));
        // Sockets closed and replaced by new ones reuse descriptor numbers.
        clients.resize(n / 2);
        accepted.clear();
        QTcpSocket again;
        QByteArray echoed;
        connect(&again, &QTcpSocket::readyRead, [&] { echoed += again.readAll(); });
        again.connectToHost(QHostAddress::LocalHost, server.serverPort());
        QVERIFY(again.waitForConnected(5000));
        again.write("once more");
        QTRY_COMPARE(echoed, QByteArray("once more"));
    }

    void aWebSocketServerAndClient()
    {
        Engine engine;
        engine.addTopic(QStringLiteral("greeting"), TopicType::String, QStringLiteral("hi"));
        Server server(&engine);
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        Client a;
        Client b;
        a.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(server.port())));
        b.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(server.port())));
        QTRY_COMPARE(a.state(), Client::State::Connected);
        QTRY_COMPARE(b.state(), Client::State::Connected);
        a.subscribe(QStringLiteral("greeting"));
        b.subscribe(QStringLiteral("greeting"));
        QTRY_COMPARE(b.value(QStringLiteral("greeting")).toString(), QStringLiteral("hi"));
        QVERIFY(a.set(QStringLiteral("greeting"), QStringLiteral("hello")).ok());
        QTRY_COMPARE(b.value(QStringLiteral("greeting")).toString(), QStringLiteral("hello"));
        QCOMPARE(engine.topic(QStringLiteral("greeting"))->value().toString(),
                 QStringLiteral("hello"));
    }
};

int main(int argc, char *argv[])
{
    objectsync::installEpollDispatcher();
    QCoreApplication app(argc, argv);
    TstEpollDispatcher test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_epolldispatcher.moc"
