// SPDX-License-Identifier: MIT
// The rule docs/plugins.md and docs/protocol.md give for services: the host opens no
// transition around a call. While a service runs, currentOrigin() is the caller and every
// transition it causes carries that origin; each change made outside a transaction is a
// transition of its own; a transaction makes several changes one all-or-nothing step.
// (Session::onRequest() calls Engine::callService() with the client's id, as done here.)
#include <objectsync/engine.h>
#include <objectsync/error.h>

#include <QtTest>

using namespace objectsync;

namespace {

constexpr int caller = 7;

} // namespace

class TstServiceTransactions : public QObject
{
    Q_OBJECT
private slots:
    void init()
    {
        m_engine = std::make_unique<Engine>();
        m_a = m_engine->addTopic<IntTopic>(QStringLiteral("a"));
        m_b = m_engine->addTopic<IntTopic>(QStringLiteral("b"));
        m_committed.clear();
        connect(m_engine.get(), &Engine::transitionCommitted, this,
                [this](const TransitionPtr &t) { m_committed.append(t); });
    }
    void cleanup() { m_engine.reset(); }

    void noTransitionIsOpenAroundACall()
    {
        bool inTransition = true;
        int origin = -1;
        m_engine->registerService(QStringLiteral("look"), [&](const QJsonObject &) {
            inTransition = m_engine->inTransition();
            origin = m_engine->currentOrigin();
            return QJsonValue();
        });
        m_engine->callService(QStringLiteral("look"), {}, caller);
        QVERIFY(!inTransition);
        QCOMPARE(origin, caller);
        QVERIFY(m_committed.isEmpty()); // a call alone commits nothing
        QCOMPARE(m_engine->currentOrigin(), 0);
    }

    void eachChangeOutsideATransactionIsATransition()
    {
        m_engine->registerService(QStringLiteral("two"), [&](const QJsonObject &) {
            m_a->set(1);
            m_b->set(2);
            return QJsonValue();
        });
        m_engine->callService(QStringLiteral("two"), {}, caller);
        QCOMPARE(m_committed.size(), 2);
        for (const TransitionPtr &t : std::as_const(m_committed)) {
            QCOMPARE(t->origin, caller);
            QCOMPARE(t->changes.size(), 1);
        }
        // Undone one at a time, too.
        QCOMPARE(m_engine->undo().errorMessage(), QString());
        QCOMPARE(m_a->get(), 1);
        QCOMPARE(m_b->get(), 0);
    }

    void aTransactionMakesOneStep()
    {
        m_engine->registerService(QStringLiteral("two"), [&](const QJsonObject &) {
            auto transaction = m_engine->transaction();
            m_a->set(1);
            m_b->set(2);
            transaction.commit();
            return QJsonValue();
        });
        m_engine->callService(QStringLiteral("two"), {}, caller);
        QCOMPARE(m_committed.size(), 1);
        QCOMPARE(m_committed.first()->origin, caller);
        QCOMPARE(m_committed.first()->changes.size(), 2);
        QCOMPARE(m_engine->undo().errorMessage(), QString());
        QCOMPARE(m_a->get(), 0);
        QCOMPARE(m_b->get(), 0);
    }

    void aFailureKeepsWhatWasCommittedBeforeIt()
    {
        m_engine->registerService(QStringLiteral("half"), [&](const QJsonObject &) -> QJsonValue {
            m_a->set(1);
            throw Error(QStringLiteral("stopped half-way"));
        });
        QVERIFY_THROWS_EXCEPTION(Error, m_engine->callService(QStringLiteral("half"), {}, caller));
        QCOMPARE(m_a->get(), 1);
        QCOMPARE(m_committed.size(), 1);
    }

    void aFailureInsideATransactionKeepsNothing()
    {
        m_engine->registerService(QStringLiteral("none"), [&](const QJsonObject &) -> QJsonValue {
            auto transaction = m_engine->transaction();
            m_a->set(1);
            m_b->set(2);
            throw Error(QStringLiteral("changed my mind"));
        });
        QVERIFY_THROWS_EXCEPTION(Error, m_engine->callService(QStringLiteral("none"), {}, caller));
        QCOMPARE(m_a->get(), 0);
        QCOMPARE(m_b->get(), 0);
        QVERIFY(m_committed.isEmpty());
    }

private:
    std::unique_ptr<Engine> m_engine;
    IntTopic *m_a = nullptr;
    IntTopic *m_b = nullptr;
    QList<TransitionPtr> m_committed;
};

QTEST_GUILESS_MAIN(TstServiceTransactions)
#include "tst_servicetransactions.moc"
