// SPDX-License-Identifier: MIT
#include <objectsync/engine.h>
#include <objectsync/topic.h>

#include "engine_p.h"
#include "jsonutil.h"

namespace objectsync {

namespace {
constexpr qsizetype maxSteps = 128; // how far back an insert/delete may be transformed

[[noreturn]] void refuse(const Change &c, const QString &why)
{
    throw Error(
        QStringLiteral("%1 on topic %2 refused: %3").arg(changeTypeName(c.type), c.topicName, why));
}
} // namespace

/*! A change the topic remembers so that later changes made against an older version can
 *  be transformed. */
struct StringTopic::Step
{
    QString fromVersion;
    ChangeType type;
    qint64 position;
    qint64 length; //!< of the inserted or deleted text
};

StringTopic::StringTopic(Engine *engine, const QString &name)
    : Topic(engine, name, TopicType::String), m_version(QStringLiteral("0"))
{}

StringTopic::~StringTopic() = default;

void StringTopic::set(const QString &value)
{
    Change c = makeChange(ChangeType::Set);
    c.value = value;
    submit(std::move(c));
}

void StringTopic::insert(qint64 position, const QString &text)
{
    Change c = makeChange(ChangeType::Insert);
    c.position = position;
    c.text = text;
    c.topicVersion = m_version;
    submit(std::move(c));
}

void StringTopic::remove(qint64 position, qint64 length)
{
    Change c = makeChange(ChangeType::Delete);
    c.position = position;
    if (position >= 0 && length >= 0 && position + length <= m_value.size())
        c.text = m_value.mid(position, length);
    else
        c.text = QString(qMax<qint64>(length, 0), QChar(0xFFFD)); // refused when applied
    c.topicVersion = m_version;
    submit(std::move(c));
}

void StringTopic::transform(Change &c) const
{
    // Find the step made at c.topicVersion, then move c over every step made since.
    qsizetype from = -1;
    if (m_steps) {
        for (qsizetype i = m_steps->size() - 1; i >= 0; --i) {
            if (m_steps->at(i).fromVersion == c.topicVersion) {
                from = i;
                break;
            }
        }
    }
    if (from < 0)
        refuse(c, QStringLiteral("unknown topic version"));
    // The rules (PROTOCOL.md, "String versions", and tests/vectors/README.md where the
    // protocol leaves a choice), for a change made before step s:
    // - an insert at or before the position shifts it right;
    // - an insert inside the range of a delete survives: the delete stops right before it;
    // - a delete before the position shifts it left (at most to the deleted range's
    //   start); a delete drops the part already deleted;
    // - after a set: position 0, and a delete deletes nothing.
    qint64 p = c.position;
    QString text = c.text;
    for (qsizetype i = from; i < m_steps->size(); ++i) {
        const Step &s = m_steps->at(i);
        const qint64 length = s.length;
        if (s.type == ChangeType::Set) {
            p = 0;
            if (c.type == ChangeType::Delete)
                text.clear();
        } else if (s.type == ChangeType::Insert) {
            if (s.position <= p)
                p += length;
            else if (c.type == ChangeType::Delete && s.position < p + text.size())
                text.truncate(s.position - p);
        } else { // Delete
            const qint64 sEnd = s.position + length;
            if (c.type == ChangeType::Delete) {
                const qint64 overlapStart = qMax(p, s.position);
                const qint64 overlapEnd = qMin(p + text.size(), sEnd);
                if (overlapEnd > overlapStart)
                    text.remove(overlapStart - p, overlapEnd - overlapStart);
            }
            if (s.position < p)
                p -= qMin(length, p - s.position);
        }
    }
    // A change that had to move gets a new id, so its author does not take it for its own
    // (a version-0 client then rolls back and applies the host's version). One that did not
    // move keeps its id and is confirmed as sent.
    const bool moved = p != c.position || text != c.text;
    c.position = p;
    c.text = text;
    c.topicVersion = m_version;
    if (moved && !c.id.isEmpty())
        c.id += QStringLiteral("_adjust");
}

void StringTopic::apply(Change &c)
{
    switch (c.type) {
    case ChangeType::Set: {
        if (!c.value.isString())
            refuse(c, QStringLiteral("a string topic takes a string, not %1")
                          .arg(detail::kindOf(c.value)));
        const QString from = m_version;
        // A set without a result version takes its id as the version, as the original
        // clients expect.
        if (c.resultTopicVersion.isEmpty())
            c.resultTopicVersion = c.id;
        if (c.resultTopicVersion.isEmpty() || c.resultTopicVersion == m_version)
            c.resultTopicVersion = EnginePrivate::get(engine())->nextVersion();
        c.topicVersion = from;
        c.oldValue = m_value;
        m_value = c.value.toString();
        m_version = c.resultTopicVersion;
        remember(c, from);
        break;
    }
    case ChangeType::Insert:
    case ChangeType::Delete: {
        if (c.topicVersion.isEmpty())
            c.topicVersion = m_version;
        if (c.topicVersion != m_version)
            transform(c);
        if (c.position < 0 || c.position > m_value.size())
            refuse(c, QStringLiteral("position %1 is out of range").arg(c.position));
        if (c.type == ChangeType::Delete &&
            QStringView(m_value).mid(c.position, c.text.size()) != c.text)
            refuse(c, QStringLiteral("the text to delete does not match"));
        if (c.resultTopicVersion.isEmpty() || c.resultTopicVersion == m_version)
            c.resultTopicVersion = EnginePrivate::get(engine())->nextVersion();
        const QString from = m_version;
        if (c.type == ChangeType::Insert)
            m_value.insert(c.position, c.text);
        else
            m_value.remove(c.position, c.text.size());
        m_version = c.resultTopicVersion;
        remember(c, from);
        break;
    }
    default:
        refuse(c, QStringLiteral("a string topic does not support it"));
    }
}

void StringTopic::remember(const Change &c, const QString &fromVersion)
{
    if (!m_steps)
        m_steps = std::make_unique<QList<Step>>();
    if (m_steps->size() >= maxSteps)
        m_steps->removeFirst();
    m_steps->append({fromVersion, c.type, c.position, qint64(c.text.size())});
}

void StringTopic::forgetLast()
{
    // Used when a transition is reverted: the version before the change comes back.
    if (m_steps && !m_steps->isEmpty()) {
        m_version = m_steps->last().fromVersion;
        m_steps->removeLast();
    }
}

void StringTopic::assign(const QJsonValue &value)
{
    if (value.isUndefined() || value.isNull()) {
        m_value.clear();
        return;
    }
    if (!value.isString())
        throw Error(QStringLiteral("topic %1: a string topic takes a string, not %2")
                        .arg(name(), detail::kindOf(value)));
    m_value = value.toString();
}

} // namespace objectsync
