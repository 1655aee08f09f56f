// SPDX-License-Identifier: MIT
#include "objecttreemodel.h"

#include "inspectorlogging.h"
#include "topicnames.h"

#include <objectsync/engine.h>
#include <objectsync/sobject.h>

#include <QMimeData>
#include <QTimer>
#include <iterator>

namespace objectsync {

/*! One loaded object. Children are only known once the node is fetched. */
struct ObjectTreeModel::Node
{
    QString id;
    QString typeName;
    Node *parent = nullptr;
    std::vector<std::unique_ptr<Node>> children;
    mutable int row = 0;            //!< position under the parent, valid unless rowsStale
    mutable bool rowsStale = false; //!< the children's row numbers need renumbering
    bool fetched = false;
};

const QString ObjectTreeModel::mimeType = QStringLiteral("application/x-objectsync-object-ids");

ObjectTreeModel::ObjectTreeModel(Engine *engine, QObject *parent)
    : QAbstractItemModel(parent), m_engine(engine)
{
    if (!engine)
        return;
    m_root = makeNode(engine->root()->id(), engine->root()->typeName());
    m_nodes.insert(m_root->id, m_root.get());
    connect(engine, &Engine::objectCreated, this, &ObjectTreeModel::onObjectCreated);
    connect(engine, &Engine::objectAboutToBeDestroyed, this,
            &ObjectTreeModel::onObjectAboutToBeDestroyed);
    connect(engine, &Engine::objectMoved, this, &ObjectTreeModel::onObjectMoved);
    connect(engine, &Engine::transitionCommitted, this, &ObjectTreeModel::onTransitionCommitted);
    connect(engine, &QObject::destroyed, this, &ObjectTreeModel::onEngineDestroyed);
}

ObjectTreeModel::~ObjectTreeModel() = default;

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
    beginResetModel();
    m_insertRun = InsertRun();
    m_removeRun = RemoveRun();
    m_nodes.clear();
    m_root.reset();
    m_events.clear();
    m_touched.clear();
    m_verify.clear();
    endResetModel();
}

void ObjectTreeModel::schedule()
{
    if (m_scheduled)
        return;
    m_scheduled = true;
    QMetaObject::invokeMethod(this, &ObjectTreeModel::flush, Qt::QueuedConnection);
}

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

// ---- drag and drop ------------------------------------------------------------------------

Qt::DropActions ObjectTreeModel::supportedDragActions() const
{
    return Qt::MoveAction;
}

Qt::DropActions ObjectTreeModel::supportedDropActions() const
{
    return Qt::MoveAction;
}

QStringList ObjectTreeModel::mimeTypes() const
{
    return {mimeType};
}

QMimeData *ObjectTreeModel::mimeData(const QModelIndexList &indexes) const
{
    QStringList ids;
    for (const QModelIndex &index : indexes) {
        const Node *n = node(index);
        if (n && n->parent && !ids.contains(n->id))
            ids.append(n->id);
    }
    if (ids.isEmpty())
        return nullptr;
    auto *data = new QMimeData;
    data->setData(mimeType, ids.join(QLatin1Char('\n')).toUtf8());
    return data;
}

bool ObjectTreeModel::canDropMimeData(const QMimeData *data, Qt::DropAction action, int, int,
                                      const QModelIndex &) const
{
    return data && data->hasFormat(mimeType) && action == Qt::MoveAction && m_engine;
}

bool ObjectTreeModel::dropMimeData(const QMimeData *data, Qt::DropAction action, int row,
                                   int column, const QModelIndex &parent)
{
    if (action == Qt::IgnoreAction)
        return true;
    if (!canDropMimeData(data, action, row, column, parent))
        return false;
    Node *target = parent.isValid() ? node(parent) : m_root.get();
    SObject *targetObject = m_engine->object(target->id);
    if (!targetObject) {
        emit moveRefused(tr("%1 no longer exists").arg(target->id));
        return false;
    }
    const QStringList ids =
        QString::fromUtf8(data->data(mimeType)).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QList<SObject *> objects;
    for (const QString &id : ids) {
        SObject *o = m_engine->object(id);
        if (!o) {
            emit moveRefused(tr("%1 no longer exists").arg(id));
            return false;
        }
        if (o->parent() != targetObject)
            objects.append(o);
    }
    if (objects.isEmpty())
        return false;
    // Load the target's children first so the moved rows stay loaded (and selected).
    if (!target->fetched)
        fetchMore(indexOf(target));
    const QString error = m_engine->tryTransition([&] {
        for (SObject *o : std::as_const(objects))
            m_engine->moveObject(o, targetObject);
    });
    if (!error.isEmpty()) {
        emit moveRefused(error);
        return false;
    }
    emit objectsMoved(ids, target->id);
    return true;
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
