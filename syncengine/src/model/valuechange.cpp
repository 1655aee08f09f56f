// SPDX-License-Identifier: MIT
#include "valuechange.h"

#include "jsonutil.h"

#include <objectsync/error.h>

#include <QJsonObject>
#include <cmath>

namespace objectsync::detail {

namespace {
qsizetype normalizedPosition(const Change &c, qsizetype size, bool insert)
{
    // insert: -1 appends, so positions are 0..size and -1..-(size+1)
    // pop: positions are 0..size-1 and -1..-size
    const qint64 limit = insert ? qint64(size) + 1 : qint64(size);
    const qint64 p = c.position < 0 ? c.position + limit : c.position;
    if (p < 0 || p >= limit)
        refuseChange(c, QStringLiteral("position %1 is out of range").arg(c.position));
    return qsizetype(p);
}
} // namespace

void refuseChange(const Change &c, const QString &why)
{
    throw Error(
        QStringLiteral("%1 on topic %2 refused: %3").arg(changeTypeName(c.type), c.topicName, why));
}

void refuseUnsupported(const Change &c)
{
    refuseChange(c,
                 QStringLiteral("a %1 topic does not support it").arg(topicTypeName(c.topicType)));
}

QMap<QString, QJsonValue> toEntries(const QJsonObject &object)
{
    QMap<QString, QJsonValue> m;
    for (auto it = object.begin(); it != object.end(); ++it)
        m.insert(it.key(), it.value());
    return m;
}

QJsonObject toObject(const QMap<QString, QJsonValue> &entries)
{
    QJsonObject o;
    // QMap iterates in key order, so every insert appends.
    for (auto it = entries.cbegin(); it != entries.cend(); ++it)
        o.insert(it.key(), it.value());
    return o;
}

void applyGenericChange(QJsonValue &value, Change &c)
{
    if (c.type != ChangeType::Set)
        refuseUnsupported(c);
    if (c.value.isUndefined())
        refuseChange(c, QStringLiteral("the value is missing"));
    c.oldValue = value;
    value = c.value;
}

void applyIntChange(qint64 &value, Change &c)
{
    const auto v = toInt(c.value);
    if (!v)
        refuseChange(c,
                     QStringLiteral("an int topic takes an integer, not %1").arg(kindOf(c.value)));
    qint64 result = *v;
    if (c.type == ChangeType::Add) {
        if (__builtin_add_overflow(value, *v, &result))
            refuseChange(c, QStringLiteral("the result is out of range"));
    } else if (c.type != ChangeType::Set) {
        refuseUnsupported(c);
    }
    c.value = *v;
    c.oldValue = value;
    value = result;
}

void applyFloatChange(double &value, Change &c)
{
    if (!c.value.isDouble())
        refuseChange(c,
                     QStringLiteral("a float topic takes a number, not %1").arg(kindOf(c.value)));
    const double v = c.value.toDouble();
    double result = v;
    if (c.type == ChangeType::Add) {
        result = value + v;
        if (!std::isfinite(result))
            refuseChange(c, QStringLiteral("the result is not finite"));
    } else if (c.type != ChangeType::Set) {
        refuseUnsupported(c);
    } else if (!std::isfinite(v)) {
        refuseChange(c, QStringLiteral("the number is not finite"));
    }
    c.oldValue = value;
    value = result;
}

void applySetChange(QJsonArray &items, Change &c)
{
    switch (c.type) {
    case ChangeType::Set:
        if (!c.value.isArray())
            refuseChange(c,
                         QStringLiteral("a set topic takes an array, not %1").arg(kindOf(c.value)));
        if (!hasNoDuplicates(c.value.toArray()))
            refuseChange(c, QStringLiteral("the array has duplicate items"));
        c.oldValue = items;
        items = c.value.toArray();
        break;
    case ChangeType::Append:
        if (c.value.isUndefined())
            refuseChange(c, QStringLiteral("the item is missing"));
        if (items.contains(c.value))
            refuseChange(c, QStringLiteral("the item is already in the set"));
        items.append(c.value);
        break;
    case ChangeType::Remove: {
        qsizetype i = 0;
        while (i < items.size() && items.at(i) != c.value)
            ++i;
        if (i == items.size())
            refuseChange(c, QStringLiteral("the item is not in the set"));
        items.removeAt(i);
        c.position = i; // where it was, so that a reverted transition puts it back there
        break;
    }
    default:
        refuseUnsupported(c);
    }
}

void applyListChange(QJsonArray &items, Change &c)
{
    switch (c.type) {
    case ChangeType::Set:
        if (!c.value.isArray())
            refuseChange(
                c, QStringLiteral("a list topic takes an array, not %1").arg(kindOf(c.value)));
        c.oldValue = items;
        items = c.value.toArray();
        break;
    case ChangeType::Insert: {
        if (c.value.isUndefined())
            refuseChange(c, QStringLiteral("the item is missing"));
        const qsizetype p = normalizedPosition(c, items.size(), true);
        c.position = p;
        items.insert(p, c.value);
        break;
    }
    case ChangeType::Pop: {
        const qsizetype p = normalizedPosition(c, items.size(), false);
        c.position = p;
        c.oldValue = items.at(p);
        items.removeAt(p);
        break;
    }
    default:
        refuseUnsupported(c);
    }
}

void applyDictChange(QMap<QString, QJsonValue> &entries, Change &c)
{
    switch (c.type) {
    case ChangeType::Set: {
        if (!c.value.isObject())
            refuseChange(
                c, QStringLiteral("a dict topic takes an object, not %1").arg(kindOf(c.value)));
        c.oldValue = toObject(entries);
        entries = toEntries(c.value.toObject());
        break;
    }
    case ChangeType::Add:
        if (c.value.isUndefined())
            refuseChange(c, QStringLiteral("the value is missing"));
        if (entries.contains(c.key))
            refuseChange(c, QStringLiteral("the key \"%1\" already exists").arg(c.key));
        entries.insert(c.key, c.value);
        break;
    case ChangeType::Pop: {
        const auto it = entries.find(c.key);
        if (it == entries.end())
            refuseChange(c, QStringLiteral("the key \"%1\" does not exist").arg(c.key));
        c.oldValue = it.value();
        entries.erase(it);
        break;
    }
    case ChangeType::ChangeValue: {
        if (c.value.isUndefined())
            refuseChange(c, QStringLiteral("the value is missing"));
        const auto it = entries.find(c.key);
        if (it == entries.end())
            refuseChange(c, QStringLiteral("the key \"%1\" does not exist").arg(c.key));
        c.oldValue = it.value();
        it.value() = c.value;
        break;
    }
    default:
        refuseUnsupported(c);
    }
}

void applyEventChange(Change &c)
{
    if (c.type != ChangeType::Emit && c.type != ChangeType::ReversedEmit)
        refuseUnsupported(c);
    if (c.value.isUndefined() || c.value.isNull())
        c.value = QJsonObject();
    if (!c.value.isObject())
        refuseChange(
            c, QStringLiteral("event arguments must be an object, not %1").arg(kindOf(c.value)));
}

} // namespace objectsync::detail
