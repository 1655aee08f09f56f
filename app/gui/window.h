// SPDX-License-Identifier: MIT
#pragma once

#include <QCoreApplication>
#include <memory>

namespace objectsync {

class Host;

/*! The application object: a GUI one when \a window and this build has the inspector. */
std::unique_ptr<QCoreApplication> createApplication(int &argc, char **argv, bool window);

/*! Opens the inspector window on \a host and returns it; null when this build has none.
 *  Destroy it before \a host. */
std::unique_ptr<QObject> openInspector(Host &host);

} // namespace objectsync
