// SPDX-License-Identifier: MIT
// The inspector window's frame: it builds the window from its parts, adds the menus and holds
// the helpers the parts share. The parts are in inspectoractions.cpp (object actions),
// inspectortreepanel.cpp (the object tree), inspectorattributepanel.cpp (the selected object),
// inspectordocks.cpp (log, clients, plugins) and inspectorworkspace.cpp (the File menu).
#include "inspectorwindow_p.h"

#include "inspectorlogging.h"
#include "objectfilterproxy.h"

#include <objectsync/engine.h>

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
