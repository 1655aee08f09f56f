// SPDX-License-Identifier: MIT
#pragma once

#include <QLoggingCategory>

namespace objectsync::web {

Q_DECLARE_LOGGING_CATEGORY(lcWeb)

} // namespace objectsync::web
