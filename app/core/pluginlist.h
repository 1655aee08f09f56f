// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

namespace objectsync {

class PluginManager;

/*! The plugins and scenes of \a manager as text for people (--list-plugins). */
QString formatPluginList(const PluginManager &manager);

} // namespace objectsync
