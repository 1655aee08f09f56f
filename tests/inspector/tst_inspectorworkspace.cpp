// SPDX-License-Identifier: MIT
// The inspector's File menu wired to a real Workspace (as the host wires it): Save As
// continues in the new file, Open swaps the content shown, a bad file shows why and
// changes nothing. The file dialogs are bypassed by calling the slots with a path.
#include "testobjects.h"

#include "objecttreemodel.h"

#include <objectsync/inspectorwindow.h>
#include <objectsync/workspace.h>

#include <QAction>
#include <QLabel>
#include <QMessageBox>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTreeView>
#include <QtTest>

using namespace objectsync;

namespace {

/*! The object ids the tree shows at its top level, under the root. */
QStringList topLevelIds(QTreeView *tree)
{
    const QAbstractItemModel *m = tree->model();
    const QModelIndex root = m->index(0, 0);
    QStringList ids;
    for (int r = 0; r < m->rowCount(root); ++r)
        ids.append(m->index(r, 0, root).data(ObjectTreeModel::ObjectIdRole).toString());
    ids.sort();
    return ids;
}

QStringList childIds(const Engine &engine)
{
    QStringList ids;
    for (const SObject *o : engine.root()->children())
        ids.append(o->id());
    ids.sort();
    return ids;
}

} // namespace

class TstInspectorWorkspace : public QObject
{
    Q_OBJECT
private slots:
    void fileMenuNeedsTheApplication()
    {
        Engine engine;
        InspectorWindow window(&engine);
        window.show();
        auto *saveAs = window.findChild<QAction *>(QStringLiteral("saveAsAction"));
        auto *open = window.findChild<QAction *>(QStringLiteral("openAction"));
        QVERIFY(saveAs && open);
        QVERIFY(!saveAs->isEnabled());
        QVERIFY(!open->isEnabled());
        QVERIFY(!window.saveWorkspaceAs(QStringLiteral("/tmp/x.osw")));
        auto *label = window.findChild<QLabel *>(QStringLiteral("workspaceLabel"));
        QVERIFY(label->text().contains(QStringLiteral("memory")));
        window.setWorkspaceActions({[](const QString &) { return Result<void>(); }, {}});
        QVERIFY(saveAs->isEnabled());
        QVERIFY(!open->isEnabled());
    }

    void saveAsAndOpen()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        // Another workspace, with content of its own.
        const QString other = dir.filePath(QStringLiteral("other.osw"));
        QStringList otherIds;
        {
            Engine e;
            e.registerType<Item>();
            e.registerType<Group>();
            Workspace ws(&e);
            QVERIFY(ws.open(other));
            for (int i = 0; i < 3; ++i)
                e.createObject<Group>()->title->set(QStringLiteral("other %1").arg(i));
            otherIds = childIds(e);
        }

        Engine engine;
        engine.registerType<Item>();
        engine.registerType<Group>();
        auto *item = engine.createObject<Item>();
        engine.createObject<Item>();
        Workspace workspace(&engine);
        InspectorWindow window(&engine);
        window.setWorkspaceActions({[&](const QString &path) { return workspace.saveAs(path); },
                                    [&](const QString &path) { return workspace.switchTo(path); }});
        window.show();
        auto *tree = window.findChild<QTreeView *>(QStringLiteral("objectTree"));
        auto *label = window.findChild<QLabel *>(QStringLiteral("workspaceLabel"));
        QTRY_COMPARE(topLevelIds(tree), childIds(engine));
        QSignalSpy pathChanged(&window, &InspectorWindow::workspacePathChanged);

        // Save As: the window shows the new file; later changes go there.
        const QString saved = dir.filePath(QStringLiteral("saved.osw"));
        QVERIFY(window.saveWorkspaceAs(saved));
        QVERIFY(workspace.isOpen());
        QCOMPARE(window.workspacePath(), QFileInfo(saved).absoluteFilePath());
        QCOMPARE(pathChanged.size(), 1);
        QVERIFY2(label->text().contains(QStringLiteral("saved.osw")), qPrintable(label->text()));
        QVERIFY(window.statusBar()->currentMessage().contains(QStringLiteral("saved.osw")));

        // Open: the tree follows the swapped content; the selection never names a gone object.
        QVERIFY(window.selectObject(item->id()));
        QVERIFY(window.openWorkspace(other));
        QCOMPARE(window.workspacePath(), QFileInfo(other).absoluteFilePath());
        QVERIFY2(label->text().contains(QStringLiteral("other.osw")), qPrintable(label->text()));
        QCOMPARE(childIds(engine), otherIds);
        QTRY_COMPARE(topLevelIds(tree), otherIds);
        QVERIFY(window.selectedObjectId().isEmpty() || engine.object(window.selectedObjectId()));

        // A bad file: a message box says why, and nothing changes.
        const QString bad = dir.filePath(QStringLiteral("bad.osw"));
        QFile file(bad);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("not a workspace");
        file.close();
        QVERIFY(!window.openWorkspace(bad));
        auto *box = window.findChild<QMessageBox *>(QStringLiteral("workspaceError"));
        QVERIFY(box);
        QTRY_VERIFY(box->isVisible());
        QVERIFY2(box->text().contains(QStringLiteral("not an ObjectSync workspace")),
                 qPrintable(box->text()));
        QVERIFY(box->text().contains(QStringLiteral("stays open")));
        box->accept();
        QCOMPARE(window.workspacePath(), QFileInfo(other).absoluteFilePath());
        QCOMPARE(workspace.path(), QFileInfo(other).absoluteFilePath());
        QCOMPARE(childIds(engine), otherIds);
        QCOMPARE(topLevelIds(tree), otherIds);
        QCOMPARE(pathChanged.size(), 2);

        // A Save As that fails says so too.
        QVERIFY(!window.saveWorkspaceAs(bad + QStringLiteral("/inside.osw")));
        QTRY_VERIFY(window.findChild<QMessageBox *>(QStringLiteral("workspaceError")));
        QCOMPARE(window.workspacePath(), QFileInfo(other).absoluteFilePath());
    }
};

QTEST_MAIN(TstInspectorWorkspace)
#include "tst_inspectorworkspace.moc"
