// SPDX-License-Identifier: MIT
#pragma once

#include <QSslConfiguration>
#include <QString>

namespace objectsync {

/*!
 * Reads a TLS certificate (chain, PEM) and its private key (PEM, not encrypted) into a server
 * configuration. Returns an empty string, or why not, naming the file: missing, unreadable,
 * holding no certificate or key, or a key that does not belong to the certificate.
 */
QString loadTlsFiles(const QString &certificatePath, const QString &keyPath,
                     QSslConfiguration *configuration);

} // namespace objectsync
