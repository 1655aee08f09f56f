// SPDX-License-Identifier: MIT
#include "changemerge.h"

#include "model/jsonutil.h"

#include <cmath>

namespace objectsync::protocol {

namespace {

/*! The value of a number topic after \a c was applied, when it can be known exactly. */
std::optional<QJsonValue> valueAfter(const Change &c)
{
    if (c.type == ChangeType::Set)
        return c.value;
    if (c.type != ChangeType::Add)
        return std::nullopt;
    if (c.topicType == TopicType::Float) {
        if (!c.oldValue.isDouble() || !c.value.isDouble())
            return std::nullopt;
        const double result = c.oldValue.toDouble() + c.value.toDouble(); // as the topic did it
        return std::isfinite(result) ? std::optional<QJsonValue>(result) : std::nullopt;
    }
    return std::nullopt;
}

} // namespace

bool mergeInto(Change &into, const Change &next)
{
    if (into.topicName != next.topicName || into.topicType != next.topicType)
        return false;
    const TopicType t = into.topicType;
    if (t == TopicType::Event)
        return false;

    if (into.type == ChangeType::Set && next.type == ChangeType::Set) {
        into.value = next.value;
        into.id = next.id;
        if (t == TopicType::String)
            into.resultTopicVersion = next.resultTopicVersion;
        return true;
    }

    if (t == TopicType::Int && next.type == ChangeType::Add) {
        const auto a = detail::toInt(into.value);
        const auto b = detail::toInt(next.value);
        qint64 sum = 0;
        if (!a || !b || __builtin_add_overflow(*a, *b, &sum))
            return false;
        if (into.type != ChangeType::Set && into.type != ChangeType::Add)
            return false;
        into.value = sum; // set + add stays a set of the sum; add + add an add of the sum
        into.id = next.id;
        return true;
    }

    if (t == TopicType::Float && (into.type == ChangeType::Set || into.type == ChangeType::Add) &&
        (next.type == ChangeType::Add || next.type == ChangeType::Set)) {
        const auto after = valueAfter(next);
        if (!after)
            return false;
        // The old value before the run: what a set replaced, or what the first add started from.
        if (!into.oldValue.isDouble())
            return false;
        into.type = ChangeType::Set;
        into.value = *after;
        into.id = next.id;
        return true;
    }

    if (t == TopicType::Dict && into.type == ChangeType::ChangeValue &&
        next.type == ChangeType::ChangeValue && into.key == next.key) {
        into.value = next.value;
        into.id = next.id;
        return true;
    }
    return false;
}

QList<Change> mergeChanges(const QList<Change> &changes)
{
    QList<Change> out;
    out.reserve(changes.size());
    for (const Change &c : changes) {
        if (out.isEmpty() || !mergeInto(out.last(), c))
            out.append(c);
    }
    return out;
}

} // namespace objectsync::protocol
