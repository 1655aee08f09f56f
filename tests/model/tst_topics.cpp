#include <objectsync/objectsync.h>

#include <QtTest>

using namespace objectsync;

class TstTopics : public QObject
{
    Q_OBJECT
private slots:
    void intSetAndAdd()
    {
        Engine e;
        auto *t = e.addTopic<IntTopic>(QStringLiteral("n"));
        t->set(5);
        t->add(3);
        QCOMPARE(t->get(), 8);
        QVERIFY_THROWS_EXCEPTION(Error, t->add(std::numeric_limits<qint64>::max()));
        QCOMPARE(t->get(), 8);
    }
};

QTEST_GUILESS_MAIN(TstTopics)
#include "tst_topics.moc"
