// SPDX-License-Identifier: MIT
#include "client_p.h"

#include <objectsync/names.h>

namespace objectsync {

namespace {
const QString &objectsName = names::objects;
const QString &parentPrefix = names::parentPrefix;
} // namespace

QStringList Client::objectIds() const
{
    const auto it = d->mirror.constFind(objectsName);
    return it == d->mirror.cend() ? QStringList() : QStringList(it->dict().keys());
}

QString Client::frontendType(const QString &objectId) const
{
    const auto it = d->mirror.constFind(objectsName);
    return it == d->mirror.cend() ? QString() : it->dict().value(objectId).toString();
}

QString Client::parentId(const QString &objectId) const
{
    const auto it = d->mirror.constFind(parentPrefix + objectId);
    return it == d->mirror.cend() ? QString() : it->text();
}

QStringList Client::childIds(const QString &objectId) const
{
    QStringList children;
    const QStringList ids = objectIds(); // sorted
    for (const QString &id : ids)
        if (id != objectId && parentId(id) == objectId)
            children.append(id);
    return children;
}

QJsonObject Client::objectTree() const
{
    QJsonObject tree;
    const auto objects = d->mirror.constFind(objectsName);
    if (objects == d->mirror.cend())
        return tree;
    const auto &dict = objects->dict();
    for (auto it = dict.cbegin(); it != dict.cend(); ++it) {
        QJsonObject node;
        node.insert(QLatin1String("type"), it.value());
        const auto parent = d->mirror.constFind(parentPrefix + it.key());
        node.insert(QLatin1String("parent"),
                    parent == d->mirror.cend() ? QJsonValue() : QJsonValue(parent->text()));
        tree.insert(it.key(), node);
    }
    return tree;
}

} // namespace objectsync
