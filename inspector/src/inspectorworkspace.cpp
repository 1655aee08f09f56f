// SPDX-License-Identifier: MIT
// The File menu of the inspector: saving the workspace as another file and opening one.
#include "inspectorlogging.h"
#include "inspectorwindow_p.h"

#include <objectsync/room.h>

#include <QAction>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>

namespace objectsync {

namespace {
QString fileFilter()
{
    return InspectorWindow::tr("ObjectSync workspaces (*.osw);;All files (*)");
}

/*! With rooms, the workspace actions belong to the default room. */
bool showsDefaultRoom(const QString &currentRoom)
{
    return currentRoom.isEmpty() || currentRoom == defaultRoomName;
}
} // namespace

void InspectorWindowPrivate::setupFileMenu()
{
    saveAsAction = new QAction(QIcon::fromTheme(QStringLiteral("document-save-as")),
                               InspectorWindow::tr("Save &As…"), q);
    saveAsAction->setObjectName(QStringLiteral("saveAsAction"));
    saveAsAction->setShortcut(QKeySequence::SaveAs);
    saveAsAction->setToolTip(
        InspectorWindow::tr("Write everything to a new workspace file and continue there"));
    QObject::connect(saveAsAction, &QAction::triggered, q, &InspectorWindow::chooseSaveWorkspaceAs);

    openAction = new QAction(QIcon::fromTheme(QStringLiteral("document-open")),
                             InspectorWindow::tr("&Open…"), q);
    openAction->setObjectName(QStringLiteral("openAction"));
    openAction->setShortcut(QKeySequence::Open);
    openAction->setToolTip(InspectorWindow::tr(
        "Continue in another workspace file; its content replaces the current one"));
    QObject::connect(openAction, &QAction::triggered, q, &InspectorWindow::chooseOpenWorkspace);

    QMenu *file = q->menuBar()->addMenu(InspectorWindow::tr("&File"));
    file->setObjectName(QStringLiteral("fileMenu"));
    file->addAction(openAction);
    file->addAction(saveAsAction);

    workspaceLabel = new QLabel(q);
    workspaceLabel->setObjectName(QStringLiteral("workspaceLabel"));
    workspaceLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    q->statusBar()->addPermanentWidget(workspaceLabel);
    updateWorkspaceActions();
}

void InspectorWindowPrivate::updateWorkspaceActions()
{
    const bool defaultRoomShown = showsDefaultRoom(currentRoom);
    saveAsAction->setEnabled(defaultRoomShown && bool(workspaceActions.saveAs));
    openAction->setEnabled(defaultRoomShown && bool(workspaceActions.open));
    if (workspacePath.isEmpty()) {
        workspaceLabel->setText(InspectorWindow::tr("No workspace: kept in memory only"));
        workspaceLabel->setToolTip(
            InspectorWindow::tr("Nothing is written to disk; File > Save As starts a workspace"));
    } else {
        workspaceLabel->setText(
            InspectorWindow::tr("Workspace: %1").arg(QFileInfo(workspacePath).fileName()));
        workspaceLabel->setToolTip(QDir::toNativeSeparators(workspacePath));
    }
}

void InspectorWindowPrivate::showWorkspaceError(const QString &title, const QString &text)
{
    qCWarning(lcInspector).noquote() << title << text;
    // Window-modal and not waited for: the event loop (and the network) keeps running.
    auto *box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Ok, q);
    box->setObjectName(QStringLiteral("workspaceError"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void InspectorWindow::setWorkspaceActions(const InspectorWorkspaceActions &actions)
{
    d->workspaceActions = actions;
    d->updateWorkspaceActions();
}

QString InspectorWindow::workspacePath() const
{
    return d->workspacePath;
}

void InspectorWindow::setWorkspacePath(const QString &path)
{
    if (path == d->workspacePath)
        return;
    d->workspacePath = path;
    d->updateWorkspaceActions();
    emit workspacePathChanged(path);
}

Result<void> InspectorWindow::saveWorkspaceAs(const QString &path)
{
    if (!d->workspaceActions.saveAs)
        return Error(ErrorCode::Conflict, tr("this window cannot save workspaces"));
    if (!showsDefaultRoom(d->currentRoom))
        return Error(ErrorCode::Conflict, tr("the workspace is the default room's: show it first"));
    if (path.isEmpty())
        return Error(ErrorCode::InvalidArgument, tr("no file name"));
    if (const Result<void> saved = d->workspaceActions.saveAs(path); !saved) {
        d->showWorkspaceError(tr("Save As failed"), saved.error().message());
        return saved;
    }
    setWorkspacePath(QFileInfo(path).absoluteFilePath());
    d->message(tr("Saved as %1; changes are kept there from now on")
                   .arg(QDir::toNativeSeparators(d->workspacePath)));
    return {};
}

Result<void> InspectorWindow::openWorkspace(const QString &path)
{
    if (!d->workspaceActions.open)
        return Error(ErrorCode::Conflict, tr("this window cannot open workspaces"));
    if (!showsDefaultRoom(d->currentRoom))
        return Error(ErrorCode::Conflict, tr("the workspace is the default room's: show it first"));
    if (path.isEmpty())
        return Error(ErrorCode::InvalidArgument, tr("no file name"));
    if (const Result<void> opened = d->workspaceActions.open(path); !opened) {
        d->showWorkspaceError(
            tr("Open failed"),
            tr("%1\n\nThe current workspace stays open, unchanged.").arg(opened.error().message()));
        return opened;
    }
    setWorkspacePath(QFileInfo(path).absoluteFilePath());
    d->message(tr("Opened %1").arg(QDir::toNativeSeparators(d->workspacePath)));
    return {};
}

void InspectorWindow::chooseSaveWorkspaceAs()
{
    QFileDialog dialog(this, tr("Save Workspace As"), QFileInfo(d->workspacePath).absolutePath(),
                       fileFilter());
    dialog.setAcceptMode(QFileDialog::AcceptSave);
    dialog.setDefaultSuffix(QStringLiteral("osw"));
    if (dialog.exec() != QDialog::Accepted || dialog.selectedFiles().isEmpty())
        return;
    static_cast<void>(
        saveWorkspaceAs(dialog.selectedFiles().constFirst())); // a failure is shown to the user
}

void InspectorWindow::chooseOpenWorkspace()
{
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open Workspace"), QFileInfo(d->workspacePath).absolutePath(), fileFilter());
    if (!path.isEmpty())
        static_cast<void>(openWorkspace(path)); // a failure is shown to the user
}

} // namespace objectsync
