// SPDX-License-Identifier: MIT
#include "httprequest.h"

namespace objectsync::web {

namespace {

constexpr QByteArrayView headEnd("\r\n\r\n");

bool isTokenChar(char c)
{
    // RFC 9110 tchar.
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
}

bool isToken(QByteArrayView text)
{
    if (text.isEmpty())
        return false;
    for (char c : text)
        if (!isTokenChar(c))
            return false;
    return true;
}

bool hasControlChars(QByteArrayView text)
{
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && c != '\t') || u == 0x7f)
            return true;
    }
    return false;
}

} // namespace

HeadScan scanRequestHead(QByteArrayView received, qsizetype maxHeadBytes)
{
    const qsizetype end = received.indexOf(headEnd);
    if (end >= 0 && end + headEnd.size() <= maxHeadBytes)
        return {HeadScan::Complete, end + headEnd.size()};
    if (end >= 0 || received.size() >= maxHeadBytes)
        return {HeadScan::TooLarge, 0};
    return {HeadScan::Incomplete, 0};
}

QByteArray HttpRequestHead::header(QByteArrayView lowerCaseName) const
{
    QByteArray value;
    for (const auto &[name, v] : headers) {
        if (name != lowerCaseName)
            continue;
        if (!value.isEmpty())
            value += ", ";
        value += v;
    }
    return value;
}

bool HttpRequestHead::headerHasToken(QByteArrayView lowerCaseName, QByteArrayView token) const
{
    const QByteArray value = header(lowerCaseName);
    for (const QByteArray &part : value.split(',')) {
        if (part.trimmed().compare(token, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

bool HttpRequestHead::isWebSocketUpgrade() const
{
    return headerHasToken("upgrade", "websocket") && headerHasToken("connection", "upgrade");
}

QByteArray HttpRequestHead::path() const
{
    qsizetype end = target.size();
    for (char stop : {'?', '#'}) {
        const qsizetype i = target.indexOf(stop);
        if (i >= 0 && i < end)
            end = i;
    }
    return target.left(end);
}

QString parseRequestHead(QByteArrayView bytes, HttpRequestHead *head)
{
    if (!bytes.endsWith(headEnd))
        return QStringLiteral("the request head is incomplete");
    const QByteArrayView text = bytes.first(bytes.size() - headEnd.size());
    QList<QByteArrayView> lines;
    qsizetype start = 0;
    while (start <= text.size()) {
        qsizetype end = text.indexOf(QByteArrayView("\r\n"), start);
        if (end < 0)
            end = text.size();
        lines.append(text.sliced(start, end - start));
        start = end + 2;
    }

    // Request line: METHOD SP TARGET SP HTTP/1.x
    const QByteArrayView requestLine = lines.value(0);
    const qsizetype sp1 = requestLine.indexOf(' ');
    const qsizetype sp2 = sp1 < 0 ? -1 : requestLine.indexOf(' ', sp1 + 1);
    if (sp1 <= 0 || sp2 <= sp1 + 1 || requestLine.indexOf(' ', sp2 + 1) >= 0)
        return QStringLiteral("the request line is malformed");
    const QByteArrayView method = requestLine.first(sp1);
    const QByteArrayView target = requestLine.sliced(sp1 + 1, sp2 - sp1 - 1);
    const QByteArrayView version = requestLine.sliced(sp2 + 1);
    if (!isToken(method))
        return QStringLiteral("the request method is malformed");
    if (hasControlChars(target) || target.contains('\t'))
        return QStringLiteral("the request target is malformed");
    if (version.size() != 8 || !version.startsWith("HTTP/1.") || version[7] < '0' ||
        version[7] > '9')
        return QStringLiteral("only HTTP/1.x is supported");
    head->method = method.toByteArray();
    head->target = target.toByteArray();
    head->minorVersion = version[7] - '0';
    head->headers.clear();

    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArrayView line = lines[i];
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return QStringLiteral("a header line is malformed");
        const QByteArrayView name = line.first(colon);
        const QByteArrayView value = line.sliced(colon + 1);
        if (!isToken(name))
            return QStringLiteral("a header name is malformed");
        if (hasControlChars(value))
            return QStringLiteral("a header value holds control characters");
        head->headers.append({name.toByteArray().toLower(), value.toByteArray().trimmed()});
    }
    return {};
}

} // namespace objectsync::web
