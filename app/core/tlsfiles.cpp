// SPDX-License-Identifier: MIT
#include "tlsfiles.h"

#include <QFile>
#include <QFileInfo>
#include <QSslCertificate>
#include <QSslKey>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>

namespace objectsync {

namespace {

/*! The contents of \a path, which must not be empty. */
Result<QByteArray> readFile(const QString &what, const QString &path)
{
    QFile file(path);
    if (!QFileInfo::exists(path))
        return Error(ErrorCode::NotFound,
                     QStringLiteral("cannot read the TLS %1 '%2': no such file").arg(what, path));
    if (!file.open(QIODevice::ReadOnly))
        return Error(
            ErrorCode::Io,
            QStringLiteral("cannot read the TLS %1 '%2': %3").arg(what, path, file.errorString()));
    QByteArray data = file.readAll();
    if (data.isEmpty())
        return Error(
            ErrorCode::InvalidArgument,
            QStringLiteral("cannot use the TLS %1 '%2': the file is empty").arg(what, path));
    return data;
}

/*! Whether the PEM private key \a keyPem belongs to the first certificate in \a certPem
 *  (OpenSSL compares the key pair; Qt cannot derive a public key from a private one). */
bool keyMatchesCertificate(const QByteArray &certPem, const QByteArray &keyPem)
{
    const auto freeBio = [](BIO *b) { BIO_free(b); };
    std::unique_ptr<BIO, decltype(freeBio)> certBio(
        BIO_new_mem_buf(certPem.constData(), int(certPem.size())), freeBio);
    std::unique_ptr<BIO, decltype(freeBio)> keyBio(
        BIO_new_mem_buf(keyPem.constData(), int(keyPem.size())), freeBio);
    if (!certBio || !keyBio)
        return false;
    std::unique_ptr<X509, decltype(&X509_free)> cert(
        PEM_read_bio_X509(certBio.get(), nullptr, nullptr, nullptr), &X509_free);
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
        PEM_read_bio_PrivateKey(keyBio.get(), nullptr, nullptr, nullptr), &EVP_PKEY_free);
    return cert && key && X509_check_private_key(cert.get(), key.get()) == 1;
}

QSslKey parseKey(const QByteArray &pem)
{
    for (const QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec, QSsl::Dsa, QSsl::Dh}) {
        QSslKey key(pem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull())
            return key;
    }
    return {};
}

} // namespace

Result<QSslConfiguration> loadTlsFiles(const QString &certificatePath, const QString &keyPath)
{
    const Result<QByteArray> certRead = readFile(QStringLiteral("certificate"), certificatePath);
    if (!certRead)
        return certRead.error();
    const Result<QByteArray> keyRead = readFile(QStringLiteral("key"), keyPath);
    if (!keyRead)
        return keyRead.error();
    const QByteArray &certPem = *certRead;
    const QByteArray &keyPem = *keyRead;

    const QList<QSslCertificate> chain = QSslCertificate::fromData(certPem, QSsl::Pem);
    if (chain.isEmpty() || chain.constFirst().isNull())
        return Error(
            ErrorCode::InvalidArgument,
            QStringLiteral("cannot use the TLS certificate '%1': it holds no PEM certificate")
                .arg(certificatePath));
    const QSslKey key = parseKey(keyPem);
    if (key.isNull())
        return Error(
            ErrorCode::InvalidArgument,
            QStringLiteral("cannot use the TLS key '%1': it holds no PEM private key (or the "
                           "key is encrypted)")
                .arg(keyPath));
    if (!keyMatchesCertificate(certPem, keyPem))
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("the TLS key '%1' does not belong to the certificate '%2'")
                         .arg(keyPath, certificatePath));

    QSslConfiguration c = QSslConfiguration::defaultConfiguration();
    c.setLocalCertificateChain(chain);
    c.setPrivateKey(key);
    c.setPeerVerifyMode(QSslSocket::VerifyNone); // clients are not asked for certificates
    return c;
}

} // namespace objectsync
