// SPDX-License-Identifier: MIT
#include "pluginmetadata.h"

#include <objectsync/global.h>
#include <objectsync/plugin.h>

#include <QJsonValue>
#include <QRegularExpression>
#include <QVersionNumber>

namespace objectsync {

namespace {

bool isValidId(const QString &id)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"));
    return pattern.match(id).hasMatch();
}

} // namespace

int runtimeQtVersion()
{
    const QVersionNumber v = QVersionNumber::fromString(QString::fromLatin1(qVersion()));
    return QT_VERSION_CHECK(v.majorVersion(), v.minorVersion(), v.microVersion());
}

QString qtVersionString(int version)
{
    return QStringLiteral("%1.%2.%3")
        .arg((version >> 16) & 0xff)
        .arg((version >> 8) & 0xff)
        .arg(version & 0xff);
}

Result<void> checkPluginMetadata(const QJsonObject &loaderMetaData, PluginMetadata *out,
                                 int hostQtVersion)
{
    PluginMetadata md;
    md.iid = loaderMetaData.value(QLatin1String("IID")).toString();
    md.className = loaderMetaData.value(QLatin1String("className")).toString();
    md.qtVersion = loaderMetaData.value(QLatin1String("version")).toInt();
    const QJsonValue customValue = loaderMetaData.value(QLatin1String("MetaData"));
    const QJsonObject custom = customValue.toObject();
    md.id = custom.value(QLatin1String("id")).toString();
    md.version = custom.value(QLatin1String("version")).toString();
    md.description = custom.value(QLatin1String("description")).toString();
    md.apiVersion = custom.value(QLatin1String("apiVersion")).toInt();
    if (out)
        *out = md;

    if (loaderMetaData.isEmpty())
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("not a Qt plugin (it has no plugin metadata)"));

    const QString expectedIid = QStringLiteral(ObjectSyncObjectTypePlugin_iid);
    if (md.iid != expectedIid) {
        const QString family = expectedIid.left(expectedIid.indexOf(QLatin1Char('/')) + 1);
        if (md.iid.startsWith(family))
            return Error(ErrorCode::InvalidArgument,
                         QStringLiteral("it implements plugin interface %1, but this host needs %2")
                             .arg(md.iid, expectedIid));
        return Error(
            ErrorCode::InvalidArgument,
            QStringLiteral("not an ObjectSync object-type plugin (its interface is \"%1\", "
                           "expected \"%2\")")
                .arg(md.iid, expectedIid));
    }

    const int pluginMajor = (md.qtVersion >> 16) & 0xff;
    const int pluginMinor = (md.qtVersion >> 8) & 0xff;
    const int hostMajor = (hostQtVersion >> 16) & 0xff;
    const int hostMinor = (hostQtVersion >> 8) & 0xff;
    if (md.qtVersion <= 0)
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("its metadata does not say which Qt it was built with"));
    if (pluginMajor != hostMajor || pluginMinor > hostMinor)
        return Error(
            ErrorCode::InvalidArgument,
            QStringLiteral("it was built against an incompatible Qt %1; the host runs Qt %2")
                .arg(qtVersionString(md.qtVersion), qtVersionString(hostQtVersion)));

    if (!customValue.isObject())
        return Error(
            ErrorCode::InvalidArgument,
            QStringLiteral("its metadata has no ObjectSync section (id, version, apiVersion); "
                           "build it with objectsync_add_plugin()"));
    if (!isValidId(md.id))
        return Error(
            ErrorCode::InvalidArgument,
            QStringLiteral("its metadata has no valid \"id\" (letters, digits, '.', '-', '_')"));
    if (md.version.isEmpty())
        return Error(ErrorCode::InvalidArgument, QStringLiteral("its metadata has no \"version\""));
    const QJsonValue api = custom.value(QLatin1String("apiVersion"));
    if (!api.isDouble())
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("its metadata does not say which engine API it was built for "
                                    "(\"apiVersion\")"));
    if (md.apiVersion != ApiVersion)
        return Error(
            ErrorCode::InvalidArgument,
            QStringLiteral("it was built for engine API version %1, but this host provides "
                           "version %2")
                .arg(api.toDouble())
                .arg(ApiVersion));
    return {};
}

} // namespace objectsync
