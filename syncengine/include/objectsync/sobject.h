// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/topic.h>

#include <QList>
#include <QString>

namespace objectsync {

class Engine;
class SObject;

/*!
 * Declares a type's names inside an SObject subclass:
 * \code
 * class TextObject : public objectsync::SObject {
 *     OBJECTSYNC_OBJECT(TextObject, "text")
 *     ...
 * };
 * \endcode
 */
#define OBJECTSYNC_OBJECT(TypeName, FrontendType)                                                  \
public:                                                                                            \
    static QString staticTypeName()                                                                \
    {                                                                                              \
        return QStringLiteral(#TypeName);                                                          \
    }                                                                                              \
    static QString staticFrontendType()                                                            \
    {                                                                                              \
        return QStringLiteral(FrontendType);                                                       \
    }                                                                                              \
                                                                                                   \
private:

/*! An attribute holding the id of one object (a string topic); resolves to the live object. */
class OBJECTSYNC_EXPORT ObjectRef
{
public:
    ObjectRef() = default;
    explicit ObjectRef(StringTopic *topic) : m_topic(topic) {}
    StringTopic *topic() const { return m_topic; }
    /*! The referenced object, or null when unset or no longer alive. */
    SObject *get() const;
    template<class T> T *getAs() const { return dynamic_cast<T *>(get()); }
    void set(const SObject *object);

private:
    StringTopic *m_topic = nullptr;
};

/*! An attribute holding a list of object ids (a list topic). */
class OBJECTSYNC_EXPORT ObjectListRef
{
public:
    ObjectListRef() = default;
    explicit ObjectListRef(ListTopic *topic) : m_topic(topic) {}
    ListTopic *topic() const { return m_topic; }
    /*! The live objects, in order; ids of dead objects are skipped. */
    QList<SObject *> objects() const;
    void append(const SObject *object);
    void insert(qint64 position, const SObject *object);
    void pop(qint64 position = -1);

private:
    ListTopic *m_topic = nullptr;
};

/*! An attribute holding a set of object ids (a set topic). */
class OBJECTSYNC_EXPORT ObjectSetRef
{
public:
    ObjectSetRef() = default;
    explicit ObjectSetRef(SetTopic *topic) : m_topic(topic) {}
    SetTopic *topic() const { return m_topic; }
    QList<SObject *> objects() const;
    bool contains(const SObject *object) const;
    void add(const SObject *object);
    void remove(const SObject *object);

private:
    SetTopic *m_topic = nullptr;
};

/*! An attribute mapping keys to object ids (a dict topic). */
class OBJECTSYNC_EXPORT ObjectDictRef
{
public:
    ObjectDictRef() = default;
    explicit ObjectDictRef(DictTopic *topic) : m_topic(topic) {}
    DictTopic *topic() const { return m_topic; }
    SObject *get(const QString &key) const;
    void add(const QString &key, const SObject *object);
    void pop(const QString &key);
    void changeValue(const QString &key, const SObject *object);

private:
    DictTopic *m_topic = nullptr;
};

/*!
 * A synchronized object: an id, a type, a parent, tags and typed attributes. Subclass it to
 * make an object type, declare the attributes in preBuild(), and register the type with the
 * Engine (or a plugin). The engine owns every SObject; never delete one yourself.
 *
 * Life of an object:
 * 1. preBuild(): declare attributes (addAttribute(), addReference(), addEvent(),
 *    addService()). Runs for new and for restored objects.
 * 2. build(): new objects only: create children and set initial values.
 * 3. init(): once the whole subtree exists (at the end of the transition). Register
 *    listeners here; use link() so they go away with the object.
 * 4. onDestroy(): before a forward destroy; may still change topics.
 */
class OBJECTSYNC_EXPORT SObject
{
public:
    SObject();
    virtual ~SObject();
    SObject(const SObject &) = delete;
    SObject &operator=(const SObject &) = delete;

    const QString &id() const { return m_id; }
    const QString &typeName() const { return m_typeName; }
    const QString &frontendType() const { return m_frontendType; }
    Engine *engine() const { return m_engine; }
    bool isRoot() const { return m_parent == nullptr; }
    SObject *parent() const { return m_parent; }
    const QList<SObject *> &children() const { return m_children; }
    /*! True if \a other is this object or one of its ancestors. */
    bool isDescendantOf(const SObject *other) const;

    StringTopic *parentIdTopic() const { return m_parentId; }
    SetTopic *tagsTopic() const { return m_tags; }
    void addTag(const QString &tag);
    void removeTag(const QString &tag);
    bool hasTag(const QString &tag) const;

    /*! Moves this object under \a newParent (a change of its parent_id topic). */
    void setParent(SObject *newParent);

    /*! The attribute named \a name, or null. */
    Topic *attribute(const QString &name) const;
    template<class T> T *attributeAs(const QString &name) const
    {
        Topic *t = attribute(name);
        return t && t->type() == T::staticType ? static_cast<T *>(t) : nullptr;
    }
    /*! Attribute names in declaration order. */
    QStringList attributeNames() const;
    /*! The topic name of attribute \a name: "a/<id>/<name>". */
    QString attributeTopicName(const QString &name) const;

    /*! Calls the object's service \a name (registered with addService()). */
    QJsonValue callService(const QString &name, const QJsonObject &args = {});

protected:
    virtual void preBuild(const QJsonObject &buildArgs);
    virtual void build(const QJsonObject &buildArgs);
    virtual void init();
    virtual void onDestroy();

    /*! Declares an attribute of topic type \a T with \a initial as its value for a new
     *  object (restored objects keep their stored value). */
    template<class T> T *addAttribute(const QString &name, const QJsonValue &initial = {})
    {
        return static_cast<T *>(declareAttribute(name, T::staticType, initial, false));
    }
    /*! Declares a reference attribute: \a R is ObjectRef, ObjectListRef, ObjectSetRef or
     *  ObjectDictRef. Ids in it are remapped when a subtree is pasted. */
    template<class R> R addReference(const QString &name);
    /*! Declares an event attribute; \a handler runs when it is emitted (see EventTopic). */
    EventTopic *addEvent(const QString &name, EventHandler handler = {}, EventHandler inverse = {});
    /*! Registers the per-object service "<id>/<name>". */
    void addService(const QString &name, std::function<QJsonValue(const QJsonObject &)> handler);
    /*! Keeps \a id (a listener of \a topic) until this object goes away. */
    void link(Topic *topic, ListenerId id);
    /*! Runs \a fn after each change of \a topic for as long as this object lives. */
    void listen(Topic *topic, ChangeListener fn, ListenerKind kind = ListenerKind::Behaviour);

private:
    friend class Engine;
    friend class EnginePrivate;
    Topic *declareAttribute(const QString &name, TopicType type, const QJsonValue &initial,
                            bool reference);

    Engine *m_engine = nullptr;
    SObject *m_parent = nullptr;
    QString m_id;
    QString m_typeName;
    QString m_frontendType;
    QList<SObject *> m_children;
    QList<Topic *> m_attributes;
    StringTopic *m_parentId = nullptr;
    SetTopic *m_tags = nullptr;
    bool m_live = false;
    struct Extra;
    std::unique_ptr<Extra> m_extra; // links, services, history: allocated on first use
};

template<> inline ObjectRef SObject::addReference<ObjectRef>(const QString &name)
{
    return ObjectRef(
        static_cast<StringTopic *>(declareAttribute(name, TopicType::String, QString(), true)));
}
template<> inline ObjectListRef SObject::addReference<ObjectListRef>(const QString &name)
{
    return ObjectListRef(
        static_cast<ListTopic *>(declareAttribute(name, TopicType::List, QJsonArray(), true)));
}
template<> inline ObjectSetRef SObject::addReference<ObjectSetRef>(const QString &name)
{
    return ObjectSetRef(
        static_cast<SetTopic *>(declareAttribute(name, TopicType::Set, QJsonArray(), true)));
}
template<> inline ObjectDictRef SObject::addReference<ObjectDictRef>(const QString &name)
{
    return ObjectDictRef(
        static_cast<DictTopic *>(declareAttribute(name, TopicType::Dict, QJsonObject(), true)));
}

} // namespace objectsync
