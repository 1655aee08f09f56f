// SPDX-License-Identifier: MIT
#include "rules.h"

#include <objectsync/error.h>

namespace taskboard {

using objectsync::Error;

void requireTitle(const QString &what, const QString &title)
{
    if (title.trimmed().isEmpty())
        throw Error(QStringLiteral("%1 needs a title").arg(what));
    if (title.size() > MaxTitleLength)
        throw Error(QStringLiteral("the title of %1 is longer than %2 characters")
                        .arg(what)
                        .arg(MaxTitleLength));
}

void requireLabel(const QJsonValue &label)
{
    if (!label.isString() || label.toString().trimmed().isEmpty())
        throw Error(QStringLiteral("a label must be a non-empty text"));
    if (label.toString().size() > MaxLabelLength)
        throw Error(QStringLiteral("a label is at most %1 characters long").arg(MaxLabelLength));
}

void requireMemberName(const QJsonValue &name)
{
    if (!name.isString() || name.toString().trimmed().isEmpty())
        throw Error(QStringLiteral("a member needs a name"));
}

qsizetype indexOfId(const QJsonArray &ids, const QString &id)
{
    for (qsizetype i = 0; i < ids.size(); ++i)
        if (ids.at(i).toString() == id)
            return i;
    return -1;
}

QString actorName(int origin)
{
    return origin == 0 ? QStringLiteral("the host") : QStringLiteral("client %1").arg(origin);
}

} // namespace taskboard
