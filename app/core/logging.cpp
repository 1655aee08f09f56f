// SPDX-License-Identifier: MIT
#include "logging.h"

namespace objectsync {

Q_LOGGING_CATEGORY(lcHost, "objectsync.host")
Q_LOGGING_CATEGORY(lcPlugins, "objectsync.plugins")

} // namespace objectsync
