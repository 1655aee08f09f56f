// SPDX-License-Identifier: MIT
// The inspector's attribute panel: the selected object's header and its attributes with
// their editors.
#include "inspectorwindow_p.h"

#include "attributedelegate.h"
#include "attributemodel.h"

#include <objectsync/engine.h>
#include <objectsync/sobject.h>

#include <QLabel>
#include <QStatusBar>
#include <QTreeView>

namespace objectsync {

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
    attributeView->setRootIsDecorated(true); // dict and list entries
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

} // namespace objectsync
