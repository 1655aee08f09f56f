// SPDX-License-Identifier: MIT
#include "enginebridge.h"

namespace objectsync::storage {

Result<void> replay(Engine *engine, const std::function<void(ReplayScope &scope)> &apply,
                    const std::function<Result<void>()> &beforeCommit)
{
    try {
        ReplayScope scope(engine);
        apply(scope);
        if (Result<void> ready = beforeCommit(); !ready) {
            scope.rollback();
            return ready;
        }
        scope.commit();
    } catch (const Error &e) {
        return e;
    } catch (const std::exception &e) {
        return Error(QString::fromUtf8(e.what()));
    }
    return {};
}

} // namespace objectsync::storage
