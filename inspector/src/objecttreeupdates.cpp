// SPDX-License-Identifier: MIT
// How the object tree model follows the engine: engine signals are recorded as they arrive
// and replayed on the model's copy once per event-loop turn (flush()), with consecutive
// insertions or removals under one parent joined into one.
#include "objecttreemodel_p.h"

#include "inspectorlogging.h"
#include "topicnames.h"

#include <objectsync/engine.h>
#include <objectsync/sobject.h>

#include <QTimer>
#include <utility>

namespace objectsync {

// ---- engine signals: only recorded here, applied by flush() -----------------------------

int ObjectTreeModel::positionOf(const SObject *object)
{
    const SObject *parent = object->parent();
    if (!parent)
        return -1;
    const QList<SObject *> &siblings = parent->children();
    if (!siblings.isEmpty() && siblings.last() == object)
        return int(siblings.size() - 1); // the usual case: appended
    return int(siblings.indexOf(const_cast<SObject *>(object)));
}

void ObjectTreeModel::onObjectCreated(SObject *object)
{
    m_events.append({Event::Created, object->id(), object->typeName(),
                     object->parent() ? object->parent()->id() : QString(), QString(),
                     positionOf(object)});
    schedule();
}

void ObjectTreeModel::onObjectAboutToBeDestroyed(SObject *object)
{
    m_events.append({Event::Destroyed, object->id(), object->typeName(),
                     object->parent() ? object->parent()->id() : QString(), QString()});
    schedule();
}

void ObjectTreeModel::onObjectMoved(SObject *object, SObject *oldParent)
{
    m_events.append({Event::Moved, object->id(), object->typeName(),
                     object->parent() ? object->parent()->id() : QString(),
                     oldParent ? oldParent->id() : QString(), positionOf(object)});
    schedule();
}

void ObjectTreeModel::onTransitionCommitted(const TransitionPtr &transition)
{
    if (!m_trackAttributes)
        return;
    bool any = false;
    for (const Change &c : transition->changes) {
        const QString owner = topicnames::attributeOwner(c.topicName);
        if (!owner.isEmpty()) {
            m_touched.insert(owner);
            any = true;
        }
    }
    if (any)
        schedule();
}

void ObjectTreeModel::onEngineDestroyed()
{
    restart();
}

void ObjectTreeModel::attach()
{
    connect(m_engine, &Engine::objectCreated, this, &ObjectTreeModel::onObjectCreated);
    connect(m_engine, &Engine::objectAboutToBeDestroyed, this,
            &ObjectTreeModel::onObjectAboutToBeDestroyed);
    connect(m_engine, &Engine::objectMoved, this, &ObjectTreeModel::onObjectMoved);
    connect(m_engine, &Engine::transitionCommitted, this, &ObjectTreeModel::onTransitionCommitted);
    connect(m_engine, &QObject::destroyed, this, &ObjectTreeModel::onEngineDestroyed);
}

void ObjectTreeModel::setEngine(Engine *engine)
{
    if (engine == m_engine)
        return;
    if (m_engine)
        disconnect(m_engine, nullptr, this, nullptr);
    m_engine = engine;
    restart();
    if (!m_engine)
        return;
    attach();
    if (m_eager)
        fetchAll();
}

void ObjectTreeModel::restart()
{
    beginResetModel();
    m_insertRun = InsertRun();
    m_removeRun = RemoveRun();
    m_nodes.clear();
    m_root.reset();
    m_events.clear();
    m_touched.clear();
    m_verify.clear();
    if (m_engine) {
        m_root = makeNode(m_engine->root()->id(), m_engine->root()->typeName());
        m_nodes.insert(m_root->id, m_root.get());
    }
    endResetModel();
}

void ObjectTreeModel::schedule()
{
    if (m_scheduled)
        return;
    m_scheduled = true;
    QMetaObject::invokeMethod(this, &ObjectTreeModel::flush, Qt::QueuedConnection);
}

// ---- applying updates ---------------------------------------------------------------------

void ObjectTreeModel::flush()
{
    m_scheduled = false;
    if (m_flushing || !m_engine)
        return;
    if (m_engine->inTransition()) {
        // Reached from a nested event loop while a transition is open: try again later.
        m_scheduled = true;
        QTimer::singleShot(10, this, &ObjectTreeModel::flush);
        return;
    }
    if (m_events.isEmpty() && m_touched.isEmpty() && m_verify.isEmpty())
        return;
    m_flushing = true;
    emit aboutToApplyUpdates();

    const QList<Event> events = std::exchange(m_events, {});
    for (const Event &e : events) {
        m_verify.insert(e.parentId);
        if (!e.oldParentId.isEmpty())
            m_verify.insert(e.oldParentId);
        if (!extendRun(e)) {
            commitRuns();
            replay(e);
        }
    }
    commitRuns();

    // Replaying reproduces the engine's tree; check the parents that changed, and repair
    // any that differ (repairs may in turn touch other parents).
    for (int pass = 0; !m_verify.isEmpty() && m_root; ++pass) {
        if (pass == 8) {
            qCWarning(lcInspector) << "object tree: could not settle the copy, resetting";
            resetAll();
            break;
        }
        const QSet<QString> ids = std::exchange(m_verify, {});
        for (const QString &id : ids) {
            if (Node *n = find(id))
                verify(n);
        }
    }

    if (m_eager) {
        std::vector<Node *> stack{m_root.get()};
        while (!stack.empty()) {
            Node *n = stack.back();
            stack.pop_back();
            if (!n->fetched)
                fetchMore(indexOf(n));
            for (const auto &c : n->children)
                stack.push_back(c.get());
        }
    }

    // Announce objects whose attributes changed, with their ancestors from the top down: a
    // filter that shows the ancestors of matches must look at them again too.
    QSet<const Node *> seen;
    std::vector<const Node *> changed;
    for (const QString &id : std::exchange(m_touched, {})) {
        std::vector<const Node *> path;
        for (const Node *n = find(id); n && !seen.contains(n); n = n->parent) {
            seen.insert(n);
            path.push_back(n);
        }
        changed.insert(changed.end(), path.rbegin(), path.rend());
    }
    for (const Node *n : changed)
        emit dataChanged(indexOf(n, IdColumn), indexOf(n, ColumnCount - 1));
    m_flushing = false;
    emit updatesApplied();
}

bool ObjectTreeModel::extendRun(const Event &e)
{
    if (m_insertRun.parent) {
        // Another object arriving under the same parent joins the pending insertion.
        const int next = m_insertRun.at + int(m_insertRun.nodes.size());
        const int size = int(m_insertRun.parent->children.size()) + int(m_insertRun.nodes.size());
        const bool inSequence = e.index == next || (e.index < 0 && next == size);
        if (e.kind != Event::Destroyed && e.parentId == m_insertRun.parent->id && inSequence &&
            !m_insertRun.ids.contains(e.id) && !find(e.id)) {
            m_insertRun.nodes.push_back(makeNode(e.id, e.typeName));
            m_insertRun.ids.insert(e.id);
            return true;
        }
        return false;
    }
    if (m_removeRun.parent && e.kind != Event::Created) {
        // A neighbour leaving the same parent joins the pending removal.
        const Node *n = find(e.id);
        if (!n || n->parent != m_removeRun.parent)
            return false;
        if (e.kind == Event::Moved) {
            const Node *target = find(e.parentId);
            if (target && target->fetched)
                return false;
        }
        const int row = rowOf(n);
        if (row == m_removeRun.first - 1)
            --m_removeRun.first;
        else if (row == m_removeRun.last + 1)
            ++m_removeRun.last;
        else
            return false;
        return true;
    }
    return false;
}

void ObjectTreeModel::replay(const Event &e)
{
    switch (e.kind) {
    case Event::Created: {
        Node *p = find(e.parentId);
        if (!p || !p->fetched || find(e.id))
            return;
        m_insertRun.parent = p;
        m_insertRun.at = positionIn(p, e.index);
        m_insertRun.nodes.push_back(makeNode(e.id, e.typeName));
        m_insertRun.ids.insert(e.id);
        return;
    }
    case Event::Destroyed: {
        Node *n = find(e.id);
        if (!n || !n->parent)
            return;
        const int row = rowOf(n);
        m_removeRun = {n->parent, row, row};
        return;
    }
    case Event::Moved: {
        Node *n = find(e.id);
        Node *target = find(e.parentId);
        const bool open = target && target->fetched;
        if (n && !n->parent)
            return; // the root does not move
        if (n && open) {
            if (n->parent == target)
                return;
            if (contains(n, target)) {
                // Cannot happen when replaying in order; the check below repairs it.
                removeNode(n);
                return;
            }
            moveNode(n, target, positionIn(target, e.index));
        } else if (n) {
            // Moved under an object whose children are not loaded.
            const int row = rowOf(n);
            m_removeRun = {n->parent, row, row};
        } else if (open) {
            // Came from a part of the tree that is not loaded.
            m_insertRun.parent = target;
            m_insertRun.at = positionIn(target, e.index);
            m_insertRun.nodes.push_back(makeNode(e.id, e.typeName));
            m_insertRun.ids.insert(e.id);
        }
        return;
    }
    }
}

void ObjectTreeModel::commitRuns()
{
    if (m_insertRun.parent) {
        InsertRun run = std::exchange(m_insertRun, InsertRun());
        insertNodes(run.parent, run.at, std::move(run.nodes));
    }
    if (m_removeRun.parent) {
        const RemoveRun run = std::exchange(m_removeRun, RemoveRun());
        dropRows(run.parent, run.first, run.last);
    }
}

} // namespace objectsync
