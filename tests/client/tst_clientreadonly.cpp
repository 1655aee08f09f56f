// SPDX-License-Identifier: MIT
// The C++ client applies its changes at once; a host that refuses them because an attribute
// is read-only or an object belongs to the host makes it roll them back.
#include "loopback.h"

using namespace objectsync;
using namespace loopback;

namespace {

/*! Owned by the host: clients see it but may not change it. */
class Banner : public SObject
{
    OBJECTSYNC_OBJECT(Banner, "banner")
    OBJECTSYNC_HOST_ONLY
protected:
    void preBuild(const QJsonObject &) override
    {
        addAttribute<StringTopic>(QStringLiteral("text"), QStringLiteral("Welcome"));
    }
};

/*! A note with a read-only counter the host keeps. */
class Tally : public SObject
{
    OBJECTSYNC_OBJECT(Tally, "tally")
protected:
    void preBuild(const QJsonObject &) override
    {
        addAttribute<StringTopic>(QStringLiteral("label"), QString());
        addAttribute<IntTopic>(QStringLiteral("votes"), 3, ClientAccess::ReadOnly);
    }
};

} // namespace

class TstClientReadOnly : public QObject
{
    Q_OBJECT

    std::unique_ptr<Fixture> fx;

    /*! Makes \a a's optimistic \a write, then checks that the host refused it with
     *  \a expected, that \a a rolled it back to \a hostValue and that \a b saw nothing. */
    void expectRolledBack(Client *a, Client *b, const std::function<Result<QString>()> &write,
                          const QString &topic, const QJsonValue &optimistic,
                          const QJsonValue &hostValue, const QString &expected)
    {
        QSignalSpy rejected(a, &Client::actionRejected);
        QSignalSpy rolledBack(a, &Client::rolledBack);
        QSignalSpy seenByB(b, &Client::changeReceived);
        const Result<QString> sent = write(); // the mirror takes it
        QCOMPARE(sent.errorMessage(), QString());
        const QString id = *sent;
        QCOMPARE(a->value(topic), optimistic);
        QTRY_COMPARE_WITH_TIMEOUT(rejected.size(), 1, kTimeout);
        QCOMPARE(rejected.at(0).at(0).toString(), id);
        const QString reason = rejected.at(0).at(1).toString();
        QVERIFY2(reason.contains(expected), qPrintable(reason));
        QCOMPARE(rolledBack.size(), 1);
        QCOMPARE(a->value(topic), hostValue);
        QCOMPARE(a->pendingCount(), 0);
        QCOMPARE(fx->engine.topic(topic)->value(), hostValue);
        QVERIFY(converged(*a, fx->engine));
        QCOMPARE(seenByB.size(), 0);
    }

private slots:
    void init()
    {
        fx = std::make_unique<Fixture>();
        fx->engine.registerType<Banner>();
        fx->engine.registerType<Tally>();
    }
    void cleanup() { fx.reset(); }

    void optimisticWritesToProtectedTopicsAreRolledBack()
    {
        fx->engine.createObject<Tally>(nullptr, QStringLiteral("t"));
        fx->engine.createObject<Banner>(nullptr, QStringLiteral("w"));
        Client *a = fx->connect();
        Client *b = fx->connect();
        const QString votes = attr(QStringLiteral("t"), QStringLiteral("votes"));
        const QString banner = attr(QStringLiteral("w"), QStringLiteral("text"));

        expectRolledBack(
            a, b, [&] { return a->set(votes, 100); }, votes, 100, 3,
            QStringLiteral("attribute 'votes' of object 't' is read-only"));
        expectRolledBack(
            a, b, [&] { return a->add(votes, 1); }, votes, 4, 3,
            QStringLiteral("attribute 'votes' of object 't' is read-only"));
        expectRolledBack(
            a, b, [&] { return a->insertText(banner, 0, QStringLiteral("Not ")); }, banner,
            QStringLiteral("Not Welcome"), QStringLiteral("Welcome"),
            QStringLiteral("object 'w' belongs to the host"));

        // What the client may write still goes through, and the host's writes arrive.
        QVERIFY(
            a->set(attr(QStringLiteral("t"), QStringLiteral("label")), QStringLiteral("lunch")));
        fx->engine.topicAs<IntTopic>(votes)->add(1);
        QTRY_VERIFY_WITH_TIMEOUT(converged(*a, fx->engine) && converged(*b, fx->engine), kTimeout);
        QCOMPARE(b->value(votes), QJsonValue(4));
        QCOMPARE(b->value(attr(QStringLiteral("t"), QStringLiteral("label"))),
                 QJsonValue(QStringLiteral("lunch")));
    }
};

QTEST_GUILESS_MAIN(TstClientReadOnly)
#include "tst_clientreadonly.moc"
