// SPDX-License-Identifier: MIT
#include "journalcodec.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QtEndian>
#include <cmath>
#include <cstring>

namespace objectsync::storage {

namespace {

// Transition header bits.
constexpr quint8 kindMask = 0x03;
constexpr quint8 hasOrigin = 0x04;
constexpr quint8 hasActionId = 0x08;

// Change field bits: which optional fields follow the topic name, in this order.
constexpr quint8 hasId = 0x01;
constexpr quint8 hasPosition = 0x02;
constexpr quint8 hasValue = 0x04;
constexpr quint8 hasKey = 0x08;
constexpr quint8 hasText = 0x10;
constexpr quint8 hasTopicVersion = 0x20;
constexpr quint8 hasResultVersion = 0x40;

// Value tags.
enum ValueTag : quint8 {
    TagNull,
    TagFalse,
    TagTrue,
    TagInteger,
    TagDouble,
    TagString,
    TagArray,
    TagObject
};

/*! As deep as QJsonDocument::fromJson() reads, which bounds what format 1 could restore. */
constexpr int maxDepth = 1024;

// ---- writing ---------------------------------------------------------------------------

char *putVarint(char *d, quint64 v)
{
    while (v >= 0x80) {
        *d++ = char(v | 0x80);
        v >>= 7;
    }
    *d++ = char(v);
    return d;
}

quint64 zigzag(qint64 v)
{
    return (quint64(v) << 1) ^ quint64(v >> 63);
}

void putByte(ByteBuffer &out, quint8 b)
{
    out.append(char(b));
}

void putVarint(ByteBuffer &out, quint64 v)
{
    out.commit(putVarint(out.claim(10), v));
}

/*! The UTF-8 length of \a s; lone surrogates count as U+FFFD. */
size_t utf8Length(const char16_t *p, const char16_t *end)
{
    size_t n = 0;
    while (p < end) {
        const char16_t u = *p++;
        if (u < 0x80) {
            n += 1;
        } else if (u < 0x800) {
            n += 2;
        } else if (u >= 0xD800 && u < 0xDC00 && p < end && *p >= 0xDC00 && *p < 0xE000) {
            n += 4;
            ++p;
        } else {
            n += 3;
        }
    }
    return n;
}

/*! A string: its UTF-8 length, then its UTF-8 bytes (a lone surrogate becomes U+FFFD). */
void putString(ByteBuffer &out, QStringView s)
{
    const char16_t *p = s.utf16();
    const char16_t *end = p + s.size();
    const size_t length = utf8Length(p, end);
    char *d = putVarint(out.claim(10 + length), length);
    while (p < end) {
        char32_t u = *p++;
        if (u < 0x80) {
            *d++ = char(u);
            continue;
        }
        if (u >= 0xD800 && u < 0xE000) {
            if (u < 0xDC00 && p < end && *p >= 0xDC00 && *p < 0xE000)
                u = 0x10000 + ((u - 0xD800) << 10) + (*p++ - 0xDC00);
            else
                u = 0xFFFD;
        }
        if (u < 0x800) {
            *d++ = char(0xC0 | (u >> 6));
        } else if (u < 0x10000) {
            *d++ = char(0xE0 | (u >> 12));
            *d++ = char(0x80 | ((u >> 6) & 0x3F));
        } else {
            *d++ = char(0xF0 | (u >> 18));
            *d++ = char(0x80 | ((u >> 12) & 0x3F));
            *d++ = char(0x80 | ((u >> 6) & 0x3F));
        }
        *d++ = char(0x80 | (u & 0x3F));
    }
    out.commit(d);
}

/*! A JSON value. Integral numbers keep their exact 64-bit value; numbers that are not
 *  finite become null, as they would in JSON. */
void putValue(ByteBuffer &out, const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        putByte(out, TagNull);
        return;
    case QJsonValue::Bool:
        putByte(out, v.toBool() ? TagTrue : TagFalse);
        return;
    case QJsonValue::Double: {
        const double d = v.toDouble();
        if (!std::isfinite(d)) { // (toInteger() takes NaN for an integer)
            putByte(out, TagNull);
            return;
        }
        const qint64 i = v.toInteger(0);
        if (i == v.toInteger(1)) { // exactly integral and in range
            putByte(out, TagInteger);
            putVarint(out, zigzag(i));
            return;
        }
        char *p = out.claim(9);
        *p++ = char(TagDouble);
        qToLittleEndian(d, p);
        out.commit(p + 8);
        return;
    }
    case QJsonValue::String:
        putByte(out, TagString);
        putString(out, v.toString());
        return;
    case QJsonValue::Array: {
        const QJsonArray a = v.toArray();
        putByte(out, TagArray);
        putVarint(out, quint64(a.size()));
        for (const QJsonValue &item : a)
            putValue(out, item);
        return;
    }
    case QJsonValue::Object: {
        const QJsonObject o = v.toObject();
        putByte(out, TagObject);
        putVarint(out, quint64(o.size()));
        for (auto it = o.constBegin(); it != o.constEnd(); ++it) {
            putString(out, it.key());
            putValue(out, it.value());
        }
        return;
    }
    }
}

void putChange(ByteBuffer &out, const Change &c)
{
    const bool value = !c.value.isNull() && !c.value.isUndefined();
    const quint8 fields = (c.id.isEmpty() ? 0 : hasId) | (c.position == 0 ? 0 : hasPosition) |
                          (value ? hasValue : 0) | (c.key.isEmpty() ? 0 : hasKey) |
                          (c.text.isEmpty() ? 0 : hasText) |
                          (c.topicVersion.isEmpty() ? 0 : hasTopicVersion) |
                          (c.resultTopicVersion.isEmpty() ? 0 : hasResultVersion);
    char *d = out.claim(3);
    d[0] = char(c.topicType);
    d[1] = char(c.type);
    d[2] = char(fields);
    out.commit(d + 3);
    putString(out, c.topicName);
    if (fields & hasId)
        putString(out, c.id);
    if (fields & hasPosition)
        putVarint(out, zigzag(c.position));
    if (value)
        putValue(out, c.value);
    if (fields & hasKey)
        putString(out, c.key);
    if (fields & hasText)
        putString(out, c.text);
    if (fields & hasTopicVersion)
        putString(out, c.topicVersion);
    if (fields & hasResultVersion)
        putString(out, c.resultTopicVersion);
}

// ---- reading ---------------------------------------------------------------------------

/*! Reads a payload front to back; every read checks the bytes left first. */
class Reader
{
public:
    explicit Reader(QByteArrayView bytes)
        : m_p(reinterpret_cast<const quint8 *>(bytes.data())), m_end(m_p + bytes.size())
    {}

    bool atEnd() const { return m_p == m_end; }
    qsizetype left() const { return m_end - m_p; }
    /*! Why the first failed read failed. */
    Error error() const { return Error(m_code, m_why); }

    bool fail(const QString &why, ErrorCode code = ErrorCode::Corrupt)
    {
        if (m_why.isEmpty()) {
            m_why = why;
            m_code = code;
        }
        return false;
    }
    bool truncated() { return fail(QStringLiteral("cut short")); }

    bool byte(quint8 *out)
    {
        if (m_p == m_end)
            return truncated();
        *out = *m_p++;
        return true;
    }

    bool varint(quint64 *out)
    {
        quint64 v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (m_p == m_end)
                return truncated();
            const quint8 b = *m_p++;
            if (shift == 63 && b > 1)
                break;
            v |= quint64(b & 0x7F) << shift;
            if (!(b & 0x80)) {
                *out = v;
                return true;
            }
        }
        return fail(QStringLiteral("a number out of range"));
    }

    bool signedVarint(qint64 *out)
    {
        quint64 v = 0;
        if (!varint(&v))
            return false;
        *out = qint64(v >> 1) ^ -qint64(v & 1);
        return true;
    }

    /*! A count of items that take at least \a minBytes each: no more than the bytes left. */
    bool count(qsizetype minBytes, qsizetype *out)
    {
        quint64 n = 0;
        if (!varint(&n))
            return false;
        if (n > quint64(left() / minBytes))
            return fail(QStringLiteral("a count larger than the payload"));
        *out = qsizetype(n);
        return true;
    }

    bool string(QString *out)
    {
        quint64 n = 0;
        if (!varint(&n))
            return false;
        if (n > quint64(left()))
            return truncated();
        *out = QString::fromUtf8(reinterpret_cast<const char *>(m_p), qsizetype(n));
        m_p += n;
        return true;
    }

    bool value(QJsonValue *out, int depth)
    {
        quint8 tag = 0;
        if (!byte(&tag))
            return false;
        switch (tag) {
        case TagNull:
            *out = QJsonValue(QJsonValue::Null);
            return true;
        case TagFalse:
        case TagTrue:
            *out = QJsonValue(tag == TagTrue);
            return true;
        case TagInteger: {
            qint64 i = 0;
            if (!signedVarint(&i))
                return false;
            *out = QJsonValue(i);
            return true;
        }
        case TagDouble: {
            if (left() < 8)
                return truncated();
            const double d = qFromLittleEndian<double>(m_p);
            m_p += 8;
            if (!std::isfinite(d))
                return fail(QStringLiteral("a number that is not finite"));
            *out = QJsonValue(d);
            return true;
        }
        case TagString: {
            QString s;
            if (!string(&s))
                return false;
            *out = QJsonValue(s);
            return true;
        }
        case TagArray:
        case TagObject: {
            if (depth >= maxDepth)
                return fail(QStringLiteral("values nested deeper than %1").arg(maxDepth),
                            ErrorCode::LimitExceeded);
            qsizetype n = 0;
            if (!count(tag == TagArray ? 1 : 2, &n))
                return false;
            if (tag == TagArray) {
                QJsonArray a;
                for (qsizetype i = 0; i < n; ++i) {
                    QJsonValue item;
                    if (!value(&item, depth + 1))
                        return false;
                    a.append(item);
                }
                *out = a;
            } else {
                QJsonObject o;
                for (qsizetype i = 0; i < n; ++i) {
                    QString key;
                    QJsonValue item;
                    if (!string(&key) || !value(&item, depth + 1))
                        return false;
                    o.insert(key, item);
                }
                *out = o;
            }
            return true;
        }
        default:
            return fail(QStringLiteral("an unknown value tag %1").arg(tag));
        }
    }

    bool change(Change *c)
    {
        quint8 topicType = 0, type = 0, fields = 0;
        if (!byte(&topicType) || !byte(&type) || !byte(&fields))
            return false;
        if (topicType > quint8(TopicType::Event) || type > quint8(ChangeType::ReversedEmit) ||
            (fields & 0x80))
            return fail(QStringLiteral("a change with unknown codes"));
        c->topicType = TopicType(topicType);
        c->type = ChangeType(type);
        if (!string(&c->topicName))
            return false;
        if (c->topicName.isEmpty())
            return fail(QStringLiteral("a change has no topic name"));
        return (!(fields & hasId) || string(&c->id)) &&
               (!(fields & hasPosition) || signedVarint(&c->position)) &&
               (!(fields & hasValue) || value(&c->value, 0)) &&
               (!(fields & hasKey) || string(&c->key)) &&
               (!(fields & hasText) || string(&c->text)) &&
               (!(fields & hasTopicVersion) || string(&c->topicVersion)) &&
               (!(fields & hasResultVersion) || string(&c->resultTopicVersion));
    }

    bool transition(Transition *t)
    {
        quint8 header = 0;
        if (!byte(&header))
            return false;
        if ((header & ~(kindMask | hasOrigin | hasActionId)) ||
            (header & kindMask) > quint8(TransitionKind::Redo))
            return fail(QStringLiteral("a transition with unknown codes"));
        t->kind = TransitionKind(header & kindMask);
        if (header & hasOrigin) {
            qint64 origin = 0;
            if (!signedVarint(&origin))
                return false;
            if (origin < std::numeric_limits<int>::min() ||
                origin > std::numeric_limits<int>::max())
                return fail(QStringLiteral("an origin out of range"));
            t->origin = int(origin);
        }
        if ((header & hasActionId) && !string(&t->actionId))
            return false;
        qsizetype n = 0;
        if (!count(4, &n)) // type codes, fields and a name's length at least
            return false;
        t->changes.reserve(n);
        for (qsizetype i = 0; i < n; ++i) {
            Change c;
            if (!change(&c))
                return false;
            t->changes.append(std::move(c));
        }
        return true;
    }

private:
    const quint8 *m_p;
    const quint8 *m_end;
    QString m_why;
    ErrorCode m_code = ErrorCode::Corrupt;
};

} // namespace

void encodeTransition(ByteBuffer &out, const Transition &t)
{
    const quint8 header =
        quint8(t.kind) | (t.origin != 0 ? hasOrigin : 0) | (t.actionId.isEmpty() ? 0 : hasActionId);
    putByte(out, header);
    if (t.origin != 0)
        putVarint(out, zigzag(t.origin));
    if (!t.actionId.isEmpty())
        putString(out, t.actionId);
    putVarint(out, quint64(t.changes.size()));
    for (const Change &c : t.changes)
        putChange(out, c);
}

Result<QList<JournalTransition>> decodeRow(QByteArrayView payload, quint64 first, quint64 last)
{
    if (payload.isEmpty() || payload.front() != rowTag)
        return Error(ErrorCode::Corrupt, QStringLiteral("not a binary journal row"));
    if (first == 0 || last < first)
        return Error(ErrorCode::Corrupt, QStringLiteral("the row's sequences are malformed"));
    Reader in(payload.sliced(1));
    QList<JournalTransition> out;
    for (quint64 sequence = first;; ++sequence) {
        if (in.atEnd())
            return Error(ErrorCode::Corrupt, QStringLiteral("the row holds %1 transitions, not %2")
                                                 .arg(sequence - first)
                                                 .arg(last - first + 1));
        JournalTransition t;
        t.sequence = sequence;
        if (!in.transition(&t.transition))
            return in.error();
        out.append(std::move(t));
        if (sequence == last)
            break;
    }
    if (!in.atEnd())
        return Error(
            ErrorCode::Corrupt,
            QStringLiteral("the row holds more than its %1 transitions").arg(last - first + 1));
    return out;
}

} // namespace objectsync::storage
