// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/global.h>

#include <QByteArray>
#include <QJsonValue>
#include <QLatin1String>
#include <QStringView>
#include <QVarLengthArray>

namespace objectsync::protocol {

/*!
 * A fast JSON writer that appends compact UTF-8 to a QByteArray. It is used on the hot path
 * instead of QJsonDocument::toJson(): it writes straight into the output buffer, escapes
 * strings in one sizing pass and one writing pass, and formats numbers without allocating.
 *
 * Commas and colons are managed by the writer:
 * \code
 * JsonWriter w(&out);
 * w.beginObject();
 * w.key("type"); w.string(u"hello");
 * w.key("args"); w.beginObject(); w.key("id"); w.integer(1); w.endObject();
 * w.endObject();
 * \endcode
 *
 * Object keys of QJsonValue objects come out in QJsonObject order (sorted). Numbers that are
 * whole and fit in 64 bits are written as integers, others in the shortest form that reads
 * back to the same double; non-finite numbers become null. A lone UTF-16 surrogate is written
 * as U+FFFD so the output is always valid UTF-8.
 */
class JsonWriter
{
public:
    explicit JsonWriter(QByteArray *out) : m_out(out) {}

    void beginObject();
    void endObject();
    void beginArray();
    void endArray();
    /*! Writes an object key. \a name must be plain ASCII that needs no escaping. */
    void key(QLatin1String name);
    /*! Writes an object key that may need escaping. */
    void key(QStringView name);

    void value(const QJsonValue &value);
    void string(QStringView text);
    void integer(qint64 number);
    void number(double number);
    void boolean(bool b);
    void null();
    /*! Appends already encoded JSON as one value (for pre-encoded pieces). */
    void raw(QByteArrayView json);

    /*! Appends \a text as a quoted, escaped JSON string to \a out. */
    static void appendString(QByteArray *out, QStringView text);
    /*! Writes \a value as compact JSON (convenience). */
    static QByteArray toJson(const QJsonValue &value);

private:
    void separate();
    void writeValue(const QJsonValue &value);

    QByteArray *m_out;
    QVarLengthArray<bool, 16> m_first; //!< per open container: no element written yet
    bool m_afterKey = false;
};

} // namespace objectsync::protocol
