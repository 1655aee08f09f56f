// SPDX-License-Identifier: MIT
// Built when the inspector library is not part of the build: the host is always headless.
#include "window.h"

#include "core/epolldispatcher.h"

namespace objectsync {

std::unique_ptr<QCoreApplication> createApplication(int &argc, char **argv, bool)
{
    installEpollDispatcher(); // a server's loop: see core/epolldispatcher.h
    return std::make_unique<QCoreApplication>(argc, argv);
}

std::unique_ptr<QObject> openInspector(Host &)
{
    return nullptr;
}

} // namespace objectsync
