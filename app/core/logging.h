// SPDX-License-Identifier: MIT
#pragma once

#include <QLoggingCategory>

namespace objectsync {

Q_DECLARE_LOGGING_CATEGORY(lcHost)    //!< "objectsync.host": start-up, listening, shutdown
Q_DECLARE_LOGGING_CATEGORY(lcPlugins) //!< "objectsync.plugins": finding and loading plugins

} // namespace objectsync
