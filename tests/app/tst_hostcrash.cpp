// SPDX-License-Identifier: MIT
// The real objectsync-host killed (SIGKILL) at random points while C++ clients write over
// the network, in the default room alone and in three rooms at once: after a restart on the
// same workspace, every change the host confirmed to a client is there, in its room, and
// client ids (and the object ids made from them) are never reused within a room.
#include <objectsync/client.h>

#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

using namespace objectsync;

namespace {

const QString hostExe = QStringLiteral(OBJECTSYNC_HOST_EXE);
const QString pluginDir = QStringLiteral(OBJECTSYNC_EXAMPLE_PLUGIN_DIR);

QString textTopic(const QString &objectId)
{
    return QStringLiteral("a/%1/text").arg(objectId);
}

/*! What was sent about one object: its texts in the order sent, and how many of them the
 *  host confirmed (the first confirmed text is the creation). */
struct ObjectRecord
{
    QStringList texts;
    int confirmed = 0; //!< texts[0 .. confirmed-1] were confirmed, in order
};

/*! One client that keeps creating text objects and rewriting their texts. */
class Writer : public QObject
{
public:
    Writer(QMap<QString, ObjectRecord> *records, quint32 seed) : m_records(records), m_rng(seed)
    {
        m_client.setFollow(Client::Follow::Everything);
        connect(&m_client, &Client::actionConfirmed, this, [this](const QString &actionId) {
            const auto it = m_sent.constFind(actionId);
            if (it == m_sent.cend())
                return;
            ObjectRecord &r = (*m_records)[it->first];
            r.confirmed = qMax(r.confirmed, it->second + 1);
            ++confirmations;
            if (it->second == 0)
                m_mine.append(it->first);
        });
        connect(&m_client, &Client::actionRejected, this,
                [this](const QString &, const QString &reason) { rejections.append(reason); });
        m_timer.setInterval(2);
        connect(&m_timer, &QTimer::timeout, this, [this] { step(); });
    }

    Client &client() { return m_client; }
    void start()
    {
        id = m_client.clientId();
        m_timer.start();
    }
    void stop()
    {
        m_timer.stop();
        m_client.close();
    }

    int id = 0; //!< the client id the host gave
    int confirmations = 0;
    QStringList rejections;

private:
    void step()
    {
        if (m_client.state() != Client::State::Connected) {
            m_timer.stop(); // the host is gone
            return;
        }
        if (m_client.pendingCount() >= 8)
            return;
        const QString text =
            QStringLiteral("client %1 text %2").arg(m_client.clientId()).arg(++m_counter);
        QString objectId;
        // Rewrite one of this client's confirmed objects, or make a new one.
        if (!m_mine.isEmpty() && m_rng.bounded(3) != 0) {
            objectId = m_mine.at(int(m_rng.bounded(qsizetype(m_mine.size()))));
            if (!m_client.hasValue(textTopic(objectId)))
                return;
            const Result<QString> sent = m_client.set(textTopic(objectId), text);
            if (!sent) {
                qWarning() << "set refused:" << sent.errorMessage();
                return;
            }
            m_sent.insert(*sent, {objectId, int((*m_records)[objectId].texts.size())});
        } else {
            auto action = m_client.action();
            const Result<QString> created =
                m_client.createObject(QStringLiteral("TextObject"), QStringLiteral("root"),
                                      {{QStringLiteral("text"), text}});
            const Result<QString> sent = action.commit();
            if (!created || !sent) {
                qWarning() << "create refused:" << created.errorMessage() << sent.errorMessage();
                return;
            }
            objectId = *created;
            m_sent.insert(*sent, {objectId, 0});
        }
        (*m_records)[objectId].texts.append(text);
    }

    Client m_client;
    QTimer m_timer;
    QMap<QString, ObjectRecord> *m_records;
    QRandomGenerator m_rng;
    QHash<QString, std::pair<QString, int>> m_sent; //!< action id -> object, text index
    QStringList m_mine;                             //!< objects whose creation was confirmed
    int m_counter = 0;
};

/*! objectsync-host on a workspace, with the dom plugin, on a free port. */
class HostProcess
{
public:
    /*! Rooms other than the default one are kept in the folder "rooms" next to
     *  \a workspace, the host's default. */
    explicit HostProcess(const QString &workspace)
    {
        m_process.setProcessChannelMode(QProcess::SeparateChannels);
        m_process.start(hostExe,
                        {QStringLiteral("--headless"), QStringLiteral("--port"),
                         QStringLiteral("0"), QStringLiteral("--no-web"),
                         QStringLiteral("--no-default-plugins"), QStringLiteral("--plugin-dir"),
                         pluginDir, QStringLiteral("--max-messages-per-second"),
                         QStringLiteral("0"), QStringLiteral("--workspace"), workspace,
                         QStringLiteral("--rooms"), QStringLiteral("open")});
    }
    ~HostProcess() { kill(); }

    /*! Waits for the "listening" line; the port, or 0. */
    int waitForPort()
    {
        static const QRegularExpression listening(
            QStringLiteral("listening on ws://127\\.0\\.0\\.1:(\\d+)/"));
        QRegularExpressionMatch m;
        const bool ended = QTest::qWaitFor(
            [&] {
                m_out += QString::fromLocal8Bit(m_process.readAllStandardOutput());
                m = listening.match(m_out);
                return m.hasMatch() || m_process.state() == QProcess::NotRunning;
            },
            20000);
        return ended && m.hasMatch() ? m.captured(1).toInt() : 0;
    }
    void kill()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        m_process.kill(); // SIGKILL
        m_process.waitForFinished(10000);
    }
    QString errors() { return QString::fromLocal8Bit(m_process.readAllStandardError()); }

private:
    QProcess m_process;
    QString m_out;
};

} // namespace

class TstHostCrash : public QObject
{
    Q_OBJECT
private slots:
    void confirmedChangesSurviveKill_data()
    {
        QTest::addColumn<QStringList>("rooms"); // WebSocket paths
        QTest::newRow("default room") << QStringList{QStringLiteral("/")};
        QTest::newRow("three rooms") << QStringList{
            QStringLiteral("/"), QStringLiteral("/rooms/north"), QStringLiteral("/rooms/south")};
    }

    void confirmedChangesSurviveKill()
    {
        QFETCH(QStringList, rooms);
        const quint32 seed = qEnvironmentVariableIsSet("OBJECTSYNC_TEST_SEED")
                                 ? quint32(qEnvironmentVariableIntValue("OBJECTSYNC_TEST_SEED"))
                                 : 20240612u;
        qInfo("seed %u (set OBJECTSYNC_TEST_SEED to repeat another run)", seed);
        QRandomGenerator rng(seed);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString workspace = dir.filePath(QStringLiteral("crash.osw"));

        // By room: what was sent, and the highest id of a client that had a change confirmed.
        QMap<QString, QMap<QString, ObjectRecord>> records;
        QMap<QString, int> highestUsedClientId;
        int totalConfirmed = 0;
        const int rounds = 6;
        for (int round = 0; round <= rounds; ++round) {
            HostProcess host(workspace);
            const int port = host.waitForPort();
            QVERIFY2(port > 0, qPrintable(host.errors()));
            const auto urlOf = [port](const QString &path) {
                return QUrl(QStringLiteral("ws://127.0.0.1:%1%2").arg(port).arg(path));
            };
            for (const QString &room : std::as_const(rooms))
                verifyRoom(urlOf(room), round, records[room], highestUsedClientId[room]);
            if (QTest::currentTestFailed())
                return;
            if (round == rounds)
                break;

            // Clients write until the host is killed at a random moment.
            std::vector<std::unique_ptr<Writer>> writers;
            std::vector<QString> roomOf;
            const int clients = 2 + int(rng.bounded(2));
            for (const QString &room : std::as_const(rooms)) {
                for (int i = 0; i < clients; ++i) {
                    writers.push_back(std::make_unique<Writer>(&records[room], rng.generate()));
                    roomOf.push_back(room);
                    writers.back()->client().open(urlOf(room));
                }
            }
            for (const auto &w : writers) {
                QTRY_COMPARE(w->client().state(), Client::State::Connected);
                w->start();
            }
            // At least one confirmation in every room first (a slow machine may need a
            // while), then a random moment.
            const auto confirmedIn = [&](const QString &room) {
                int n = 0;
                for (std::size_t i = 0; i < writers.size(); ++i)
                    n += roomOf[i] == room ? writers[i]->confirmations : 0;
                return n;
            };
            for (const QString &room : std::as_const(rooms))
                QTRY_VERIFY_WITH_TIMEOUT(confirmedIn(room) > 0, 20000);
            const int killAfterMs = int(rng.bounded(0, 600));
            QTest::qWait(killAfterMs);
            host.kill();
            int confirmed = 0;
            for (std::size_t i = 0; i < writers.size(); ++i) {
                Writer &w = *writers[i];
                QVERIFY2(w.rejections.isEmpty(), qPrintable(w.rejections.join(u'\n')));
                if (w.confirmations > 0)
                    highestUsedClientId[roomOf[i]] = qMax(highestUsedClientId[roomOf[i]], w.id);
                confirmed += w.confirmations;
                w.stop();
            }
            qInfo("round %d: %d clients in each of %d rooms, killed %d ms after the first "
                  "confirmations, %d changes confirmed",
                  round, clients, int(rooms.size()), killAfterMs, confirmed);
            totalConfirmed += confirmed;
        }
        QVERIFY(totalConfirmed > 0);
        for (const QString &room : std::as_const(rooms))
            QVERIFY2(!records[room].isEmpty(), qPrintable(room));
    }

private:
    /*! Everything confirmed in the room at \a url before the last kill is there; what
     *  nobody saw confirmed and is not there is forgotten. */
    void verifyRoom(const QUrl &url, int round, QMap<QString, ObjectRecord> &records,
                    int highestUsedClientId)
    {
        Client checker;
        checker.setFollow(Client::Follow::Everything);
        checker.open(url);
        QTRY_COMPARE(checker.state(), Client::State::Connected);
        QVERIFY2(checker.clientId() > highestUsedClientId,
                 qPrintable(QStringLiteral("client id %1 after %2")
                                .arg(checker.clientId())
                                .arg(highestUsedClientId)));
        QTRY_VERIFY(checker.hasValue(QStringLiteral("_objects")));
        for (auto it = records.cbegin(); it != records.cend(); ++it) {
            const ObjectRecord &r = it.value();
            const bool present = checker.objectIds().contains(it.key());
            QVERIFY2(present || r.confirmed == 0,
                     qPrintable(QStringLiteral("round %1: confirmed object %2 is missing")
                                    .arg(round)
                                    .arg(it.key())));
            if (!present)
                continue;
            QTRY_VERIFY(checker.hasValue(textTopic(it.key())));
            // The last confirmed text, or one sent after it (durable, but killed before
            // its confirmation left).
            const QString text = checker.value(textTopic(it.key())).toString();
            const qsizetype index = r.texts.indexOf(text);
            QVERIFY2(index >= 0 && index >= r.confirmed - 1,
                     qPrintable(QStringLiteral("round %1: %2 says \"%3\"; confirmed: \"%4\"")
                                    .arg(round)
                                    .arg(it.key(), text, r.texts.value(r.confirmed - 1))));
            // From now on this text is what the object holds.
            records[it.key()].texts = r.texts.mid(index, 1);
            records[it.key()].confirmed = 1;
        }
        // Objects nobody saw confirmed and that are not there are forgotten.
        for (auto it = records.begin(); it != records.end();) {
            if (!checker.objectIds().contains(it.key()))
                it = records.erase(it);
            else
                ++it;
        }
        checker.close();
    }
};

QTEST_GUILESS_MAIN(TstHostCrash)
#include "tst_hostcrash.moc"
