// SPDX-License-Identifier: MIT
// The inspector window's frame: it builds the window from its parts, adds the menus, switches
// the parts to another engine and holds the helpers the parts share. The parts are in
// inspectoractions.cpp (object actions), inspectortreepanel.cpp (the object tree),
// inspectorattributepanel.cpp (the selected object), inspectordocks.cpp (log, clients,
// plugins), inspectortopicpanel.cpp (topics), inspectorworkspace.cpp (the File menu) and
// inspectorrooms.cpp (the rooms).
#include "inspectorwindow_p.h"

#include "attributemodel.h"
#include "inspectorlogging.h"
#include "objectfilterproxy.h"
#include "objecttreemodel.h"
#include "topicmodel.h"
#include "transitionlogmodel.h"
#include "typecombobox.h"

#include <objectsync/engine.h>
#include <objectsync/server.h>

#include <QAction>
#include <QDockWidget>
#include <QMenu>
#include <QMenuBar>
#include <QSplitter>
#include <QStatusBar>
#include <QTreeView>
#include <QVBoxLayout>

namespace objectsync {

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
    d->setupTopicPanel();
    d->setupMenus();
    statusBar()->setObjectName(QStringLiteral("statusBar"));

    d->attachEngine();
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
    // Closing the window hides the docks: the Topics dock's handler reaches into d.
    if (d->topicDock)
        QObject::disconnect(d->topicDock, &QDockWidget::visibilityChanged, nullptr, nullptr);
    if (d->engine)
        QObject::disconnect(d->engine, nullptr, this, nullptr);
    if (d->clientServer)
        QObject::disconnect(d->clientServer, nullptr, this, nullptr);
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
    setupRooms();
    QMenu *view = q->menuBar()->addMenu(InspectorWindow::tr("&View"));
    view->addAction(roomDock->toggleViewAction());
    view->addAction(logDock->toggleViewAction());
    view->addAction(clientDock->toggleViewAction());
    view->addAction(pluginDock->toggleViewAction());
    view->addAction(topicDock->toggleViewAction());
}

// ---- the engine shown ---------------------------------------------------------------------

void InspectorWindowPrivate::attachEngine()
{
    if (!engine)
        return;
    QObject::connect(engine, &Engine::transitionCommitted, q, [this] { scheduleRefresh(); });
    QObject::connect(engine, &QObject::destroyed, q, [this] {
        showObject(QString());
        message(InspectorWindow::tr("The engine is gone."), 0);
    });
}

void InspectorWindowPrivate::setEngine(Engine *next)
{
    if (next == engine)
        return;
    if (engine)
        QObject::disconnect(engine, nullptr, q, nullptr);
    engine = next;
    // The filter reads values from the engine the tree shows: it changes first.
    treeProxy->setEngine(next);
    treeModel->setEngine(next);
    attributeModel->setEngine(next);
    logModel->setEngine(next);
    topicModel->setEngine(next);
    typeCombo->setEngine(next);
    attachEngine();
    applyingTreeUpdates = false;
    showObject(QString());
    treeView->expand(treeProxy->index(0, 0));
    if (treeProxy->isFiltering())
        treeView->expandAll();
}

// ---- shared by the parts ------------------------------------------------------------------

QWidget *InspectorWindowPrivate::panel(QWidget *parent, std::initializer_list<QWidget *> rows,
                                       QWidget *stretching)
{
    auto *w = new QWidget(parent);
    auto *layout = new QVBoxLayout(w);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    for (QWidget *row : rows)
        layout->addWidget(row, row == stretching ? 1 : 0);
    return w;
}

Engine *InspectorWindow::engine() const
{
    return d->engine;
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

void InspectorWindowPrivate::message(const QString &text, int timeout)
{
    qCDebug(lcInspector) << text;
    q->statusBar()->showMessage(text, timeout);
}

} // namespace objectsync
