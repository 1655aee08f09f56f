// SPDX-License-Identifier: MIT
// Edits to the object tree model's copy: inserting, removing and moving rows with the
// model's notifications, and re-reading a parent's children from the engine when replaying
// did not reproduce them.
#include "objecttreemodel_p.h"

#include "inspectorlogging.h"

#include <objectsync/engine.h>
#include <objectsync/sobject.h>

#include <iterator>

namespace objectsync {

void ObjectTreeModel::insertNodes(Node *parent, int at, std::vector<std::unique_ptr<Node>> nodes)
{
    // Never hold one id twice.
    for (auto it = nodes.begin(); it != nodes.end();) {
        if (find((*it)->id)) {
            qCWarning(lcInspector) << "object tree: not loading" << (*it)->id << "twice";
            m_verify.insert(parent->id);
            it = nodes.erase(it);
        } else {
            ++it;
        }
    }
    if (nodes.empty())
        return;
    const int count = int(nodes.size());
    const bool atEnd = at == int(parent->children.size());
    beginInsertRows(indexOf(parent), at, at + count - 1);
    for (auto &n : nodes) {
        n->parent = parent;
        m_nodes.insert(n->id, n.get());
    }
    parent->children.insert(parent->children.begin() + at, std::make_move_iterator(nodes.begin()),
                            std::make_move_iterator(nodes.end()));
    if (atEnd && !parent->rowsStale) {
        for (int i = at; i < at + count; ++i)
            parent->children[size_t(i)]->row = i;
    } else {
        parent->rowsStale = true;
    }
    endInsertRows();
}

void ObjectTreeModel::dropRows(Node *parent, int first, int last)
{
    const bool atEnd = last + 1 == int(parent->children.size());
    beginRemoveRows(indexOf(parent), first, last);
    const auto begin = parent->children.begin() + first;
    const auto end = parent->children.begin() + last + 1;
    std::vector<std::unique_ptr<Node>> removed(std::make_move_iterator(begin),
                                               std::make_move_iterator(end));
    parent->children.erase(begin, end);
    for (const auto &n : removed)
        forget(n.get());
    if (!atEnd)
        parent->rowsStale = true;
    endRemoveRows();
}

void ObjectTreeModel::removeNode(Node *n)
{
    const int row = rowOf(n);
    dropRows(n->parent, row, row);
}

void ObjectTreeModel::moveNode(Node *n, Node *newParent, int to)
{
    Node *oldParent = n->parent;
    const int from = rowOf(n);
    if (!beginMoveRows(indexOf(oldParent), from, from, indexOf(newParent), to)) {
        qCWarning(lcInspector) << "object tree: cannot move" << n->id << "to" << newParent->id;
        m_verify.insert(newParent->id);
        removeNode(n);
        return;
    }
    std::unique_ptr<Node> owned = std::move(oldParent->children[size_t(from)]);
    oldParent->children.erase(oldParent->children.begin() + from);
    if (from != int(oldParent->children.size()))
        oldParent->rowsStale = true;
    if (oldParent == newParent && to > from)
        --to;
    newParent->children.insert(newParent->children.begin() + to, std::move(owned));
    n->parent = newParent;
    if (!newParent->rowsStale && to == int(newParent->children.size()) - 1)
        n->row = to;
    else
        newParent->rowsStale = true;
    endMoveRows();
}

void ObjectTreeModel::verify(Node *n)
{
    const SObject *o = m_engine->object(n->id);
    if (!o) {
        // Loaded but gone: its parent drops it.
        if (n->parent)
            m_verify.insert(n->parent->id);
        return;
    }
    if (!n->fetched) {
        if (o->children().isEmpty())
            n->fetched = true; // nothing left to load; later children arrive as rows
        return;
    }
    const QList<SObject *> kids = o->children();
    bool same = kids.size() == qsizetype(n->children.size());
    for (qsizetype i = 0; same && i < kids.size(); ++i)
        same = kids.at(i)->id() == n->children[size_t(i)]->id;
    if (same)
        return;
    ++m_repairs;
    qCDebug(lcInspector) << "object tree: re-reading the children of" << n->id;
    if (!repair(n, o->children()))
        resetAll();
}

bool ObjectTreeModel::repair(Node *n, const QList<SObject *> &kids)
{
    QSet<QString> wanted;
    for (const SObject *k : kids)
        wanted.insert(k->id());
    for (int i = int(n->children.size()) - 1; i >= 0; --i) {
        const QString id = n->children[size_t(i)]->id;
        if (wanted.contains(id))
            continue;
        if (const SObject *moved = m_engine->object(id); moved && moved->parent())
            m_verify.insert(moved->parent()->id());
        dropRows(n, i, i);
    }
    for (int i = 0; i < int(kids.size()); ++i) {
        const SObject *k = kids.at(i);
        if (i < int(n->children.size()) && n->children[size_t(i)]->id == k->id())
            continue;
        Node *c = find(k->id());
        if (c && c->parent == n) {
            moveNode(c, n, i);
            continue;
        }
        if (c) {
            if (contains(c, n))
                return false;
            m_verify.insert(c->parent->id);
            removeNode(c);
        }
        std::vector<std::unique_ptr<Node>> nodes;
        nodes.push_back(makeNode(k->id(), k->typeName()));
        insertNodes(n, i, std::move(nodes));
    }
    return true;
}

void ObjectTreeModel::resetAll()
{
    ++m_resets;
    beginResetModel();
    m_insertRun = InsertRun();
    m_removeRun = RemoveRun();
    m_nodes.clear();
    m_verify.clear();
    m_root = makeNode(m_engine->root()->id(), m_engine->root()->typeName());
    m_nodes.insert(m_root->id, m_root.get());
    endResetModel();
}

} // namespace objectsync
