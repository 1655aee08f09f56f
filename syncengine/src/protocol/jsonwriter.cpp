// SPDX-License-Identifier: MIT
#include "jsonwriter.h"

#include <QJsonArray>
#include <QJsonObject>
#include <charconv>
#include <cmath>

namespace objectsync::protocol {

namespace {

/*! Bytes needed for an ASCII character: 1, 2 for a short escape, 6 for \u00XX. */
constexpr int asciiWidth(char16_t c)
{
    switch (c) {
    case '"':
    case '\\':
    case '\b':
    case '\f':
    case '\n':
    case '\r':
    case '\t':
        return 2;
    default:
        return c < 0x20 ? 6 : 1;
    }
}

constexpr bool isHigh(char16_t c)
{
    return c >= 0xD800 && c <= 0xDBFF;
}
constexpr bool isLow(char16_t c)
{
    return c >= 0xDC00 && c <= 0xDFFF;
}

} // namespace

void JsonWriter::appendString(QByteArray *out, QStringView text)
{
    const char16_t *p = text.utf16();
    const qsizetype n = text.size();

    // Pass 1: the exact size of the output.
    qsizetype bytes = 2;
    for (qsizetype i = 0; i < n; ++i) {
        const char16_t c = p[i];
        if (c < 0x80) {
            bytes += asciiWidth(c);
        } else if (c < 0x800) {
            bytes += 2;
        } else if (isHigh(c) && i + 1 < n && isLow(p[i + 1])) {
            bytes += 4;
            ++i;
        } else {
            bytes += 3; // BMP character, or a lone surrogate written as U+FFFD
        }
    }

    // Pass 2: write.
    const qsizetype start = out->size();
    out->resize(start + bytes);
    char *d = out->data() + start;
    *d++ = '"';
    static constexpr char hex[] = "0123456789abcdef";
    for (qsizetype i = 0; i < n; ++i) {
        const char16_t c = p[i];
        if (c < 0x80) {
            switch (c) {
            case '"':
                *d++ = '\\';
                *d++ = '"';
                break;
            case '\\':
                *d++ = '\\';
                *d++ = '\\';
                break;
            case '\b':
                *d++ = '\\';
                *d++ = 'b';
                break;
            case '\f':
                *d++ = '\\';
                *d++ = 'f';
                break;
            case '\n':
                *d++ = '\\';
                *d++ = 'n';
                break;
            case '\r':
                *d++ = '\\';
                *d++ = 'r';
                break;
            case '\t':
                *d++ = '\\';
                *d++ = 't';
                break;
            default:
                if (c < 0x20) {
                    *d++ = '\\';
                    *d++ = 'u';
                    *d++ = '0';
                    *d++ = '0';
                    *d++ = hex[c >> 4];
                    *d++ = hex[c & 0xF];
                } else {
                    *d++ = char(c);
                }
            }
        } else if (c < 0x800) {
            *d++ = char(0xC0 | (c >> 6));
            *d++ = char(0x80 | (c & 0x3F));
        } else if (isHigh(c) && i + 1 < n && isLow(p[i + 1])) {
            const char32_t u =
                0x10000 + ((char32_t(c) - 0xD800) << 10) + (char32_t(p[i + 1]) - 0xDC00);
            *d++ = char(0xF0 | (u >> 18));
            *d++ = char(0x80 | ((u >> 12) & 0x3F));
            *d++ = char(0x80 | ((u >> 6) & 0x3F));
            *d++ = char(0x80 | (u & 0x3F));
            ++i;
        } else {
            const char16_t u = (isHigh(c) || isLow(c)) ? char16_t(0xFFFD) : c;
            *d++ = char(0xE0 | (u >> 12));
            *d++ = char(0x80 | ((u >> 6) & 0x3F));
            *d++ = char(0x80 | (u & 0x3F));
        }
    }
    *d++ = '"';
    Q_ASSERT(d == out->data() + start + bytes);
}

QByteArray JsonWriter::toJson(const QJsonValue &value)
{
    QByteArray out;
    JsonWriter w(&out);
    w.value(value);
    return out;
}

void JsonWriter::separate()
{
    if (m_afterKey) {
        m_afterKey = false;
        return;
    }
    if (m_first.isEmpty())
        return;
    if (m_first.last())
        m_first.last() = false;
    else
        m_out->append(',');
}

void JsonWriter::beginObject()
{
    separate();
    m_out->append('{');
    m_first.append(true);
}

void JsonWriter::endObject()
{
    m_out->append('}');
    m_first.removeLast();
}

void JsonWriter::beginArray()
{
    separate();
    m_out->append('[');
    m_first.append(true);
}

void JsonWriter::endArray()
{
    m_out->append(']');
    m_first.removeLast();
}

void JsonWriter::key(QLatin1String name)
{
    separate();
    m_out->append('"');
    m_out->append(name.data(), name.size());
    m_out->append("\":", 2);
    m_afterKey = true;
}

void JsonWriter::key(QStringView name)
{
    separate();
    appendString(m_out, name);
    m_out->append(':');
    m_afterKey = true;
}

void JsonWriter::string(QStringView text)
{
    separate();
    appendString(m_out, text);
}

void JsonWriter::integer(qint64 number)
{
    separate();
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, number);
    m_out->append(buf, r.ptr - buf);
}

void JsonWriter::number(double number)
{
    separate();
    if (!std::isfinite(number)) {
        m_out->append("null", 4);
        return;
    }
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, number);
    m_out->append(buf, r.ptr - buf);
}

void JsonWriter::boolean(bool b)
{
    separate();
    if (b)
        m_out->append("true", 4);
    else
        m_out->append("false", 5);
}

void JsonWriter::null()
{
    separate();
    m_out->append("null", 4);
}

void JsonWriter::raw(QByteArrayView json)
{
    separate();
    m_out->append(json.data(), json.size());
}

void JsonWriter::value(const QJsonValue &value)
{
    writeValue(value);
}

void JsonWriter::writeValue(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        null();
        return;
    case QJsonValue::Bool:
        boolean(v.toBool());
        return;
    case QJsonValue::Double: {
        if (!std::isfinite(v.toDouble())) {
            null();
            return;
        }
        // toInteger() returns its argument unless the value is a whole number that fits.
        const qint64 a = v.toInteger(0);
        const qint64 b = v.toInteger(1);
        if (a == b)
            integer(a);
        else
            number(v.toDouble());
        return;
    }
    case QJsonValue::String:
        string(v.toString());
        return;
    case QJsonValue::Array: {
        beginArray();
        const QJsonArray a = v.toArray();
        for (const QJsonValue &e : a)
            writeValue(e);
        endArray();
        return;
    }
    case QJsonValue::Object: {
        beginObject();
        const QJsonObject o = v.toObject();
        for (auto it = o.constBegin(); it != o.constEnd(); ++it) {
            key(it.key());
            writeValue(it.value());
        }
        endObject();
        return;
    }
    }
}

} // namespace objectsync::protocol
