// SPDX-License-Identifier: MIT
#include "texttransform.h"

namespace objectsync::client {

bool isTextEdit(const Change &c)
{
    return c.topicType == TopicType::String &&
           (c.type == ChangeType::Insert || c.type == ChangeType::Delete);
}

namespace {
bool sameText(const Change &a, const Change &b)
{
    return a.topicName == b.topicName && a.topicType == TopicType::String &&
           b.topicType == TopicType::String;
}

Change edit(const Change &like, ChangeType type, qint64 position, const QString &text)
{
    Change c = like;
    c.type = type;
    c.position = position;
    c.text = text;
    return c;
}
} // namespace

void transformOver(Change &later, const Change &first)
{
    if (!sameText(later, first) || !isTextEdit(later))
        return;
    qint64 p = later.position;
    const bool insert = later.type == ChangeType::Insert;
    switch (first.type) {
    case ChangeType::Set:
        p = 0;
        if (!insert)
            later.text.clear();
        break;
    case ChangeType::Insert: {
        const qint64 at = first.position;
        const qint64 n = first.text.size();
        if (at <= p)
            p += n;
        else if (!insert && at < p + later.text.size())
            later.text.truncate(at - p);
        break;
    }
    case ChangeType::Delete: {
        const qint64 at = first.position;
        const qint64 n = first.text.size();
        if (insert) {
            if (at + n <= p)
                p -= n;
            else if (at < p)
                p = at;
        } else {
            const qint64 end = p + later.text.size();
            const qint64 overlapStart = qMax(p, at);
            const qint64 overlapEnd = qMin(end, at + n);
            if (overlapEnd > overlapStart)
                later.text.remove(overlapStart - p, overlapEnd - overlapStart);
            if (at < p)
                p = qMax(at, p - n);
        }
        break;
    }
    default:
        break;
    }
    later.position = p;
}

QList<Change> transformPast(const Change &first, const Change &later)
{
    if (!sameText(first, later))
        return {first};
    if (later.type == ChangeType::Set)
        return {}; // the set replaces whatever first did
    if (!isTextEdit(later))
        return {first};
    if (first.type == ChangeType::Set) {
        // The host sets the text, then applies `later` moved over the set.
        Change moved = later;
        transformOver(moved, first);
        return {first, moved};
    }
    if (!isTextEdit(first))
        return {first};

    const qint64 a = first.position;
    const qint64 b = later.position;
    if (first.type == ChangeType::Insert) {
        const QString &s = first.text;
        if (later.type == ChangeType::Insert) {
            // At the same position the first insert stays in front.
            return {edit(first, ChangeType::Insert, a <= b ? a : a + later.text.size(), s)};
        }
        const qint64 len = later.text.size(); // later deletes [b, b + len)
        if (a <= b)
            return {first};
        if (a >= b + len)
            return {edit(first, ChangeType::Insert, a - len, s)};
        // The host keeps the deleted text from the insert point on: put it back with it.
        return {edit(first, ChangeType::Insert, b, s + later.text.mid(a - b))};
    }

    // first deletes [a, a + n)
    const QString &t = first.text;
    const qint64 n = t.size();
    if (later.type == ChangeType::Insert) {
        const qint64 m = later.text.size();
        if (a + n <= b)
            return {first};
        if (a >= b)
            return {edit(first, ChangeType::Delete, a + m, t)};
        // The insert lands inside the deleted range: delete around it.
        return {edit(first, ChangeType::Delete, b + m, t.mid(b - a)),
                edit(first, ChangeType::Delete, a, t.left(b - a))};
    }
    // Both delete: what first deletes outside later's range [b, b + len).
    const qint64 len = later.text.size();
    QString left;
    QString right;
    if (a < b)
        left = t.left(qMin(a + n, b) - a);
    if (a + n > b + len)
        right = t.mid(qMax(a, b + len) - a);
    if (left.isEmpty() && right.isEmpty())
        return {};
    const qint64 at = left.isEmpty() ? qMax(a, b + len) - len : a;
    return {edit(first, ChangeType::Delete, at, left + right)};
}

} // namespace objectsync::client
