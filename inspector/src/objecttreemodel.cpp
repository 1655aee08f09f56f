// SPDX-License-Identifier: MIT
// The object tree model's plumbing: its nodes, the QAbstractItemModel interface and loading
// children on request. Engine updates are applied in objecttreeupdates.cpp, the edits they
// make in objecttreeedits.cpp, and drag and drop is in objecttreedragdrop.cpp.
#include "objecttreemodel_p.h"

#include <objectsync/engine.h>
#include <objectsync/sobject.h>

namespace objectsync {

ObjectTreeModel::ObjectTreeModel(Engine *engine, QObject *parent)
    : QAbstractItemModel(parent), m_engine(engine)
{
    if (!engine)
        return;
    m_root = makeNode(engine->root()->id(), engine->root()->typeName());
    m_nodes.insert(m_root->id, m_root.get());
    attach();
}

ObjectTreeModel::~ObjectTreeModel() = default;

// ---- nodes ------------------------------------------------------------------------------

ObjectTreeModel::Node *ObjectTreeModel::node(const QModelIndex &index) const
{
    return index.isValid() ? static_cast<Node *>(index.internalPointer()) : nullptr;
}

std::unique_ptr<ObjectTreeModel::Node> ObjectTreeModel::makeNode(const QString &id,
                                                                 const QString &typeName) const
{
    auto n = std::make_unique<Node>();
    n->id = id;
    n->typeName = typeName;
    // Nothing to load for an object without children: later children are inserted as rows.
    const SObject *o = m_engine ? m_engine->object(id) : nullptr;
    n->fetched = !o || o->children().isEmpty();
    return n;
}

int ObjectTreeModel::rowOf(const Node *n) const
{
    const Node *p = n->parent;
    if (!p)
        return 0;
    if (p->rowsStale) {
        for (size_t i = 0; i < p->children.size(); ++i)
            p->children[i]->row = int(i);
        p->rowsStale = false;
    }
    return n->row;
}

QModelIndex ObjectTreeModel::indexOf(const Node *n, int column) const
{
    if (!n)
        return {};
    return createIndex(rowOf(n), column, const_cast<Node *>(n));
}

QModelIndex ObjectTreeModel::indexOf(const QString &id) const
{
    return indexOf(find(id));
}

QString ObjectTreeModel::objectId(const QModelIndex &index) const
{
    const Node *n = node(index);
    return n ? n->id : QString();
}

int ObjectTreeModel::positionIn(const Node *parent, int index)
{
    const int size = int(parent->children.size());
    return index < 0 || index > size ? size : index;
}

bool ObjectTreeModel::contains(const Node *ancestor, const Node *n)
{
    for (const Node *p = n; p; p = p->parent)
        if (p == ancestor)
            return true;
    return false;
}

void ObjectTreeModel::forget(Node *n)
{
    const auto it = m_nodes.constFind(n->id);
    if (it != m_nodes.cend() && it.value() == n)
        m_nodes.erase(it);
    for (const auto &c : n->children)
        forget(c.get());
}

// ---- QAbstractItemModel -------------------------------------------------------------------

QModelIndex ObjectTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (row < 0 || column < 0 || column >= ColumnCount || !m_root)
        return {};
    if (!parent.isValid())
        return row == 0 ? createIndex(0, column, m_root.get()) : QModelIndex();
    if (parent.column() != 0)
        return {};
    const Node *p = node(parent);
    if (!p->fetched || row >= int(p->children.size()))
        return {};
    return createIndex(row, column, p->children[size_t(row)].get());
}

QModelIndex ObjectTreeModel::parent(const QModelIndex &child) const
{
    const Node *n = node(child);
    if (!n || !n->parent)
        return {};
    return indexOf(n->parent);
}

int ObjectTreeModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return m_root ? 1 : 0;
    if (parent.column() != 0)
        return 0;
    const Node *p = node(parent);
    return p->fetched ? int(p->children.size()) : 0;
}

int ObjectTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

bool ObjectTreeModel::hasChildren(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return m_root != nullptr;
    if (parent.column() != 0)
        return false;
    const Node *p = node(parent);
    if (p->fetched)
        return !p->children.empty();
    const SObject *o = m_engine ? m_engine->object(p->id) : nullptr;
    return o && !o->children().isEmpty();
}

bool ObjectTreeModel::canFetchMore(const QModelIndex &parent) const
{
    const Node *p = node(parent);
    if (!p || p->fetched || parent.column() != 0)
        return false;
    const SObject *o = m_engine ? m_engine->object(p->id) : nullptr;
    return o && !o->children().isEmpty();
}

void ObjectTreeModel::fetchMore(const QModelIndex &parent)
{
    Node *p = node(parent);
    if (!p || p->fetched || !m_engine)
        return;
    p->fetched = true;
    const SObject *o = m_engine->object(p->id);
    if (!o)
        return;
    std::vector<std::unique_ptr<Node>> nodes;
    bool skipped = false;
    for (const SObject *child : o->children()) {
        // Already loaded elsewhere: an update still to be applied moves it here.
        if (find(child->id())) {
            skipped = true;
            continue;
        }
        nodes.push_back(makeNode(child->id(), child->typeName()));
    }
    insertNodes(p, 0, std::move(nodes));
    if (skipped) {
        m_verify.insert(p->id);
        schedule();
    }
}

QVariant ObjectTreeModel::data(const QModelIndex &index, int role) const
{
    const Node *n = node(index);
    if (!n)
        return {};
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        return index.column() == IdColumn ? n->id : n->typeName;
    case Qt::ToolTipRole: {
        const ObjectType *type = m_engine ? m_engine->objectType(n->typeName) : nullptr;
        return tr("%1\ntype %2, shown by clients as \"%3\"")
            .arg(n->id, n->typeName, type ? type->frontendType : QString());
    }
    case ObjectIdRole:
        return n->id;
    case TypeNameRole:
        return n->typeName;
    default:
        return {};
    }
}

QVariant ObjectTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case IdColumn:
        return tr("Object");
    case TypeColumn:
        return tr("Type");
    default:
        return {};
    }
}

Qt::ItemFlags ObjectTreeModel::flags(const QModelIndex &index) const
{
    const Node *n = node(index);
    if (!n)
        return Qt::ItemIsDropEnabled;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDropEnabled;
    if (n->parent)
        f |= Qt::ItemIsDragEnabled;
    return f;
}

// ---- loading on request -------------------------------------------------------------------

QModelIndex ObjectTreeModel::reveal(const QString &id)
{
    if (!m_engine)
        return {};
    flush();
    const SObject *o = m_engine->object(id);
    if (!o)
        return {};
    QList<const SObject *> path;
    for (const SObject *p = o->parent(); p; p = p->parent())
        path.prepend(p);
    for (const SObject *ancestor : std::as_const(path)) {
        Node *n = find(ancestor->id());
        if (!n)
            return {};
        if (!n->fetched)
            fetchMore(indexOf(n));
    }
    return indexOf(id);
}

void ObjectTreeModel::fetchAll()
{
    if (!m_engine || !m_root)
        return;
    flush();
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

void ObjectTreeModel::setEagerFetching(bool eager)
{
    m_eager = eager;
    if (eager)
        fetchAll();
}

void ObjectTreeModel::setTrackAttributeChanges(bool track)
{
    m_trackAttributes = track;
    if (!track)
        m_touched.clear();
}

} // namespace objectsync
