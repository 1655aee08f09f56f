// SPDX-License-Identifier: MIT
// Random but reproducible engine activity for the inspector's model tests, and the seed it
// starts from.
#pragma once

#include "testobjects.h"

#include <QRandomGenerator>
#include <QStringList>

namespace inspectortest {

using namespace objectsync;

/*! The seed of the random activity: OBJECTSYNC_TEST_SEED, or a fixed one. */
inline quint32 testSeed()
{
    bool ok = false;
    const quint32 seed = qEnvironmentVariable("OBJECTSYNC_TEST_SEED").toUInt(&ok);
    return ok ? seed : 20240611u;
}

/*! Random but reproducible engine activity: creations, destructions, moves (some refused),
 *  edits, grouped and rolled-back transitions, undo and redo. */
class Activity
{
public:
    Activity(Engine &engine, quint32 seed) : m_engine(engine), m_rng(seed) {}

    SObject *randomObject(bool includeRoot)
    {
        QStringList ids = m_engine.objectIds();
        ids.sort(); // hash order is not reproducible
        if (!includeRoot)
            ids.removeAll(m_engine.root()->id());
        if (ids.isEmpty())
            return nullptr;
        return m_engine.object(ids.at(int(m_rng.bounded(quint32(ids.size())))));
    }

    void create(SObject *parent)
    {
        if (m_rng.bounded(2))
            m_engine.createObject<Group>(parent);
        else
            m_engine.createObject<Item>(parent);
    }

    void edit(SObject *o)
    {
        if (auto *item = dynamic_cast<Item *>(o)) {
            switch (m_rng.bounded(4)) {
            case 0:
                item->count->set(qint64(m_rng.bounded(1000)));
                break;
            case 1:
                item->name->set(QStringLiteral("n%1").arg(m_rng.bounded(100)));
                break;
            case 2:
                item->style->changeValue(QStringLiteral("color"),
                                         QStringLiteral("c%1").arg(m_rng.bounded(10)));
                break;
            default:
                item->list->append(int(m_rng.bounded(10)));
                break;
            }
        } else if (auto *group = dynamic_cast<Group *>(o)) {
            group->title->set(QStringLiteral("t%1").arg(m_rng.bounded(100)));
        }
    }

    /*! One random step; returns what it did (for failure messages). */
    QString step()
    {
        const quint32 r = m_rng.bounded(100);
        SObject *a = randomObject(true);
        SObject *b = randomObject(false);
        if (r < 28 || !b) {
            static_cast<void>(m_engine.tryTransition([&] { create(a); }));
            return QStringLiteral("create under %1").arg(a->id());
        }
        if (r < 40) {
            const QString id = b->id();
            static_cast<void>(m_engine.tryTransition([&] { m_engine.destroyObject(b); }));
            return QStringLiteral("destroy %1").arg(id);
        }
        if (r < 62) {
            const QString what = QStringLiteral("move %1 to %2").arg(b->id(), a->id());
            static_cast<void>(
                m_engine.tryTransition([&] { m_engine.moveObject(b, a); })); // cycles are refused
            return what;
        }
        if (r < 80) {
            static_cast<void>(m_engine.tryTransition([&] { edit(b); }));
            return QStringLiteral("edit %1").arg(b->id());
        }
        if (r < 86) {
            static_cast<void>(m_engine.tryTransition([&] {
                create(a);
                SObject *c = randomObject(false);
                if (c && !a->isDescendantOf(c))
                    m_engine.moveObject(c, a);
                edit(randomObject(false));
            }));
            return QStringLiteral("grouped transition");
        }
        if (r < 92) {
            static_cast<void>(m_engine.tryTransition([&] {
                create(a);
                if (!b->isDescendantOf(a) && b->parent() != a && !a->isDescendantOf(b))
                    m_engine.moveObject(b, a);
                m_engine.destroyObject(randomObject(false));
                throw Error(QStringLiteral("rolled back on purpose"));
            }));
            return QStringLiteral("rolled back transition");
        }
        SObject *scope = m_rng.bounded(3) ? m_engine.root() : a;
        if (r < 97)
            static_cast<void>(m_engine.undo(scope));
        else
            static_cast<void>(m_engine.redo(scope));
        return QStringLiteral("undo/redo");
    }

    QRandomGenerator &rng() { return m_rng; }

private:
    Engine &m_engine;
    QRandomGenerator m_rng;
};

} // namespace inspectortest
