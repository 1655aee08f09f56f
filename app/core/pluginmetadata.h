// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/result.h>

#include <QJsonObject>
#include <QString>

namespace objectsync {

/*! The metadata of a plugin file, as read without loading the library. */
struct PluginMetadata
{
    QString iid;         //!< the interface the plugin implements
    QString className;   //!< its plugin class
    int qtVersion = 0;   //!< the Qt it was built with (QT_VERSION encoding)
    QString id;          //!< its id: letters, digits, '.', '-', '_'
    QString version;     //!< its own version
    QString description; //!< one line for people
    int apiVersion = 0;  //!< the engine API version it was built for
};

/*!
 * Reads \a loaderMetaData (what QPluginLoader::metaData() returns) into \a out and checks
 * that the plugin fits a host running Qt \a hostQtVersion (QT_VERSION encoding) with engine
 * API objectsync::ApiVersion. Returns success when it fits, otherwise the reason
 * (InvalidArgument), written for people. \a out is filled as far as the metadata could be read
 * either way.
 */
Result<void> checkPluginMetadata(const QJsonObject &loaderMetaData, PluginMetadata *out,
                                 int hostQtVersion);

/*! The Qt version the host runs, in QT_VERSION encoding. */
int runtimeQtVersion();

/*! "6.4.2" for a QT_VERSION-encoded version. */
QString qtVersionString(int version);

} // namespace objectsync
