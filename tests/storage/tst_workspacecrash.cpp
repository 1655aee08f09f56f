// SPDX-License-Identifier: MIT
// Kills a host (workspace_crash_helper) with SIGKILL at random points and checks that every
// transition it acknowledged as durable is there after a restart.
#include "storagetestutil.h"

#include <objectsync/workspace.h>

#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>

using namespace objectsync;
using namespace storagetest;

class TstWorkspaceCrash : public QObject
{
    Q_OBJECT
private slots:
    void acknowledgedTransitionsSurviveKill()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("crash.osw"));
        const quint32 seed = qEnvironmentVariableIsSet("OBJECTSYNC_CRASH_SEED")
                                 ? quint32(qEnvironmentVariableIntValue("OBJECTSYNC_CRASH_SEED"))
                                 : 20240611u;
        qInfo("seed %u (set OBJECTSYNC_CRASH_SEED to repeat another run)", seed);
        QRandomGenerator rng(seed);
        qint64 acknowledged = 0; // highest number any run printed
        const int iterations = 10;
        for (int run = 0; run < iterations; ++run) {
            QProcess helper;
            helper.setProcessChannelMode(QProcess::SeparateChannels);
            helper.start(QStringLiteral(CRASH_HELPER), {path});
            QVERIFY2(helper.waitForStarted(10000), qPrintable(helper.errorString()));

            // Kill after a random number of acknowledgements, plus a random pause so that
            // the kill lands at any point of a write.
            const int killAfter = int(rng.bounded(5, 150));
            const int pauseMs = int(rng.bounded(0, 20));
            QByteArray out;
            int acks = 0;
            QElapsedTimer waited;
            waited.start();
            while (acks < killAfter && waited.elapsed() < 20000 &&
                   helper.state() == QProcess::Running) {
                helper.waitForReadyRead(100);
                const QByteArray chunk = helper.readAllStandardOutput();
                acks += int(chunk.count('\n'));
                out += chunk;
            }
            QVERIFY2(helper.state() == QProcess::Running,
                     helper.readAllStandardError().constData());
            QThread::msleep(pauseMs);
            helper.kill(); // SIGKILL
            QVERIFY(helper.waitForFinished(10000));
            out += helper.readAllStandardOutput();
            const QByteArray errors = helper.readAllStandardError();
            QVERIFY2(!errors.contains("failed"), errors.constData());

            // A line cut short by the kill was never fully printed: it acknowledges nothing.
            QList<QByteArray> lines = out.split('\n');
            lines.removeLast(); // empty, or the unfinished line
            qint64 previous = 0;
            for (const QByteArray &line : std::as_const(lines)) {
                QVERIFY2(line.startsWith("ack "), line.constData());
                const qint64 n = line.mid(4).toLongLong();
                QVERIFY(n > previous); // in order
                previous = n;
                acknowledged = qMax(acknowledged, n);
            }
            QVERIFY2(acks >= killAfter, "the helper acknowledged too little before the timeout");

            // Restart: every acknowledged transition is there, in order, and nothing after
            // a missing one (the state is a prefix of the history).
            Engine engine;
            registerTypes(engine);
            Workspace workspace(&engine);
            VERIFY_OK(workspace.open(path));
            QVERIFY2(workspace.warnings().isEmpty(), qPrintable(workspace.warnings().join(u'\n')));
            auto *items = engine.topicAs<ListTopic>(QStringLiteral("items"));
            auto *last = engine.topicAs<IntTopic>(QStringLiteral("last"));
            QVERIFY(items && last);
            const qint64 restored = last->get();
            QVERIFY2(restored >= acknowledged,
                     qPrintable(QStringLiteral("run %1: acknowledged %2, restored only %3")
                                    .arg(run)
                                    .arg(acknowledged)
                                    .arg(restored)));
            QCOMPARE(items->size(), restored);
            for (qint64 i = 0; i < restored; ++i)
                QCOMPARE(items->at(i).toInteger(), i + 1);
            // Every 7th made a Note; every 10th destroyed the oldest one.
            qint64 alive = 0;
            for (qint64 i = 1; i <= restored; ++i) {
                if (i % 7 == 0)
                    ++alive;
                if (i % 10 == 0 && alive > 0)
                    --alive;
            }
            QCOMPARE(engine.root()->children().size(), alive);
            if (restored >= 7 && alive > 0) {
                const QString newest = QStringLiteral("n%1").arg(restored / 7 * 7);
                QVERIFY2(engine.objectAs<Note>(newest), qPrintable(newest));
            }
            qInfo("run %d: killed after %d acknowledgements (+%d ms); acknowledged up to %lld, "
                  "restored %lld",
                  run, acks, pauseMs, static_cast<long long>(acknowledged),
                  static_cast<long long>(restored));
            acknowledged = restored; // what the next run builds on
            if (run % 2 == 1)
                workspace.close(); // sometimes a clean close (with a snapshot) in between
            else
                QVERIFY(workspace.flush());
        }
        QVERIFY(acknowledged > 0);
    }
};

QTEST_GUILESS_MAIN(TstWorkspaceCrash)
#include "tst_workspacecrash.moc"
