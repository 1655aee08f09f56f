// SPDX-License-Identifier: MIT
// SObject: tags, attributes, access marks, events, services and listeners; and the typed
// references to objects (ObjectRef and its list, set and dict forms).
#include <objectsync/engine.h>
#include <objectsync/sobject.h>

#include "engine_p.h"

namespace objectsync {

// ---- SObject ---------------------------------------------------------------------------

SObject::SObject() = default;

SObject::~SObject()
{
    if (!m_extra || !m_engine)
        return;
    EnginePrivate *d = EnginePrivate::get(m_engine);
    for (const auto &[topicName, id] : std::as_const(m_extra->links)) {
        Topic *t = d->topics.value(topicName);
        if (!t)
            continue;
        if (t->type() == TopicType::Event)
            static_cast<EventTopic *>(t)->off(id);
        t->removeListener(id);
    }
    for (const QString &s : std::as_const(m_extra->services)) {
        if (!m_extra->parkedServices.contains(s)) // parked ones left the registry already
            d->services.remove(s);
    }
}

bool SObject::isDescendantOf(const SObject *other) const
{
    for (const SObject *p = this; p; p = p->m_parent)
        if (p == other)
            return true;
    return false;
}

void SObject::addTag(const QString &tag)
{
    if (!m_tags->contains(tag))
        m_tags->append(tag);
}

void SObject::removeTag(const QString &tag)
{
    if (m_tags->contains(tag))
        m_tags->remove(tag);
}

bool SObject::hasTag(const QString &tag) const
{
    return m_tags->contains(tag);
}

void SObject::setParent(SObject *newParent)
{
    m_engine->moveObject(this, newParent);
}

Topic *SObject::attribute(const QString &name) const
{
    return m_engine->topic(attributeTopicName(name));
}

QStringList SObject::attributeNames() const
{
    QStringList names;
    names.reserve(m_attributes.size());
    const qsizetype prefix = names::attributePrefix.size() + m_id.size() + 1;
    for (const Topic *t : m_attributes)
        names.append(t->name().mid(prefix));
    return names;
}

QString SObject::attributeTopicName(const QString &name) const
{
    QString topicName;
    topicName.reserve(names::attributePrefix.size() + m_id.size() + 1 + name.size());
    topicName.append(names::attributePrefix).append(m_id).append(QLatin1Char('/')).append(name);
    return topicName;
}

bool SObject::isReadOnly(const QString &name) const
{
    return m_extra && m_extra->readOnly.contains(name);
}

QJsonValue SObject::callService(const QString &name, const QJsonObject &args)
{
    return m_engine->callService(m_id + QLatin1Char('/') + name, args);
}

QStringList SObject::serviceNames() const
{
    QStringList names;
    if (m_extra) {
        for (const QString &full : std::as_const(m_extra->services))
            names.append(full.mid(m_id.size() + 1));
    }
    return names;
}

void SObject::preBuild(const QJsonObject &) {}
void SObject::build(const QJsonObject &) {}
void SObject::init() {}
void SObject::onDestroy() {}

Topic *SObject::declareAttribute(const QString &name, TopicType type, const QJsonValue &initial,
                                 bool reference, ClientAccess access)
{
    if (name.isEmpty())
        throw Error(QStringLiteral("an attribute needs a name"));
    EnginePrivate *d = EnginePrivate::get(m_engine);
    const QString topicName = attributeTopicName(name);
    Topic *t = d->topics.value(topicName);
    if (t) {
        if (t->type() != type)
            throw Error(QStringLiteral("attribute %1 of %2 is a %3, not a %4")
                            .arg(name, m_id, topicTypeName(t->type()), topicTypeName(type)));
    } else {
        if (m_live)
            throw Error(QStringLiteral("attribute %1 of %2 is missing").arg(name, m_id));
        QJsonValue value = initial;
        if (d->restore) {
            const QJsonObject stored = d->restore->attributes.value(m_id);
            if (stored.contains(name)) {
                value = stored.value(name);
                if (reference && !d->restore->idMap.isEmpty()) {
                    const auto map = [&](const QJsonValue &v) -> QJsonValue {
                        const auto it = d->restore->idMap.constFind(v.toString());
                        return v.isString() && it != d->restore->idMap.cend() ? QJsonValue(*it) : v;
                    };
                    if (value.isString()) {
                        value = map(value);
                    } else if (value.isArray()) {
                        QJsonArray a;
                        for (const QJsonValue &v : value.toArray())
                            a.append(map(v));
                        value = a;
                    } else if (value.isObject()) {
                        QJsonObject o = value.toObject();
                        for (auto it = o.begin(); it != o.end(); ++it)
                            it.value() = map(it.value());
                        value = o;
                    }
                }
            }
        }
        t = d->addTopicByChange(topicName, type, value, true, true);
    }
    t->m_reference = reference;
    if (!m_attributes.contains(t))
        m_attributes.append(t);
    setAccess(name, access);
    return t;
}

void SObject::setAccess(const QString &name, ClientAccess access)
{
    if (access == ClientAccess::ReadOnly) {
        if (!m_extra)
            m_extra = std::make_unique<Extra>();
        if (!m_extra->readOnly.contains(name))
            m_extra->readOnly.append(name);
    } else if (m_extra) {
        m_extra->readOnly.removeOne(name); // the latest declaration counts
    }
}

EventTopic *SObject::addEvent(const QString &name, EventHandler handler, EventHandler inverse,
                              ClientAccess access)
{
    auto *t = static_cast<EventTopic *>(
        declareAttribute(name, TopicType::Event, QJsonValue(), false, access));
    if (handler || inverse)
        link(t, t->on(std::move(handler), std::move(inverse)));
    return t;
}

void SObject::addService(const QString &name,
                         std::function<QJsonValue(const QJsonObject &)> handler)
{
    const QString full = m_id + QLatin1Char('/') + name;
    if (!m_extra)
        m_extra = std::make_unique<Extra>();
    if (m_extra->services.contains(full))
        return; // declared again when the object is restored
    m_engine->registerService(full, std::move(handler));
    m_extra->services.append(full);
}

void SObject::link(Topic *topic, ListenerId id)
{
    if (!m_extra)
        m_extra = std::make_unique<Extra>();
    m_extra->links.append({topic->name(), id});
}

void SObject::listen(Topic *topic, ChangeListener fn, ListenerKind kind)
{
    link(topic, topic->addListener(std::move(fn), kind));
}

// ---- references ------------------------------------------------------------------------

SObject *ObjectRef::get() const
{
    return m_topic ? m_topic->engine()->object(m_topic->get()) : nullptr;
}

void ObjectRef::set(const SObject *object)
{
    m_topic->set(object ? object->id() : QString());
}

namespace {
QList<SObject *> resolve(Engine *engine, const QJsonArray &ids)
{
    QList<SObject *> out;
    for (const QJsonValue &v : ids)
        if (SObject *o = engine->object(v.toString()))
            out.append(o);
    return out;
}
} // namespace

QList<SObject *> ObjectListRef::objects() const
{
    return resolve(m_topic->engine(), m_topic->get());
}

void ObjectListRef::append(const SObject *object)
{
    m_topic->append(object->id());
}

void ObjectListRef::insert(qint64 position, const SObject *object)
{
    m_topic->insert(position, object->id());
}

void ObjectListRef::pop(qint64 position)
{
    m_topic->pop(position);
}

QList<SObject *> ObjectSetRef::objects() const
{
    return resolve(m_topic->engine(), m_topic->get());
}

bool ObjectSetRef::contains(const SObject *object) const
{
    return m_topic->contains(object->id());
}

void ObjectSetRef::add(const SObject *object)
{
    m_topic->append(object->id());
}

void ObjectSetRef::remove(const SObject *object)
{
    m_topic->remove(object->id());
}

SObject *ObjectDictRef::get(const QString &key) const
{
    return m_topic->engine()->object(m_topic->value(key).toString());
}

void ObjectDictRef::add(const QString &key, const SObject *object)
{
    m_topic->add(key, object->id());
}

void ObjectDictRef::pop(const QString &key)
{
    m_topic->pop(key);
}

void ObjectDictRef::changeValue(const QString &key, const SObject *object)
{
    m_topic->changeValue(key, object->id());
}

} // namespace objectsync
