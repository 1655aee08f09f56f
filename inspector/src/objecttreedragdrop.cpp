// SPDX-License-Identifier: MIT
// Drag and drop in the object tree model: dragged rows carry object ids, and a drop moves
// those objects under the target through the engine.
#include "objecttreemodel_p.h"

#include <objectsync/engine.h>
#include <objectsync/sobject.h>

#include <QMimeData>

namespace objectsync {

const QString ObjectTreeModel::mimeType = QStringLiteral("application/x-objectsync-object-ids");

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
    const QString error = m_engine
                              ->tryTransition([&] {
                                  for (SObject *o : std::as_const(objects))
                                      m_engine->moveObject(o, targetObject);
                              })
                              .errorMessage();
    if (!error.isEmpty()) {
        emit moveRefused(error);
        return false;
    }
    emit objectsMoved(ids, target->id);
    return true;
}

} // namespace objectsync
