// SPDX-License-Identifier: MIT
// Workspaces: what open() refuses (an engine that already holds state, a file with a type the
// engine does not know, a file in use, a call inside a transition), and that a refusal changes
// neither the engine nor the file.
#include "workspacetestutil.h"

#include <objectsync/workspace.h>

#include <QTemporaryDir>
#include <QtTest>

using namespace objectsync;
using namespace storagetest;

class TstWorkspaceRefusals : public QObject
{
    Q_OBJECT
private slots:
    void init() { QVERIFY(m_dir.isValid()); }

    void refusesEngineWithState()
    {
        const QString path = m_dir.filePath(QStringLiteral("busy.osw"));
        {
            Engine a;
            Workspace ws(&a);
            QVERIFY(ws.open(path));
            a.addTopic<IntTopic>(QStringLiteral("n"), 1);
        }
        const QByteArray hash = fileHash(path);
        Engine b;
        registerTypes(b);
        b.createObject<Note>();
        const QByteArray before = state(b);
        Workspace wb(&b);
        const Result<void> opened = wb.open(path);
        QVERIFY(!opened);
        QVERIFY2(opened.errorMessage().contains(QStringLiteral("already holds")),
                 qPrintable(opened.errorMessage()));
        QCOMPARE(opened.error().code(), ErrorCode::Conflict);
        QVERIFY(!wb.isOpen());
        QCOMPARE(state(b), before);
        QCOMPARE(fileHash(path), hash);
    }

    void refusesUnknownTypeAndChangesNothing()
    {
        const QString path = m_dir.filePath(QStringLiteral("types.osw"));
        const QString image = m_dir.filePath(QStringLiteral("types-image.osw"));
        for (const bool fromSnapshot : {true, false}) {
            QFile::remove(path);
            {
                Engine a;
                registerTypes(a);
                Workspace ws(&a);
                QVERIFY(ws.open(path));
                a.addTopic<IntTopic>(QStringLiteral("n"), 1);
                a.createObject<Note>();
                QVERIFY(ws.flush());
                crashImage(path, image);
            }
            const QString file = fromSnapshot ? path : image;
            foldWal(file);
            const QByteArray hash = fileHash(file);
            Engine b; // no types registered: Note is unknown
            const QByteArray before = state(b);
            Workspace wb(&b);
            const Result<void> opened = wb.open(file);
            QVERIFY(!opened);
            QVERIFY2(opened.errorMessage().contains(QStringLiteral("Note")),
                     qPrintable(opened.errorMessage()));
            QCOMPARE(state(b), before);
            QCOMPARE(fileHash(file), hash);
            QVERIFY(!QFile::exists(file + QStringLiteral(".lock")));
            // With the type it opens.
            registerTypes(b);
            VERIFY_OK(wb.open(file));
            QCOMPARE(b.root()->children().size(), 1);
        }
    }

    void refusesSecondUser()
    {
        const QString path = m_dir.filePath(QStringLiteral("shared.osw"));
        Engine a, b;
        Workspace wa(&a), wb(&b);
        QVERIFY(wa.open(path));
        const Result<void> second = wb.open(path);
        QVERIFY(!second);
        QVERIFY2(second.errorMessage().contains(QStringLiteral("in use")),
                 qPrintable(second.errorMessage()));
        QCOMPARE(second.error().code(), ErrorCode::Conflict);
        const Result<void> again = wa.open(path);
        QVERIFY(!again); // already open
        QCOMPARE(again.error().code(), ErrorCode::Conflict);
        wa.close();
        VERIFY_OK(wb.open(path));
    }

    void refusesInsideTransition()
    {
        Engine e;
        Workspace ws(&e);
        bool opened = true;
        const QString error = e.tryTransition([&] {
            e.addTopic<IntTopic>(QStringLiteral("n"));
            opened = ws.open(m_dir.filePath(QStringLiteral("tx.osw"))).ok();
        }).errorMessage();
        QVERIFY(error.isEmpty());
        QVERIFY(!opened);
        QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("tx.osw"))));
    }

private:
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TstWorkspaceRefusals)
#include "tst_workspacerefusals.moc"
