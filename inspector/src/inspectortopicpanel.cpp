// SPDX-License-Identifier: MIT
// The inspector's topics dock: every topic of the engine shown, filtered by name, with the
// attribute editors for the writable ones and subscriber counts from the clients list.
#include "inspectorwindow_p.h"

#include "attributedelegate.h"
#include "clientmodel.h"
#include "topicmodel.h"

#include <QDockWidget>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QTreeView>

namespace objectsync {

void InspectorWindowPrivate::setupTopicPanel()
{
    topicModel = new TopicModel(engine, q);
    topicModel->setObjectName(QStringLiteral("topicModel"));
    topicProxy = new QSortFilterProxyModel(q);
    topicProxy->setSourceModel(topicModel);
    topicProxy->setFilterKeyColumn(TopicModel::NameColumn);
    topicProxy->setFilterCaseSensitivity(Qt::CaseInsensitive);

    topicView = new QTreeView(q);
    topicView->setObjectName(QStringLiteral("topicView"));
    // The view gets the rows only while the dock shows: a tree view lays out every row on
    // each insertion, which tens of thousands of topics make costly.
    topicView->setItemDelegate(new AttributeDelegate(topicView));
    topicView->setRootIsDecorated(false);
    topicView->setUniformRowHeights(true);
    topicView->setAlternatingRowColors(true);
    topicView->setSelectionBehavior(QAbstractItemView::SelectRows);
    topicView->setEditTriggers(QAbstractItemView::DoubleClicked |
                               QAbstractItemView::EditKeyPressed |
                               QAbstractItemView::SelectedClicked);
    topicFilter = new QLineEdit(q);
    topicFilter->setObjectName(QStringLiteral("topicFilter"));
    topicFilter->setClearButtonEnabled(true);
    topicFilter->setPlaceholderText(InspectorWindow::tr("Filter topics by name"));
    QObject::connect(topicFilter, &QLineEdit::textChanged, topicProxy,
                     &QSortFilterProxyModel::setFilterFixedString);
    QObject::connect(topicModel, &TopicModel::editRefused, q, [this](const QString &why) {
        message(InspectorWindow::tr("Edit refused: %1").arg(why));
    });
    QObject::connect(clientModel, &ClientModel::subscriptionsChanged, topicModel,
                     [this] { topicModel->setSubscriberCounts(clientModel->subscriberCounts()); });

    topicDock = new QDockWidget(InspectorWindow::tr("Topics"), q);
    topicDock->setObjectName(QStringLiteral("topicDock"));
    topicDock->setWidget(panel(topicDock, {topicFilter, topicView}, topicView));
    q->addDockWidget(Qt::BottomDockWidgetArea, topicDock);
    q->tabifyDockWidget(pluginDock, topicDock);
    logDock->raise(); // the log stays the tab shown first
    QObject::connect(topicDock, &QDockWidget::visibilityChanged, topicView, [this](bool shown) {
        QAbstractItemModel *wanted = shown ? topicProxy : nullptr;
        if (topicView->model() != wanted) {
            topicView->setModel(wanted);
            topicView->setColumnWidth(TopicModel::NameColumn, 260);
            topicView->setColumnWidth(TopicModel::TypeColumn, 110);
            topicView->setColumnWidth(TopicModel::ValueColumn, 300);
            topicView->setColumnWidth(TopicModel::SubscribersColumn, 90);
        }
    });
}

} // namespace objectsync
