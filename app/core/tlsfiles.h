// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/result.h>

#include <QSslConfiguration>
#include <QString>

namespace objectsync {

/*!
 * Reads a TLS certificate (chain, PEM) and its private key (PEM, not encrypted) into a server
 * configuration, or says why not, naming the file: missing (NotFound), unreadable (Io),
 * holding no certificate or key, or a key that does not belong to the certificate
 * (InvalidArgument).
 */
Result<QSslConfiguration> loadTlsFiles(const QString &certificatePath, const QString &keyPath);

} // namespace objectsync
