// SPDX-License-Identifier: MIT
#pragma once

#include <QLoggingCategory>

namespace objectsync {

Q_DECLARE_LOGGING_CATEGORY(lcInspector)

} // namespace objectsync
