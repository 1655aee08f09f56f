// SPDX-License-Identifier: MIT
// Seeded random operations on an engine, for tst_randomized. Each step is one operation of
// any kind (creations, destructions, moves, copies, undo and redo, stale string edits,
// attribute changes, transactions of several); a refused one must leave the state as it was.
#pragma once

#include "testtypes.h"

#include <QHash>
#include <QRandomGenerator>

namespace testing {

class Simulation
{
public:
    Simulation(quint32 seed, bool scopedUndo);

    Engine &engine() { return m_engine; }
    const QList<TransitionPtr> &log() const { return m_log; }
    int failures() const { return m_failures; }
    int successes() const { return m_successes; }
    QString problem() const { return m_problem; }

    /*! A few objects made before the random part (with no history). */
    void setUp();

    /*! One random operation; false once a problem was found. */
    bool step();

private:
    /*! "id(child child(...))": the shape of a serialized tree. */
    static QString shape(const QJsonObject &node);

    int pick(int n) { return n <= 0 ? 0 : int(m_rng.bounded(n)); }
    bool chance(int percent) { return pick(100) < percent; }

    QList<SObject *> liveObjects() const;
    template<class T> QList<T *> liveOf() const;
    SObject *anyObject(); // the root included

    QJsonValue randomJson(int depth = 0);
    QString randomText();
    QString randomOperation(QString &what);
    QString createOp(QString &what);
    Change emitCreate(const QString &type, const QString &parentId);
    QString destroyOp(QString &what);
    QString moveOp(QString &what);
    QString copyOp(QString &what);
    QString historyOp(QString &what);
    QString staleStringEditOp(QString &what);

    /*! One attribute or tag change on a random object; throws when refused. */
    void attributeOp(QString &what, bool);

    Engine m_engine;
    QRandomGenerator m_rng;
    quint32 m_seed;
    bool m_scopedUndo;
    QList<TransitionPtr> m_log;
    QHash<QString, QStringList> m_versions;
    int m_failures = 0;
    int m_successes = 0;
    int m_clientCounter = 0;
    QString m_problem;
};

} // namespace testing
