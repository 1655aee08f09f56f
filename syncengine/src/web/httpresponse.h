// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>

namespace objectsync::web {

/*! An HTTP/1.1 response; every response closes its connection. */
struct HttpResponse
{
    int status = 200;
    QByteArray contentType = "text/plain; charset=utf-8";
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> extraHeaders;

    /*! A short plain-text response for an error status. */
    static HttpResponse error(int status, const QByteArray &message = {});

    /*! The bytes to send: status line, headers and, unless \a headOnly, the body. The
     *  Content-Length is the body's either way. */
    QByteArray serialize(bool headOnly) const;
};

/*! The reason phrase of a status code ("Not Found"). */
QByteArray reasonPhrase(int status);

} // namespace objectsync::web
