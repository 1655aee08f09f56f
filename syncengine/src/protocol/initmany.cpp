// SPDX-License-Identifier: MIT
#include "initmany.h"

#include "jsonwriter.h"
#include "wire.h"

#include <objectsync/topic.h>

namespace objectsync::protocol {

namespace {
void appendSeparated(QByteArray *list, QByteArrayView entry)
{
    if (!list->isEmpty())
        list->append(',');
    list->append(entry);
}
} // namespace

void InitManyWriter::addListed(const QString &name, const QJsonValue &descriptor)
{
    const QByteArray encoded = JsonWriter::toJson(descriptor);
    auto it = m_descriptorIndex.constFind(encoded);
    if (it == m_descriptorIndex.cend()) {
        it = m_descriptorIndex.insert(encoded, int(m_descriptorIndex.size()));
        appendSeparated(&m_descriptors, encoded);
    }
    QByteArray entry;
    JsonWriter w(&entry);
    w.beginArray();
    w.string(name);
    w.integer(it.value());
    w.endArray();
    appendSeparated(&m_listed, entry);
    closeIfFull();
}

void InitManyWriter::addTopic(const Topic &topic)
{
    QByteArray entry;
    JsonWriter w(&entry);
    w.beginArray();
    w.string(topic.name());
    w.value(topic.value());
    if (topic.type() == TopicType::String)
        w.string(static_cast<const StringTopic &>(topic).version());
    w.endArray();
    appendSeparated(&m_topics, entry);
    closeIfFull();
}

void InitManyWriter::closeIfFull()
{
    if (size() < m_maxBytes)
        return;
    m_done.append(message({}, false));
    m_descriptors.clear();
    m_descriptorIndex.clear();
    m_listed.clear();
    m_topics.clear();
}

QByteArray InitManyWriter::message(const QStringList &unknown, bool last) const
{
    QByteArray out;
    out.reserve(size() + 96);
    JsonWriter w(&out);
    w.beginObject();
    w.key(wire::type);
    w.string(QString(wire::initMany));
    w.key(wire::args);
    w.beginObject();
    if (!m_listed.isEmpty()) {
        w.key(wire::descriptors);
        w.raw('[' + m_descriptors + ']');
        w.key(wire::listed);
        w.raw('[' + m_listed + ']');
    }
    w.key(wire::topics);
    w.raw('[' + m_topics + ']');
    if (!unknown.isEmpty()) {
        w.key(wire::unknown);
        w.beginArray();
        for (const QString &name : unknown)
            w.string(name);
        w.endArray();
    }
    w.key(wire::last);
    w.boolean(last);
    w.endObject();
    w.endObject();
    return out;
}

QList<QByteArray> InitManyWriter::finish(const QStringList &unknown)
{
    QList<QByteArray> out = std::exchange(m_done, {});
    out.append(message(unknown, true));
    return out;
}

} // namespace objectsync::protocol
