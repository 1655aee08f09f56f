// SPDX-License-Identifier: MIT
#pragma once

/*!
 * \file plugininfo.h
 * What the host knows about each plugin file it found: listed by --list-plugins, the log and
 * the inspector.
 */

#include <QList>
#include <QString>
#include <QStringList>

namespace objectsync {

/*! One plugin file the host found, whether it was loaded or refused. */
struct PluginInfo
{
    enum class State : quint8 {
        Loaded,  //!< initialised; its types, services and scenes are available
        Refused, //!< did not fit (not a plugin, wrong interface, API or Qt version, a clash)
        Failed   //!< fitted, but the library could not be loaded or its initialisation threw
    };

    QString fileName;    //!< absolute path of the library
    QString id;          //!< from the metadata; empty when there was none
    QString version;     //!< the plugin's own version
    QString description; //!< one line for people
    int apiVersion = 0;  //!< the engine API version it was built for
    State state = State::Refused;
    QString error;              //!< why it was refused or failed; empty when loaded
    QStringList types;          //!< object types it registered
    QStringList services;       //!< services it registered
    QStringList objectServices; //!< per-object services of its types: "<Type>/name"
    QStringList events;         //!< event topics it handles
    QStringList topics;         //!< plain topics it declared
    QStringList scenes;         //!< scenes it offers
    bool accessPolicy = false;  //!< it decides who may connect, write and call

    bool isLoaded() const { return state == State::Loaded; }
};

using PluginInfoList = QList<PluginInfo>;

/*! "loaded", "refused" or "failed". */
inline QString pluginStateName(PluginInfo::State state)
{
    switch (state) {
    case PluginInfo::State::Loaded:
        return QStringLiteral("loaded");
    case PluginInfo::State::Refused:
        return QStringLiteral("refused");
    case PluginInfo::State::Failed:
        return QStringLiteral("failed");
    }
    return {};
}

} // namespace objectsync
