// SPDX-License-Identifier: MIT
// The inspector on a host that serves clients: its edits reach a connected C++ client, and
// the client's changes reach the inspector, over a real WebSocket on 127.0.0.1.
#include "testobjects.h"

#include "clientmodel.h"

#include <objectsync/client.h>
#include <objectsync/inspectorwindow.h>
#include <objectsync/server.h>

#include <QLineEdit>
#include <QTableView>
#include <QTreeView>
#include <QtTest>

using namespace objectsync;

class TstInspectorNetwork : public QObject
{
    Q_OBJECT
private slots:
    void editsTravelBothWays();
    void entryEditKeepsAConcurrentClientEdit();
};

void TstInspectorNetwork::editsTravelBothWays()
{
    Engine engine;
    engine.registerType<Item>();
    auto *item = engine.createObject<Item>();
    Server server(&engine);
    QCOMPARE(server.listen(QHostAddress::LocalHost, 0).errorMessage(), QString());

    // Wired the way the host application wires them.
    InspectorWindow window(&engine);
    connect(&server, &Server::clientConnected, &window, &InspectorWindow::clientConnected);
    connect(&server, &Server::clientDisconnected, &window, &InspectorWindow::clientDisconnected);
    connect(&server, &Server::clientStatsChanged, &window, [&](const QList<int> &ids) {
        for (int id : ids) {
            const ClientInfo info = server.clientInfo(id);
            window.clientStatsChanged(id, info.subscriptions, info.bytesIn, info.bytesOut);
        }
    });
    window.show();

    Client client;
    client.setFollow(Client::Follow::Everything);
    client.open(QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(server.port())));
    QTRY_COMPARE(client.state(), Client::State::Connected);
    QTRY_VERIFY(client.hasValue(item->count->name()) && client.hasValue(item->name->name()));

    // The clients panel lists the client with its traffic.
    auto *clients = window.findChild<QTableView *>(QStringLiteral("clientTable"));
    QTRY_COMPARE(clients->model()->rowCount(), 1);
    QCOMPARE(clients->model()->index(0, ClientModel::IdColumn).data().toInt(), client.clientId());
    QTRY_VERIFY(clients->model()
                    ->index(0, ClientModel::BytesOutColumn)
                    .data(ClientModel::SortRole)
                    .toLongLong() > 0);

    // An edit in the inspector arrives at the client.
    QVERIFY(window.selectObject(item->id()));
    auto *attributes = window.findChild<QTreeView *>(QStringLiteral("attributeView"));
    const auto valueCell = [&](const QString &name) {
        const QAbstractItemModel *m = attributes->model();
        for (int r = 0; r < m->rowCount(); ++r)
            if (m->index(r, 0).data().toString() == name)
                return m->index(r, 2);
        return QModelIndex();
    };
    const auto openEditor = [&](const QString &name) {
        const QModelIndex cell = valueCell(name);
        attributes->setCurrentIndex(cell);
        attributes->edit(cell);
        return qobject_cast<QLineEdit *>(attributes->indexWidget(cell));
    };
    QLineEdit *editor = openEditor(QStringLiteral("count"));
    QVERIFY(editor);
    editor->selectAll();
    QTest::keyClicks(editor, QStringLiteral("42"));
    QTest::keyClick(editor, Qt::Key_Return);
    QTRY_COMPARE(client.value(item->count->name()).toInteger(), 42);

    // A change the client makes appears in the open editor.
    editor = openEditor(QStringLiteral("name"));
    QVERIFY(editor);
    QVERIFY(client.set(item->name->name(), QStringLiteral("typed on a client")));
    QTRY_COMPARE(item->name->get(), QStringLiteral("typed on a client"));
    QTRY_COMPARE(editor->text(), QStringLiteral("typed on a client"));

    // The transition log names the client as the origin.
    const QString origin = QStringLiteral("client %1").arg(client.clientId());
    auto *log = window.findChild<QTreeView *>(QStringLiteral("transitionLog"));
    const auto logHasOrigin = [&] {
        for (int r = 0; r < log->model()->rowCount(); ++r)
            if (log->model()->index(r, 2).data().toString() == origin)
                return true;
        return false;
    };
    QTRY_VERIFY(logHasOrigin());

    client.close();
    QTRY_COMPARE(clients->model()->rowCount(), 0);
}

void TstInspectorNetwork::entryEditKeepsAConcurrentClientEdit()
{
    Engine engine;
    engine.registerType<Item>();
    auto *item = engine.createObject<Item>();
    Server server(&engine);
    QCOMPARE(server.listen(QHostAddress::LocalHost, 0).errorMessage(), QString());
    InspectorWindow window(&engine);
    window.show();
    Client client;
    client.setFollow(Client::Follow::Everything);
    client.open(QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(server.port())));
    QTRY_COMPARE(client.state(), Client::State::Connected);
    QTRY_VERIFY(client.hasValue(item->style->name()));

    // The inspector opens the editor of the entry "color" of the dict.
    QVERIFY(window.selectObject(item->id()));
    auto *attributes = window.findChild<QTreeView *>(QStringLiteral("attributeView"));
    const QAbstractItemModel *m = attributes->model();
    QModelIndex style;
    for (int r = 0; r < m->rowCount(); ++r)
        if (m->index(r, 0).data().toString() == QStringLiteral("style"))
            style = m->index(r, 0);
    QVERIFY(style.isValid());
    attributes->expand(style);
    const QModelIndex color = m->index(0, 2, style);
    QCOMPARE(m->index(0, 0, style).data().toString(), QStringLiteral("color"));
    attributes->setCurrentIndex(color);
    attributes->edit(color);
    auto *editor = qobject_cast<QLineEdit *>(attributes->indexWidget(color));
    QVERIFY(editor);
    editor->selectAll();
    QTest::keyClicks(editor, QStringLiteral("\"blue\""));

    // Meanwhile a client adds another key.
    QVERIFY(client.addKey(item->style->name(), QStringLiteral("size"), 12));
    QTRY_VERIFY(item->style->contains(QStringLiteral("size")));

    // The inspector's edit changes its entry only: the client's key survives, everywhere.
    QTest::keyClick(editor, Qt::Key_Return);
    QTRY_COMPARE(item->style->value(QStringLiteral("color")).toString(), QStringLiteral("blue"));
    const QJsonObject expected{{QStringLiteral("color"), QStringLiteral("blue")},
                               {QStringLiteral("size"), 12}};
    QCOMPARE(item->style->get(), expected);
    QTRY_COMPARE(client.value(item->style->name()).toObject(), expected);
}

QTEST_MAIN(TstInspectorNetwork)
#include "tst_inspectornetwork.moc"
