// SPDX-License-Identifier: MIT
#include "jsonlimits.h"

#include <QJsonDocument>
#include <QJsonParseError>

namespace objectsync::protocol {

int jsonNestingDepth(QByteArrayView json, int stopAbove)
{
    int depth = 0;
    int deepest = 0;
    bool inString = false;
    const char *p = json.data();
    const char *const end = p + json.size();
    for (; p != end; ++p) {
        const char c = *p;
        if (inString) {
            if (c == '\\') {
                if (p + 1 != end)
                    ++p; // skip the escaped character
            } else if (c == '"') {
                inString = false;
            }
            continue;
        }
        switch (c) {
        case '"':
            inString = true;
            break;
        case '[':
        case '{':
            if (++depth > deepest) {
                deepest = depth;
                if (deepest > stopAbove)
                    return deepest;
            }
            break;
        case ']':
        case '}':
            if (depth > 0)
                --depth;
            break;
        default:
            break;
        }
    }
    return deepest;
}

Result<QJsonObject> parseJsonObject(QByteArrayView json)
{
    QJsonParseError parseError;
    const QJsonDocument doc =
        QJsonDocument::fromJson(QByteArray::fromRawData(json.data(), json.size()), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("the message is not valid JSON (%1 at offset %2)")
                         .arg(parseError.errorString())
                         .arg(parseError.offset));
    if (!doc.isObject())
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("the message must be a JSON object"));
    return doc.object();
}

} // namespace objectsync::protocol
