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

/*!
 * Marks an object type as host-only; put it after OBJECTSYNC_OBJECT:
 * \code
 * class Board : public objectsync::SObject {
 *     OBJECTSYNC_OBJECT(Board, "board")
 *     OBJECTSYNC_HOST_ONLY
 *     ...
 * };
 * \endcode
 * Clients see objects of a host-only type but may not create, change, move or destroy them
 * (see ObjectType::hostOnly). Register the type with Engine::registerType<T>() or
 * objectTypeOf<T>(), which read the mark.
 */
#define OBJECTSYNC_HOST_ONLY                                                                       \
public:                                                                                            \
    static constexpr bool staticHostOnly = true;                                                   \
                                                                                                   \
private:

/*!
 * What clients may do with an attribute. The rules apply to clients only: the host, plugins,
 * behaviours, services and the inspector may change any attribute.
 */
enum class ClientAccess : quint8 {
    ReadWrite, //!< clients may read, subscribe to and change it (the default)
    ReadOnly   //!< clients may read and subscribe to it; every change they send is refused
};

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

    /*! Types are not host-only unless they use OBJECTSYNC_HOST_ONLY. */
    static constexpr bool staticHostOnly = false;

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
    /*! True when attribute \a name was declared with ClientAccess::ReadOnly: clients may
     *  read it but not change it. */
    bool isReadOnly(const QString &name) const;
    /*! True when the object's type is host-only (ObjectType::hostOnly). */
    bool isHostOnly() const { return m_hostOnly; }

    /*! Calls the object's service \a name (registered with addService()). */
    QJsonValue callService(const QString &name, const QJsonObject &args = {});
    /*! The names of the services this object declared with addService(), without the
     *  "<id>/" of their full names, in the order they were declared. */
    QStringList serviceNames() const;

protected:
    virtual void preBuild(const QJsonObject &buildArgs);
    virtual void build(const QJsonObject &buildArgs);
    virtual void init();
    virtual void onDestroy();

    /*! Declares an attribute of topic type \a T with \a initial as its value for a new
     *  object (restored objects keep their stored value). With ClientAccess::ReadOnly,
     *  clients may read it but only host-side code changes it. */
    template<class T>
    T *addAttribute(const QString &name, const QJsonValue &initial = {},
                    ClientAccess access = ClientAccess::ReadWrite)
    {
        return static_cast<T *>(declareAttribute(name, T::staticType, initial, false, access));
    }
    /*! Declares a reference attribute: \a R is ObjectRef, ObjectListRef, ObjectSetRef or
     *  ObjectDictRef. Ids in it are remapped when a subtree is pasted. */
    template<class R>
    R addReference(const QString &name, ClientAccess access = ClientAccess::ReadWrite);
    /*! Declares an event attribute; \a handler runs when it is emitted (see EventTopic). A
     *  ClientAccess::ReadOnly event is emitted by host-side code only. */
    EventTopic *addEvent(const QString &name, EventHandler handler = {}, EventHandler inverse = {},
                         ClientAccess access = ClientAccess::ReadWrite);
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
                            bool reference, ClientAccess access);
    void setAccess(const QString &name, ClientAccess access);

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
    bool m_hostOnly = false;
    struct Extra;
    std::unique_ptr<Extra> m_extra; // links, services, history, read-only attributes: on first use
};

template<>
inline ObjectRef SObject::addReference<ObjectRef>(const QString &name, ClientAccess access)
{
    return ObjectRef(static_cast<StringTopic *>(
        declareAttribute(name, TopicType::String, QString(), true, access)));
}
template<>
inline ObjectListRef SObject::addReference<ObjectListRef>(const QString &name, ClientAccess access)
{
    return ObjectListRef(static_cast<ListTopic *>(
        declareAttribute(name, TopicType::List, QJsonArray(), true, access)));
}
template<>
inline ObjectSetRef SObject::addReference<ObjectSetRef>(const QString &name, ClientAccess access)
{
    return ObjectSetRef(static_cast<SetTopic *>(
        declareAttribute(name, TopicType::Set, QJsonArray(), true, access)));
}
template<>
inline ObjectDictRef SObject::addReference<ObjectDictRef>(const QString &name, ClientAccess access)
{
    return ObjectDictRef(static_cast<DictTopic *>(
        declareAttribute(name, TopicType::Dict, QJsonObject(), true, access)));
}

} // namespace objectsync
