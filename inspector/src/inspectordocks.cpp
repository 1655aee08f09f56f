// SPDX-License-Identifier: MIT
// The inspector's docks: the transition log, and the client and plugin lists that the host
// feeds through the window's slots (with rooms, the clients come from the room's server).
#include "inspectorwindow_p.h"

#include "clientmodel.h"
#include "pluginmodel.h"
#include "transitionlogmodel.h"

#include <objectsync/server.h>

#include <QDockWidget>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QToolButton>
#include <QTreeView>

namespace objectsync {

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

void InspectorWindowPrivate::followClients(Server *server)
{
    if (clientServer)
        QObject::disconnect(clientServer, nullptr, q, nullptr);
    clientServer = server;
    clientModel->clear();
    if (server) {
        for (const int id : server->clientIds()) {
            const ClientInfo info = server->clientInfo(id);
            clientModel->addClient(id, info.peerAddress, info.connectedAt);
            clientModel->updateStats(id, info.subscriptions, info.bytesIn, info.bytesOut);
        }
        QObject::connect(server, &Server::clientConnected, q, &InspectorWindow::clientConnected);
        QObject::connect(server, &Server::clientDisconnected, q,
                         &InspectorWindow::clientDisconnected);
        QObject::connect(server, &Server::clientStatsChanged, q, [this](const QList<int> &ids) {
            for (const int id : ids) {
                const ClientInfo info = clientServer ? clientServer->clientInfo(id) : ClientInfo();
                if (info.isValid())
                    q->clientStatsChanged(id, info.subscriptions, info.bytesIn, info.bytesOut);
            }
        });
    }
    updateDockTitles();
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
