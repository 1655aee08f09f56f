// SPDX-License-Identifier: MIT
#include "tokenauthplugin.h"

#include "tokenpolicy.h"

#include <QFile>

namespace tokenauth {

void TokenAuthPlugin::initialize(objectsync::PluginContext &context)
{
    const QString fileName = qEnvironmentVariable("OBJECTSYNC_TOKENS_FILE");
    if (fileName.isEmpty()) {
        qCDebug(lcTokenAuth) << "OBJECTSYNC_TOKENS_FILE is not set: every client may connect";
        return;
    }
    auto policy = std::make_shared<TokenPolicy>();
    QFile file(fileName);
    QString why;
    if (!file.open(QIODevice::ReadOnly))
        why = QStringLiteral("cannot read %1: %2").arg(fileName, file.errorString());
    else if (const QString error = policy->load(file.readAll()); !error.isEmpty())
        why = QStringLiteral("%1: %2").arg(fileName, error);
    if (why.isEmpty()) {
        qCInfo(lcTokenAuth).noquote()
            << QStringLiteral("%1 token(s) from %2").arg(policy->tokenCount()).arg(fileName);
    } else {
        // Failing open would let everyone in: refuse every client until the file is fixed.
        qCCritical(lcTokenAuth).noquote()
            << QStringLiteral("the tokens file is unusable, so every client is refused: %1")
                   .arg(why);
        policy->refuseAll(QStringLiteral("the tokens file is unusable: ") + why);
    }
    context.setAccessPolicy(policy);
}

} // namespace tokenauth
