// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPair>
#include <QString>

namespace objectsync::web {

/*! Where the head of an HTTP request ends in what was received so far. */
struct HeadScan
{
    enum Status : quint8 {
        Incomplete, //!< no empty line yet, and still within the limit
        Complete,   //!< size is the length of the head, empty line included
        TooLarge    //!< more than the limit arrived without an empty line
    };
    Status status = Incomplete;
    qsizetype size = 0;
};

/*! Looks for the empty line closing a request head in \a received, allowing at most
 *  \a maxHeadBytes for the head. */
HeadScan scanRequestHead(QByteArrayView received, qsizetype maxHeadBytes);

/*! The request line and headers of an HTTP/1.x request. */
struct HttpRequestHead
{
    QByteArray method;                            //!< as sent ("GET")
    QByteArray target;                            //!< the request target ("/index.html?x=1")
    int minorVersion = 1;                         //!< HTTP/1.<minorVersion>
    QList<QPair<QByteArray, QByteArray>> headers; //!< names lower-cased, values trimmed

    /*! The value of header \a lowerCaseName; repeated headers are joined with ", ". */
    QByteArray header(QByteArrayView lowerCaseName) const;
    /*! True when header \a lowerCaseName lists \a token (comma-separated, any case). */
    bool headerHasToken(QByteArrayView lowerCaseName, QByteArrayView token) const;
    /*! A request to switch the connection to the WebSocket protocol. */
    bool isWebSocketUpgrade() const;
    /*! The path part of the target, before any '?' or '#', still percent-encoded. */
    QByteArray path() const;
};

/*!
 * Reads a complete request head (as found by scanRequestHead()) into \a head. Returns an
 * empty string, or what is wrong with it (then \a head is unspecified).
 */
QString parseRequestHead(QByteArrayView bytes, HttpRequestHead *head);

} // namespace objectsync::web
