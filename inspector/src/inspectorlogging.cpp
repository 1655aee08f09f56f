// SPDX-License-Identifier: MIT
#include "inspectorlogging.h"

namespace objectsync {

Q_LOGGING_CATEGORY(lcInspector, "objectsync.inspector")

} // namespace objectsync
