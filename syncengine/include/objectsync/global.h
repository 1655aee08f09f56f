// SPDX-License-Identifier: MIT
#pragma once

/*!
 * \file global.h
 * Export macro and the engine API version shared by the host and its plugins.
 */

#include <QtCore/qglobal.h>

#if defined(OBJECTSYNC_BUILDING_LIBRARY)
#define OBJECTSYNC_EXPORT Q_DECL_EXPORT
#else
#define OBJECTSYNC_EXPORT Q_DECL_IMPORT
#endif

namespace objectsync {

/*!
 * The version of the engine API a plugin was compiled against. A plugin built for another
 * major version is refused by the host.
 */
inline constexpr int ApiVersion = 3;

} // namespace objectsync
