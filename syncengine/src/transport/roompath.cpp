// SPDX-License-Identifier: MIT
// Room names and the WebSocket paths that carry them (objectsync/room.h).
#include <objectsync/room.h>

namespace objectsync {

namespace {

const QString roomsPath = QStringLiteral("/rooms");

bool isNameCharacter(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9') ||
           u == u'.' || u == u'_' || u == u'-';
}

} // namespace

bool isValidRoomName(QStringView name)
{
    if (name.isEmpty() || name.size() > 64)
        return false;
    bool onlyDots = true;
    for (const QChar c : name) {
        if (!isNameCharacter(c))
            return false;
        onlyDots = onlyDots && c == u'.';
    }
    return !onlyDots;
}

Result<QString> roomOfPath(const QString &path)
{
    if (path != roomsPath && !path.startsWith(roomsPath + QLatin1Char('/')))
        return defaultRoomName;
    QStringView name = QStringView(path).mid(roomsPath.size() + 1);
    if (name.endsWith(u'/'))
        name.chop(1);
    if (name.isEmpty())
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("the path names no room: use /rooms/<name>"));
    if (!isValidRoomName(name))
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("not a valid room name: use 1 to 64 characters of "
                                    "A-Z a-z 0-9 . _ - (and not only dots)"));
    return name.toString();
}

} // namespace objectsync
