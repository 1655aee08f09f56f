// SPDX-License-Identifier: MIT
// The inspector's object actions (undo, redo, create, destroy): the toolbar, the tree's
// context menu, keeping the actions' state current, and what they do to the engine.
#include "inspectorwindow_p.h"

#include "objectfilterproxy.h"
#include "objecttreemodel.h"
#include "typecombobox.h"

#include <objectsync/engine.h>
#include <objectsync/sobject.h>

#include <QAction>
#include <QMenu>
#include <QToolBar>
#include <QTreeView>

namespace objectsync {

void InspectorWindowPrivate::setupActions()
{
    undoAction =
        new QAction(QIcon::fromTheme(QStringLiteral("edit-undo")), InspectorWindow::tr("Undo"), q);
    undoAction->setObjectName(QStringLiteral("undoAction"));
    undoAction->setShortcut(QKeySequence::Undo);
    QObject::connect(undoAction, &QAction::triggered, q, &InspectorWindow::undo);

    redoAction =
        new QAction(QIcon::fromTheme(QStringLiteral("edit-redo")), InspectorWindow::tr("Redo"), q);
    redoAction->setObjectName(QStringLiteral("redoAction"));
    redoAction->setShortcut(QKeySequence::Redo);
    QObject::connect(redoAction, &QAction::triggered, q, &InspectorWindow::redo);

    typeCombo = new TypeComboBox(engine, q);
    typeCombo->setObjectName(QStringLiteral("typeCombo"));
    typeCombo->setToolTip(InspectorWindow::tr("Type of the object to create"));

    createAction =
        new QAction(QIcon::fromTheme(QStringLiteral("list-add")), InspectorWindow::tr("Create"), q);
    createAction->setObjectName(QStringLiteral("createAction"));
    createAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_N));
    QObject::connect(createAction, &QAction::triggered, q,
                     [this] { q->createObject(typeCombo->currentText()); });

    destroyAction = new QAction(QIcon::fromTheme(QStringLiteral("edit-delete")),
                                InspectorWindow::tr("Destroy"), q);
    destroyAction->setObjectName(QStringLiteral("destroyAction"));
    destroyAction->setShortcut(QKeySequence::Delete);
    destroyAction->setShortcutContext(Qt::WidgetWithChildrenShortcut); // only in the tree
    QObject::connect(destroyAction, &QAction::triggered, q, &InspectorWindow::destroySelected);

    auto *toolBar = q->addToolBar(InspectorWindow::tr("Objects"));
    toolBar->setObjectName(QStringLiteral("mainToolBar"));
    toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolBar->addAction(undoAction);
    toolBar->addAction(redoAction);
    toolBar->addSeparator();
    toolBar->addWidget(typeCombo);
    toolBar->addAction(createAction);
    toolBar->addAction(destroyAction);
}

void InspectorWindowPrivate::updateActions()
{
    const bool live = engine;
    SObject *selected = selectedObject();
    SObject *scope = selected ? selected : (live ? engine->root() : nullptr);
    const QString scopeId = scope ? scope->id() : QString();
    undoAction->setEnabled(live && engine->canUndo(scope));
    redoAction->setEnabled(live && engine->canRedo(scope));
    undoAction->setToolTip(
        InspectorWindow::tr("Undo the latest change in the subtree of %1 (%2)")
            .arg(scopeId, undoAction->shortcut().toString(QKeySequence::NativeText)));
    redoAction->setToolTip(
        InspectorWindow::tr("Redo in the subtree of %1 (%2)")
            .arg(scopeId, redoAction->shortcut().toString(QKeySequence::NativeText)));
    typeCombo->refresh();
    createAction->setEnabled(live && typeCombo->count() > 0);
    createAction->setToolTip(
        InspectorWindow::tr("Create an object of the chosen type under %1").arg(scopeId));
    destroyAction->setEnabled(selected && selected->parent());
}

void InspectorWindowPrivate::showTreeContextMenu(const QPoint &pos)
{
    const QModelIndex index = treeView->indexAt(pos);
    if (index.isValid())
        q->selectObject(treeModel->objectId(treeProxy->mapToSource(index)));
    QMenu menu(treeView);
    QMenu *create = menu.addMenu(InspectorWindow::tr("Create child"));
    typeCombo->refresh();
    for (int i = 0; i < typeCombo->count(); ++i) {
        const QString type = typeCombo->itemText(i);
        create->addAction(type, q, [this, type] { q->createObject(type); });
    }
    create->setEnabled(!create->isEmpty());
    menu.addAction(destroyAction);
    menu.addSeparator();
    menu.addAction(undoAction);
    menu.addAction(redoAction);
    menu.exec(treeView->viewport()->mapToGlobal(pos));
}

// ---- actions ------------------------------------------------------------------------------

void InspectorWindow::undo()
{
    if (!d->engine)
        return;
    SObject *scope = d->selectedObject();
    const QString scopeId = scope ? scope->id() : d->engine->root()->id();
    const QString error = d->engine->undo(scope).errorMessage();
    if (error.isEmpty())
        d->message(tr("Undone in %1").arg(scopeId));
    else
        d->message(tr("Undo in %1 refused: %2").arg(scopeId, error));
    d->updateActions();
}

void InspectorWindow::redo()
{
    if (!d->engine)
        return;
    SObject *scope = d->selectedObject();
    const QString scopeId = scope ? scope->id() : d->engine->root()->id();
    const QString error = d->engine->redo(scope).errorMessage();
    if (error.isEmpty())
        d->message(tr("Redone in %1").arg(scopeId));
    else
        d->message(tr("Redo in %1 refused: %2").arg(scopeId, error));
    d->updateActions();
}

void InspectorWindow::createObject(const QString &typeName)
{
    if (!d->engine)
        return;
    SObject *parent = d->selectedObject();
    if (!parent)
        parent = d->engine->root();
    const QString parentId = parent->id();
    QString id;
    const QString error =
        d->engine->tryTransition([&] { id = d->engine->createObject(typeName, parent)->id(); })
            .errorMessage();
    if (!error.isEmpty()) {
        d->message(tr("Creating a %1 refused: %2").arg(typeName, error));
        return;
    }
    selectObject(id);
    d->message(tr("Created %1 (%2) under %3").arg(id, typeName, parentId));
}

void InspectorWindow::destroySelected()
{
    SObject *o = d->selectedObject();
    if (!o) {
        d->message(tr("Select an object to destroy"));
        return;
    }
    const QString id = o->id();
    const QString parentId = o->parent() ? o->parent()->id() : QString();
    const QString error =
        d->engine->tryTransition([&] { d->engine->destroyObject(o); }).errorMessage();
    if (!error.isEmpty()) {
        d->message(tr("Destroying %1 refused: %2").arg(id, error));
        return;
    }
    selectObject(parentId);
    d->message(tr("Destroyed %1; undo in %2 brings it back").arg(id, parentId));
}

} // namespace objectsync
