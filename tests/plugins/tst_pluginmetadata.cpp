// SPDX-License-Identifier: MIT
// The checks the host makes on a plugin's metadata before loading it.
#include "core/pluginmetadata.h"

#include <objectsync/global.h>
#include <objectsync/plugin.h>

#include <QtTest>

using namespace objectsync;

namespace {

const int hostQt = QT_VERSION_CHECK(6, 4, 2);

QJsonObject metaData(const QJsonObject &custom,
                     const QString &iid = QStringLiteral(ObjectSyncObjectTypePlugin_iid),
                     int qt = QT_VERSION_CHECK(6, 4, 0))
{
    return {{QStringLiteral("IID"), iid},
            {QStringLiteral("className"), QStringLiteral("SomePlugin")},
            {QStringLiteral("version"), qt},
            {QStringLiteral("MetaData"), custom}};
}

QJsonObject fitting()
{
    return {{QStringLiteral("id"), QStringLiteral("some")},
            {QStringLiteral("version"), QStringLiteral("1.2.3")},
            {QStringLiteral("description"), QStringLiteral("a test")},
            {QStringLiteral("apiVersion"), ApiVersion}};
}

QJsonObject without(QJsonObject o, const QString &key)
{
    o.remove(key);
    return o;
}

QJsonObject with(QJsonObject o, const QString &key, const QJsonValue &value)
{
    o.insert(key, value);
    return o;
}

} // namespace

class TstPluginMetadata : public QObject
{
    Q_OBJECT
private slots:
    void fittingPluginIsAccepted()
    {
        PluginMetadata md;
        QCOMPARE(checkPluginMetadata(metaData(fitting()), &md, hostQt).errorMessage(), QString());
        QCOMPARE(md.id, QStringLiteral("some"));
        QCOMPARE(md.version, QStringLiteral("1.2.3"));
        QCOMPARE(md.description, QStringLiteral("a test"));
        QCOMPARE(md.apiVersion, ApiVersion);
        QCOMPARE(md.className, QStringLiteral("SomePlugin"));
    }

    void refusals_data()
    {
        QTest::addColumn<QJsonObject>("metaData");
        QTest::addColumn<QString>("reason");
        QTest::newRow("no metadata") << QJsonObject() << "not a Qt plugin";
        QTest::newRow("another interface")
            << metaData(fitting(), QStringLiteral("org.example.Other/1.0"))
            << "not an ObjectSync object-type plugin (its interface is \"org.example.Other/1.0\"";
        QTest::newRow("older interface version")
            << metaData(fitting(), QStringLiteral("org.objectsync.ObjectTypePlugin/0.9"))
            << "it implements plugin interface org.objectsync.ObjectTypePlugin/0.9, but this host "
               "needs " ObjectSyncObjectTypePlugin_iid;
        QTest::newRow("newer Qt minor")
            << metaData(fitting(), QStringLiteral(ObjectSyncObjectTypePlugin_iid),
                        QT_VERSION_CHECK(6, 7, 0))
            << "built against an incompatible Qt 6.7.0; the host runs Qt 6.4.2";
        QTest::newRow("other Qt major")
            << metaData(fitting(), QStringLiteral(ObjectSyncObjectTypePlugin_iid),
                        QT_VERSION_CHECK(5, 15, 0))
            << "built against an incompatible Qt 5.15.0";
        QTest::newRow("no Qt version")
            << without(metaData(fitting()), QStringLiteral("version")) << "which Qt";
        QTest::newRow("no ObjectSync section")
            << without(metaData(fitting()), QStringLiteral("MetaData")) << "no ObjectSync section";
        QTest::newRow("no id") << metaData(without(fitting(), QStringLiteral("id")))
                               << "no valid \"id\"";
        QTest::newRow("bad id") << metaData(
                                       with(fitting(), QStringLiteral("id"), QStringLiteral("a b")))
                                << "no valid \"id\"";
        QTest::newRow("no version")
            << metaData(without(fitting(), QStringLiteral("version"))) << "no \"version\"";
        QTest::newRow("no api version")
            << metaData(without(fitting(), QStringLiteral("apiVersion"))) << "(\"apiVersion\")";
        QTest::newRow("api version as text")
            << metaData(with(fitting(), QStringLiteral("apiVersion"), QStringLiteral("1")))
            << "(\"apiVersion\")";
        QTest::newRow("other api version")
            << metaData(with(fitting(), QStringLiteral("apiVersion"), ApiVersion + 1))
            << QStringLiteral("built for engine API version %1, but this host provides version %2")
                   .arg(ApiVersion + 1)
                   .arg(ApiVersion);
    }

    void refusals()
    {
        QFETCH(QJsonObject, metaData);
        QFETCH(QString, reason);
        PluginMetadata md;
        const QString why = checkPluginMetadata(metaData, &md, hostQt).errorMessage();
        QVERIFY2(why.contains(reason), qPrintable(why));
    }

    void olderQtMinorFits()
    {
        QCOMPARE(
            checkPluginMetadata(metaData(fitting(), QStringLiteral(ObjectSyncObjectTypePlugin_iid),
                                         QT_VERSION_CHECK(6, 2, 0)),
                                nullptr, hostQt)
                .errorMessage(),
            QString());
    }

    void runtimeVersionIsReadable()
    {
        QCOMPARE(qtVersionString(QT_VERSION_CHECK(6, 4, 2)), QStringLiteral("6.4.2"));
        QCOMPARE((runtimeQtVersion() >> 16) & 0xff, QT_VERSION_MAJOR);
    }
};

QTEST_GUILESS_MAIN(TstPluginMetadata)
#include "tst_pluginmetadata.moc"
