// SPDX-License-Identifier: MIT
#include "enginebridge.h"

namespace objectsync::storage {

bool replay(Engine *engine, const std::function<void(ReplayScope &scope)> &apply,
            const std::function<bool(QString *error)> &beforeCommit, QString *error)
{
    try {
        ReplayScope scope(engine);
        apply(scope);
        if (!beforeCommit(error)) {
            scope.rollback();
            return false;
        }
        scope.commit();
    } catch (const std::exception &e) {
        *error = QString::fromUtf8(e.what());
        return false;
    }
    return true;
}

} // namespace objectsync::storage
