// SPDX-License-Identifier: MIT
#include "wirecodec.h"

#include "protocol/changecodec.h"

#include <objectsync/error.h>

#include <QJsonDocument>

namespace objectsync::client {

namespace {
const QLatin1String kType("type");
const QLatin1String kArgs("args");
} // namespace

QByteArray encodeMessage(QLatin1String type, const QJsonObject &args)
{
    QJsonObject m;
    m.insert(kType, type);
    m.insert(kArgs, args);
    return QJsonDocument(m).toJson(QJsonDocument::Compact);
}

QString versionText(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    if (value.isDouble())
        return QString::number(value.toDouble(), 'g', 17);
    return {};
}

QJsonObject encodeChange(const Change &c)
{
    return protocol::codec::toJson(c, c.id);
}

Change decodeChange(const QJsonObject &o)
{
    return protocol::codec::decode(o, protocol::ChangeSource::Host);
}

} // namespace objectsync::client
