// SPDX-License-Identifier: MIT
// The client against a scripted host, message by message: how pending local changes are
// reconciled with what the host answers (confirmations, rejections, changes made by others
// first, string edits moved over them).
#include "clientunitfixture.h"

using namespace objectsync;
using namespace clientunit;

class TstClientReconcile : public QObject, protected ClientUnitFixture
{
    Q_OBJECT

private slots:
    void cleanup() { stop(); }

    void rejectRollsBackEveryPendingChange()
    {
        start();
        QSignalSpy rejected(client.get(), &Client::actionRejected);
        const QString first = client->set("n", 10).valueOr({});
        QVERIFY(!first.isEmpty());
        QVERIFY(client->addKey("d", "new", 1));
        QCOMPARE(client->pendingCount(), 2);
        QTRY_COMPARE_WITH_TIMEOUT(host->args("action").size(), 2, kTimeout);
        host->send("reject", {{"reason", "no"}});
        QTRY_COMPARE_WITH_TIMEOUT(rejected.size(), 1, kTimeout);
        QCOMPARE(rejected.at(0).at(0).toString(), first); // the oldest unanswered action
        QCOMPARE(rejected.at(0).at(1).toString(), QStringLiteral("no"));
        QCOMPARE(client->value("n"), QJsonValue(1));
        QCOMPARE(client->value("d"), QJsonValue(QJsonObject{{"k", 1}}));
        QCOMPARE(client->pendingCount(), 0);
        // The second action was accepted by the host after all: it arrives as a host change.
        const QJsonObject second = host->args("action").at(1);
        host->send("update", update(second.value("commands").toArray(),
                                    second.value("action_id").toString()));
        QTRY_COMPARE_WITH_TIMEOUT(client->value("d"), QJsonValue(QJsonObject{{"k", 1}, {"new", 1}}),
                                  kTimeout);
    }

    void rejectNamingItsActionDropsOnlyThatAction()
    {
        start();
        QSignalSpy rejected(client.get(), &Client::actionRejected);
        const QString first = client->set("n", 10).valueOr({});
        QVERIFY(!first.isEmpty());
        const QString second = client->addKey("d", "z", 0).valueOr({});
        QVERIFY(!second.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(host->args("action").size(), 2, kTimeout);
        host->send("update", update(host->args("action").at(0).value("commands").toArray(), first));
        host->send("reject", {{"reason", "no"}, {"action_id", second}});
        QTRY_COMPARE_WITH_TIMEOUT(rejected.size(), 1, kTimeout);
        QCOMPARE(rejected.at(0).at(0).toString(), second);
        QCOMPARE(client->value("n"), QJsonValue(10));
        QCOMPARE(client->value("d"), QJsonValue(QJsonObject{{"k", 1}}));
        QCOMPARE(client->pendingCount(), 0);
    }

    void hostChangesFirstGoBelowLocalOnes()
    {
        start();
        QSignalSpy rolled(client.get(), &Client::rolledBack);
        QSignalSpy confirmed(client.get(), &Client::actionConfirmed);
        QVERIFY(client->add("n", 5));
        QVERIFY(client->insertText("s", 0, "X"));
        QTRY_COMPARE_WITH_TIMEOUT(host->args("action").size(), 2, kTimeout);
        // Another client's changes were committed first.
        host->send("update", update({change("n", "int", "add", "9_1", {{"value", 100}})}, "9_2"));
        host->send("update", update({change("s", "string", "insert", "9_3",
                                            {{"position", 3},
                                             {"insertion", "!"},
                                             {"topic_version", "v0"},
                                             {"result_topic_version", "w1"}})},
                                    "9_4"));
        QTRY_COMPARE_WITH_TIMEOUT(client->value("s"), QJsonValue("Xabc!"), kTimeout);
        QCOMPARE(client->value("n"), QJsonValue(106)); // 1 + 100 from the host, + 5 on top
        QCOMPARE(client->pendingCount(), 2);
        // Then the host commits ours: the edit moved as predicted, with a new id.
        const auto actions = host->args("action");
        host->send("update", update(actions.at(0).value("commands").toArray(),
                                    actions.at(0).value("action_id").toString()));
        QJsonObject mine = actions.at(1).value("commands").toArray().at(0).toObject();
        mine.insert("id", mine.value("id").toString() + "_adjust");
        mine.insert("topic_version", "w1");
        host->send("update", update({mine}, actions.at(1).value("action_id").toString()));
        QTRY_COMPARE_WITH_TIMEOUT(confirmed.size(), 2, kTimeout);
        QCOMPARE(client->pendingCount(), 0);
        QCOMPARE(rolled.size(), 0);
        QCOMPARE(client->value("s"), QJsonValue("Xabc!"));
        QCOMPARE(client->version("s"), mine.value("result_topic_version").toString());
        QCOMPARE(client->value("n"), QJsonValue(106));
    }

    void heldEditIsMovedOverHostChangesThenSent()
    {
        start();
        QVERIFY(client->insertText("s", 3, "d"));
        QVERIFY(client->insertText("s", 4, "e")); // held: the first edit is unanswered
        QVERIFY(client->deleteText("s", 0, 1));   // held too
        QCOMPARE(client->value("s"), QJsonValue("bcde"));
        QTRY_COMPARE_WITH_TIMEOUT(host->args("action").size(), 1, kTimeout);
        // Someone typed at the front first; the host moves our first edit over it.
        host->send("update", update({change("s", "string", "insert", "9_1",
                                            {{"position", 0},
                                             {"insertion", ">>"},
                                             {"topic_version", "v0"},
                                             {"result_topic_version", "w1"}})},
                                    "9_2"));
        QTRY_COMPARE_WITH_TIMEOUT(client->value("s"), QJsonValue(">>bcde"), kTimeout);
        QCOMPARE(host->args("action").size(), 1);
        QJsonObject first = lastAction().value("commands").toArray().at(0).toObject();
        first.insert("id", first.value("id").toString() + "_adjust");
        first.insert("position", 5);
        host->send("update", update({first}, lastAction().value("action_id").toString()));
        // Now the held actions go, moved over the host's insert and named against the version
        // the host confirmed.
        QTRY_COMPARE_WITH_TIMEOUT(host->args("action").size(), 2, kTimeout);
        const QJsonObject second = lastAction().value("commands").toArray().at(0).toObject();
        QCOMPARE(second.value("position").toInt(), 6);
        QCOMPARE(second.value("insertion").toString(), QStringLiteral("e"));
        QCOMPARE(second.value("topic_version").toString(),
                 first.value("result_topic_version").toString());
        QCOMPARE(client->value("s"), QJsonValue(">>bcde"));
        echoLastAction();
        QTRY_COMPARE_WITH_TIMEOUT(host->args("action").size(), 3, kTimeout);
        const QJsonObject third = lastAction().value("commands").toArray().at(0).toObject();
        QCOMPARE(third.value("type").toString(), QStringLiteral("delete"));
        QCOMPARE(third.value("position").toInt(), 2);
        QCOMPARE(third.value("deletion").toString(), QStringLiteral("a"));
        echoLastAction();
        QTRY_COMPARE_WITH_TIMEOUT(client->pendingCount(), 0, kTimeout);
        QCOMPARE(client->value("s"), QJsonValue(">>bcde"));
    }

    void predictionMissFallsBackToTheHost()
    {
        start();
        QSignalSpy rolled(client.get(), &Client::rolledBack);
        QVERIFY(client->insertText("s", 1, "X"));
        QVERIFY(client->set("n", 7));
        QTRY_COMPARE_WITH_TIMEOUT(host->args("action").size(), 2, kTimeout);
        const auto actions = host->args("action");
        // The host placed the edit elsewhere than the client expected.
        QJsonObject mine = actions.at(0).value("commands").toArray().at(0).toObject();
        mine.insert("id", mine.value("id").toString() + "_adjust");
        mine.insert("position", 3);
        host->send("update", update({mine}, actions.at(0).value("action_id").toString()));
        QTRY_COMPARE_WITH_TIMEOUT(rolled.size(), 1, kTimeout);
        QCOMPARE(client->value("s"), QJsonValue("abcX"));
        QCOMPARE(client->value("n"), QJsonValue(1)); // dropped too, until the host says
        host->send("update", update(actions.at(1).value("commands").toArray(),
                                    actions.at(1).value("action_id").toString()));
        QTRY_COMPARE_WITH_TIMEOUT(client->value("n"), QJsonValue(7), kTimeout);
        QCOMPARE(client->pendingCount(), 0);
    }

    void actionThatNoLongerAppliesIsDropped()
    {
        start();
        QSignalSpy rejected(client.get(), &Client::actionRejected);
        const QString id = client->addKey("d", "x", 1).valueOr({});
        QVERIFY(!id.isEmpty());
        QVERIFY(client->set("n", 2));
        QTRY_COMPARE_WITH_TIMEOUT(host->args("action").size(), 2, kTimeout);
        // Someone added the same key first: the host will refuse ours.
        host->send(
            "update",
            update({change("d", "dict", "add", "9_1", {{"key", "x"}, {"value", 9}})}, "9_2"));
        QTRY_COMPARE_WITH_TIMEOUT(client->value("d"), QJsonValue(QJsonObject{{"k", 1}, {"x", 9}}),
                                  kTimeout);
        QCOMPARE(client->value("n"), QJsonValue(2)); // the other action stays
        QCOMPARE(client->pendingCount(), 1);
        host->send("reject", {{"reason", "exists"}, {"action_id", id}});
        QTRY_COMPARE_WITH_TIMEOUT(rejected.size(), 1, kTimeout);
        QCOMPARE(client->value("n"), QJsonValue(2));
        echoLastAction();
        QTRY_COMPARE_WITH_TIMEOUT(client->pendingCount(), 0, kTimeout);
        QCOMPARE(client->value("n"), QJsonValue(2));
    }

    void ownChangeOutOfOrderResetsToTheHost()
    {
        start();
        QSignalSpy rolled(client.get(), &Client::rolledBack);
        QVERIFY(client->set("n", 5));
        QVERIFY(client->set("g", "x"));
        QTRY_COMPARE_WITH_TIMEOUT(host->args("action").size(), 2, kTimeout);
        // The host answers the second action first (it cannot, but the client must cope).
        const auto actions = host->args("action");
        host->send("update", update(actions.at(1).value("commands").toArray(),
                                    actions.at(1).value("action_id").toString()));
        QTRY_COMPARE_WITH_TIMEOUT(rolled.size(), 1, kTimeout);
        QCOMPARE(client->pendingCount(), 0);
        QCOMPARE(client->value("g"), QJsonValue("x"));
        QCOMPARE(client->value("n"), QJsonValue(1));
    }
};

QTEST_GUILESS_MAIN(TstClientReconcile)
#include "tst_clientreconcile.moc"
