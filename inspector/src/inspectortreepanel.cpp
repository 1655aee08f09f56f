// SPDX-License-Identifier: MIT
// The inspector's object tree: the tree view with its filter, and keeping the selection on
// the right object while the tree changes underneath it.
#include "inspectorwindow_p.h"

#include "objectfilterproxy.h"
#include "objecttreemodel.h"

#include <objectsync/engine.h>
#include <objectsync/sobject.h>

#include <QHeaderView>
#include <QLineEdit>
#include <QTimer>
#include <QTreeView>

namespace objectsync {

QWidget *InspectorWindowPrivate::setupTreePanel()
{
    treeModel = new ObjectTreeModel(engine, q);
    treeModel->setObjectName(QStringLiteral("objectTreeModel"));
    treeProxy = new ObjectFilterProxy(engine, q);
    treeProxy->setSourceModel(treeModel);

    treeFilter = new QLineEdit(q);
    treeFilter->setObjectName(QStringLiteral("objectFilter"));
    treeFilter->setClearButtonEnabled(true);
    treeFilter->setPlaceholderText(
        InspectorWindow::tr("Filter by id, type or value (or id:, type:, value:)"));
    treeFilterTimer = new QTimer(q);
    treeFilterTimer->setSingleShot(true);
    treeFilterTimer->setInterval(150);
    QObject::connect(treeFilter, &QLineEdit::textChanged, treeFilterTimer,
                     qOverload<>(&QTimer::start));
    QObject::connect(treeFilterTimer, &QTimer::timeout, q, [this] { applyTreeFilter(); });

    treeView = new QTreeView(q);
    treeView->setObjectName(QStringLiteral("objectTree"));
    treeView->setModel(treeProxy);
    treeView->setUniformRowHeights(true);
    treeView->setSelectionMode(QAbstractItemView::SingleSelection);
    treeView->setSelectionBehavior(QAbstractItemView::SelectRows);
    treeView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    treeView->setDragEnabled(true);
    treeView->setAcceptDrops(true);
    treeView->setDropIndicatorShown(true);
    treeView->setDragDropMode(QAbstractItemView::InternalMove);
    treeView->setDefaultDropAction(Qt::MoveAction);
    treeView->setContextMenuPolicy(Qt::CustomContextMenu);
    treeView->header()->setStretchLastSection(true);
    treeView->setColumnWidth(ObjectTreeModel::IdColumn, 220);
    treeView->addAction(destroyAction);

    QObject::connect(treeView->selectionModel(), &QItemSelectionModel::selectionChanged, q,
                     [this] { onTreeSelectionChanged(); });
    QObject::connect(treeModel, &ObjectTreeModel::aboutToApplyUpdates, q,
                     [this] { applyingTreeUpdates = true; });
    QObject::connect(treeModel, &ObjectTreeModel::updatesApplied, q,
                     [this] { onTreeUpdatesApplied(); });
    QObject::connect(treeModel, &ObjectTreeModel::moveRefused, q, [this](const QString &why) {
        message(InspectorWindow::tr("Move refused: %1").arg(why));
    });
    QObject::connect(treeModel, &ObjectTreeModel::objectsMoved, q,
                     [this](const QStringList &ids, const QString &parentId) {
                         message(InspectorWindow::tr("Moved %1 under %2")
                                     .arg(ids.join(QStringLiteral(", ")), parentId));
                     });
    QObject::connect(treeView, &QWidget::customContextMenuRequested, q,
                     [this](const QPoint &pos) { showTreeContextMenu(pos); });
    return panel(q, {treeFilter, treeView}, treeView);
}

// ---- selection ----------------------------------------------------------------------------

SObject *InspectorWindowPrivate::selectedObject() const
{
    return engine && !selectedId.isEmpty() ? engine->object(selectedId) : nullptr;
}

QString InspectorWindowPrivate::treeSelectionId() const
{
    const QModelIndexList rows = treeView->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return {};
    return treeModel->objectId(treeProxy->mapToSource(rows.first()));
}

void InspectorWindowPrivate::onTreeSelectionChanged()
{
    // Rows come and go while updates are applied; the selection is settled afterwards.
    if (applyingTreeUpdates)
        return;
    const QString id = treeSelectionId();
    if (id != selectedId)
        showObject(id);
}

void InspectorWindowPrivate::onTreeUpdatesApplied()
{
    const QString current = treeSelectionId();
    if (current == selectedId || selectedId.isEmpty()) {
        applyingTreeUpdates = false;
        if (current != selectedId)
            showObject(current);
        return;
    }
    // The selected object's row went away. If it only moved to a part of the tree that is
    // not loaded, follow it there.
    if (selectedObject()) {
        applyingTreeUpdates = false;
        if (q->selectObject(selectedId))
            return;
        applyingTreeUpdates = true;
    }
    // It is gone (or hidden by the filter): select nothing rather than the row that took
    // its place.
    treeView->selectionModel()->clear();
    applyingTreeUpdates = false;
    showObject(QString());
}

bool InspectorWindow::selectObject(const QString &id)
{
    const QModelIndex source = d->treeModel->reveal(id);
    if (!source.isValid())
        return false;
    const QModelIndex index = d->treeProxy->mapFromSource(source);
    if (!index.isValid())
        return false;
    for (QModelIndex p = index.parent(); p.isValid(); p = p.parent())
        d->treeView->expand(p);
    d->treeView->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                              QItemSelectionModel::Rows);
    d->treeView->scrollTo(index);
    if (d->selectedId != id)
        d->showObject(id);
    return true;
}

QString InspectorWindow::selectedObjectId() const
{
    return d->selectedId;
}

void InspectorWindowPrivate::applyTreeFilter()
{
    const bool filtering = !treeFilter->text().trimmed().isEmpty();
    // A search covers the whole tree, and values that change must be matched again.
    treeModel->setTrackAttributeChanges(filtering);
    treeModel->setEagerFetching(filtering);
    treeProxy->setFilterText(treeFilter->text());
    if (filtering)
        treeView->expandAll();
    if (!selectedId.isEmpty())
        q->selectObject(selectedId);
}

} // namespace objectsync
