// SPDX-License-Identifier: MIT
// Provides a TokenPolicy read from the JSON file named by the environment variable
// OBJECTSYNC_TOKENS_FILE, for example {"s3cret": "editor", "guest": "viewer"}. Without the
// variable it provides nothing, and everyone may connect as before. A file that cannot be read
// or is not valid makes the host refuse every client (and says why) rather than let everyone
// in.
#include "tokenpolicy.h"

#include <objectsync/plugin.h>

#include <QFile>

OBJECTSYNC_PLUGIN(context)
{
    using tokenauth::lcTokenAuth;
    const QString fileName = qEnvironmentVariable("OBJECTSYNC_TOKENS_FILE");
    if (fileName.isEmpty()) {
        qCDebug(lcTokenAuth) << "OBJECTSYNC_TOKENS_FILE is not set: every client may connect";
        return;
    }
    auto policy = std::make_shared<tokenauth::TokenPolicy>();
    QFile file(fileName);
    QString why;
    if (!file.open(QIODevice::ReadOnly))
        why = QString("cannot read %1: %2").arg(fileName, file.errorString());
    else if (const objectsync::Result<void> loaded = policy->load(file.readAll()); !loaded)
        why = QString("%1: %2").arg(fileName, loaded.error().message());
    if (why.isEmpty()) {
        qCInfo(lcTokenAuth).noquote()
            << QString("%1 token(s) from %2").arg(policy->tokenCount()).arg(fileName);
    } else {
        // Failing open would let everyone in: refuse every client until the file is fixed.
        qCCritical(lcTokenAuth).noquote()
            << "the tokens file is unusable, so every client is refused:" << why;
        policy->refuseAll("the tokens file is unusable: " + why);
    }
    context.setAccessPolicy(policy);
}
