// SPDX-License-Identifier: MIT
#include "inspectorwindow_p.h"

#include "attributedelegate.h"
#include "attributemodel.h"
#include "clientmodel.h"
#include "inspectorlogging.h"
#include "objectfilterproxy.h"
#include "objecttreemodel.h"
#include "pluginmodel.h"
#include "transitionlogmodel.h"
#include "typecombobox.h"

#include <objectsync/engine.h>
#include <objectsync/sobject.h>

#include <QAction>
#include <QDockWidget>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStatusBar>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace objectsync {

namespace {
QWidget *panel(QWidget *parent, std::initializer_list<QWidget *> rows, QWidget *stretching)
{
    auto *w = new QWidget(parent);
    auto *layout = new QVBoxLayout(w);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    for (QWidget *row : rows)
        layout->addWidget(row, row == stretching ? 1 : 0);
    return w;
}
} // namespace

InspectorWindowPrivate::InspectorWindowPrivate(InspectorWindow *q, Engine *engine)
    : q(q), engine(engine)
{}

// ---- construction -------------------------------------------------------------------------

InspectorWindow::InspectorWindow(Engine *engine, QWidget *parent)
    : QMainWindow(parent), d(std::make_unique<InspectorWindowPrivate>(this, engine))
{
    setObjectName(QStringLiteral("objectsyncInspector"));
    setWindowTitle(tr("ObjectSync Inspector"));
    d->setupActions();

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setObjectName(QStringLiteral("mainSplitter"));
    splitter->addWidget(d->setupTreePanel());
    splitter->addWidget(d->setupAttributePanel());
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    setCentralWidget(splitter);
    d->setupDocks();
    d->setupMenus();
    statusBar()->setObjectName(QStringLiteral("statusBar"));

    if (engine) {
        connect(engine, &Engine::transitionCommitted, this, [this] { d->scheduleRefresh(); });
        connect(engine, &QObject::destroyed, this, [this] {
            d->showObject(QString());
            d->message(tr("The engine is gone."), 0);
        });
    }
    const QModelIndex root = d->treeProxy->index(0, 0);
    d->treeView->expand(root);
    d->showObject(QString());
    resize(1200, 800);
}

InspectorWindow::~InspectorWindow()
{
    // The widgets and models outlive d by a moment (QObject deletes children later); keep
    // their last signals away from it.
    const auto children = findChildren<QObject *>();
    for (QObject *child : children)
        QObject::disconnect(child, nullptr, this, nullptr);
    if (d->engine)
        QObject::disconnect(d->engine, nullptr, this, nullptr);
}

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

QWidget *InspectorWindowPrivate::setupAttributePanel()
{
    objectHeader = new QLabel(q);
    objectHeader->setObjectName(QStringLiteral("objectHeader"));
    objectHeader->setTextFormat(Qt::RichText);
    objectHeader->setWordWrap(true);
    objectHeader->setTextInteractionFlags(Qt::TextSelectableByMouse);

    attributeModel = new AttributeModel(engine, q);
    attributeModel->setObjectName(QStringLiteral("attributeModel"));
    attributeDelegate = new AttributeDelegate(q);
    attributeView = new QTreeView(q);
    attributeView->setObjectName(QStringLiteral("attributeView"));
    attributeView->setModel(attributeModel);
    attributeView->setItemDelegate(attributeDelegate);
    attributeView->setRootIsDecorated(false);
    attributeView->setUniformRowHeights(true);
    attributeView->setAlternatingRowColors(true);
    attributeView->setSelectionBehavior(QAbstractItemView::SelectRows);
    attributeView->setEditTriggers(QAbstractItemView::DoubleClicked |
                                   QAbstractItemView::EditKeyPressed |
                                   QAbstractItemView::SelectedClicked);
    attributeView->setColumnWidth(AttributeModel::NameColumn, 160);
    attributeView->setColumnWidth(AttributeModel::TypeColumn, 110);

    QObject::connect(attributeModel, &AttributeModel::editRefused, q, [this](const QString &why) {
        message(InspectorWindow::tr("Edit refused: %1").arg(why));
    });
    QObject::connect(attributeDelegate, &AttributeDelegate::invalidInput, q,
                     [this](const QString &why) {
                         // Shown while typing; too transient to log.
                         q->statusBar()->showMessage(
                             InspectorWindow::tr("Not a valid value: %1").arg(why), 5000);
                     });
    QObject::connect(attributeModel, &AttributeModel::objectInfoChanged, q,
                     [this] { updateHeader(); });
    return panel(q, {objectHeader, attributeView}, attributeView);
}

void InspectorWindowPrivate::setupDocks()
{
    // Transition log
    logModel = new TransitionLogModel(engine, q);
    logModel->setObjectName(QStringLiteral("transitionLogModel"));
    logProxy = new QSortFilterProxyModel(q);
    logProxy->setSourceModel(logModel);
    logProxy->setFilterKeyColumn(-1);
    logProxy->setFilterCaseSensitivity(Qt::CaseInsensitive);

    logView = new QTreeView(q);
    logView->setObjectName(QStringLiteral("transitionLog"));
    logView->setModel(logProxy);
    logView->setRootIsDecorated(false);
    logView->setUniformRowHeights(true);
    logView->setItemsExpandable(false);
    logView->setAlternatingRowColors(true);
    logView->setSelectionBehavior(QAbstractItemView::SelectRows);
    logView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    logView->setColumnWidth(TransitionLogModel::SequenceColumn, 60);
    logView->setColumnWidth(TransitionLogModel::TimeColumn, 100);
    logView->setColumnWidth(TransitionLogModel::OriginColumn, 80);
    logView->setColumnWidth(TransitionLogModel::ActionColumn, 110);
    logView->setColumnWidth(TransitionLogModel::KindColumn, 60);
    logView->setColumnWidth(TransitionLogModel::ChangesColumn, 60);

    logPause = new QToolButton(q);
    logPause->setObjectName(QStringLiteral("logPause"));
    logPause->setText(InspectorWindow::tr("Pause"));
    logPause->setCheckable(true);
    logPause->setToolTip(InspectorWindow::tr("Stop adding transitions to the log; they are held "
                                             "back and added when you resume"));
    logHeld = new QLabel(q);
    logHeld->setObjectName(QStringLiteral("logHeld"));
    logFilter = new QLineEdit(q);
    logFilter->setObjectName(QStringLiteral("logFilter"));
    logFilter->setClearButtonEnabled(true);
    logFilter->setPlaceholderText(
        InspectorWindow::tr("Filter by origin, action id, kind or change"));
    auto *clear = new QToolButton(q);
    clear->setObjectName(QStringLiteral("logClear"));
    clear->setText(InspectorWindow::tr("Clear"));

    QObject::connect(logPause, &QToolButton::toggled, q, [this](bool paused) {
        logModel->setPaused(paused);
        logPause->setText(paused ? InspectorWindow::tr("Resume") : InspectorWindow::tr("Pause"));
    });
    QObject::connect(logModel, &TransitionLogModel::heldCountChanged, q, [this](int held) {
        logHeld->setText(held > 0 ? InspectorWindow::tr("%n held back", nullptr, held) : QString());
    });
    QObject::connect(logFilter, &QLineEdit::textChanged, logProxy,
                     &QSortFilterProxyModel::setFilterFixedString);
    QObject::connect(clear, &QToolButton::clicked, logModel, &TransitionLogModel::clear);
    QObject::connect(logView->verticalScrollBar(), &QScrollBar::valueChanged, q, [this](int value) {
        logFollow = value == logView->verticalScrollBar()->maximum();
    });
    QObject::connect(logProxy, &QAbstractItemModel::rowsInserted, q, [this] {
        if (!logFollow || logScrollPending)
            return;
        logScrollPending = true;
        QMetaObject::invokeMethod(
            q,
            [this] {
                logScrollPending = false;
                logView->scrollToBottom();
            },
            Qt::QueuedConnection);
    });

    auto *logBar = new QWidget(q);
    auto *barLayout = new QHBoxLayout(logBar);
    barLayout->setContentsMargins(0, 0, 0, 0);
    barLayout->addWidget(logPause);
    barLayout->addWidget(logFilter, 1);
    barLayout->addWidget(logHeld);
    barLayout->addWidget(clear);

    logDock = new QDockWidget(InspectorWindow::tr("Transitions"), q);
    logDock->setObjectName(QStringLiteral("transitionDock"));
    logDock->setWidget(panel(logDock, {logBar, logView}, logView));
    q->addDockWidget(Qt::BottomDockWidgetArea, logDock);

    // Clients
    clientModel = new ClientModel(q);
    clientModel->setObjectName(QStringLiteral("clientModel"));
    auto *clientProxy = new QSortFilterProxyModel(q);
    clientProxy->setSourceModel(clientModel);
    clientProxy->setSortRole(ClientModel::SortRole);
    clientView = new QTableView(q);
    clientView->setObjectName(QStringLiteral("clientTable"));
    clientView->setModel(clientProxy);
    clientView->setSortingEnabled(true);
    clientView->sortByColumn(ClientModel::IdColumn, Qt::AscendingOrder);
    clientView->setSelectionBehavior(QAbstractItemView::SelectRows);
    clientView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    clientView->verticalHeader()->hide();
    clientView->verticalHeader()->setDefaultSectionSize(q->fontMetrics().height() + 6);
    clientView->horizontalHeader()->setSectionResizeMode(ClientModel::SubscriptionsColumn,
                                                         QHeaderView::Stretch);
    clientDock = new QDockWidget(InspectorWindow::tr("Clients"), q);
    clientDock->setObjectName(QStringLiteral("clientDock"));
    clientDock->setWidget(clientView);
    q->addDockWidget(Qt::BottomDockWidgetArea, clientDock);

    // Plugins
    pluginModel = new PluginModel(q);
    pluginModel->setObjectName(QStringLiteral("pluginModel"));
    pluginView = new QTableView(q);
    pluginView->setObjectName(QStringLiteral("pluginTable"));
    pluginView->setModel(pluginModel);
    pluginView->setSelectionBehavior(QAbstractItemView::SelectRows);
    pluginView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    pluginView->verticalHeader()->hide();
    pluginView->verticalHeader()->setDefaultSectionSize(q->fontMetrics().height() + 6);
    pluginView->horizontalHeader()->setStretchLastSection(true);
    pluginDock = new QDockWidget(InspectorWindow::tr("Plugins"), q);
    pluginDock->setObjectName(QStringLiteral("pluginDock"));
    pluginDock->setWidget(pluginView);
    q->addDockWidget(Qt::BottomDockWidgetArea, pluginDock);

    q->tabifyDockWidget(logDock, clientDock);
    q->tabifyDockWidget(clientDock, pluginDock);
    logDock->raise();
    updateDockTitles();
}

void InspectorWindowPrivate::setupMenus()
{
    setupFileMenu();
    QMenu *objects = q->menuBar()->addMenu(InspectorWindow::tr("&Object"));
    objects->addAction(createAction);
    objects->addAction(destroyAction);
    objects->addSeparator();
    objects->addAction(undoAction);
    objects->addAction(redoAction);
    QMenu *view = q->menuBar()->addMenu(InspectorWindow::tr("&View"));
    view->addAction(logDock->toggleViewAction());
    view->addAction(clientDock->toggleViewAction());
    view->addAction(pluginDock->toggleViewAction());
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

Engine *InspectorWindow::engine() const
{
    return d->engine;
}

void InspectorWindowPrivate::showObject(const QString &id)
{
    const bool changed = id != selectedId;
    selectedId = id;
    attributeModel->setObjectId(id);
    updateHeader();
    updateActions();
    if (changed)
        emit q->selectedObjectChanged(id);
}

void InspectorWindowPrivate::updateHeader()
{
    if (!engine) {
        objectHeader->setText(InspectorWindow::tr("<i>No engine</i>"));
        return;
    }
    if (selectedId.isEmpty()) {
        objectHeader->setText(InspectorWindow::tr("<i>Select an object in the tree</i>"));
        return;
    }
    const SObject *o = engine->object(selectedId);
    if (!o) {
        objectHeader->setText(
            InspectorWindow::tr("<b>%1</b> no longer exists").arg(selectedId.toHtmlEscaped()));
        return;
    }
    QStringList tags;
    for (const QJsonValue &t : o->tagsTopic()->get())
        tags.append(t.toString());
    QString text = InspectorWindow::tr("<b>%1</b> &nbsp;%2 (shown as \"%3\")")
                       .arg(o->id().toHtmlEscaped(), o->typeName().toHtmlEscaped(),
                            o->frontendType().toHtmlEscaped());
    if (o->parent())
        text += InspectorWindow::tr(" &middot; parent %1").arg(o->parent()->id().toHtmlEscaped());
    const qsizetype children = o->children().size();
    text += children == 1 ? InspectorWindow::tr(" &middot; 1 child")
                          : InspectorWindow::tr(" &middot; %1 children").arg(children);
    if (!tags.isEmpty())
        text += InspectorWindow::tr(" &middot; tags: %1")
                    .arg(tags.join(QStringLiteral(", ")).toHtmlEscaped());
    objectHeader->setText(text);
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

void InspectorWindowPrivate::scheduleRefresh()
{
    if (refreshScheduled)
        return;
    refreshScheduled = true;
    QMetaObject::invokeMethod(
        q,
        [this] {
            refreshScheduled = false;
            updateActions();
            updateHeader();
        },
        Qt::QueuedConnection);
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

void InspectorWindowPrivate::updateDockTitles()
{
    clientDock->setWindowTitle(InspectorWindow::tr("Clients (%1)").arg(clientModel->rowCount()));
    int failed = 0;
    for (const InspectorPluginInfo &p : pluginModel->plugins())
        failed += p.error.isEmpty() ? 0 : 1;
    pluginDock->setWindowTitle(
        failed ? InspectorWindow::tr("Plugins (%1, %2 failed)")
                     .arg(pluginModel->rowCount())
                     .arg(failed)
               : InspectorWindow::tr("Plugins (%1)").arg(pluginModel->rowCount()));
}

void InspectorWindowPrivate::message(const QString &text, int timeout)
{
    qCDebug(lcInspector) << text;
    q->statusBar()->showMessage(text, timeout);
}

// ---- actions ------------------------------------------------------------------------------

void InspectorWindow::undo()
{
    if (!d->engine)
        return;
    SObject *scope = d->selectedObject();
    const QString scopeId = scope ? scope->id() : d->engine->root()->id();
    const QString error = d->engine->undo(scope);
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
    const QString error = d->engine->redo(scope);
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
        d->engine->tryTransition([&] { id = d->engine->createObject(typeName, parent)->id(); });
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
    const QString error = d->engine->tryTransition([&] { d->engine->destroyObject(o); });
    if (!error.isEmpty()) {
        d->message(tr("Destroying %1 refused: %2").arg(id, error));
        return;
    }
    selectObject(parentId);
    d->message(tr("Destroyed %1; undo in %2 brings it back").arg(id, parentId));
}

// ---- host-fed panels ----------------------------------------------------------------------

void InspectorWindow::clientConnected(int id, const QString &address)
{
    d->clientModel->addClient(id, address);
    d->updateDockTitles();
}

void InspectorWindow::clientDisconnected(int id)
{
    d->clientModel->removeClient(id);
    d->updateDockTitles();
}

void InspectorWindow::clientStatsChanged(int id, const QStringList &subscriptions, qint64 bytesIn,
                                         qint64 bytesOut)
{
    d->clientModel->updateStats(id, subscriptions, bytesIn, bytesOut);
    d->updateDockTitles();
}

void InspectorWindow::setPlugins(const QList<InspectorPluginInfo> &plugins)
{
    d->pluginModel->setPlugins(plugins);
    d->updateDockTitles();
    d->updateActions(); // plugins may have registered types
}

} // namespace objectsync
