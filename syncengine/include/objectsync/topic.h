// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/change.h>

#include <QJsonArray>
#include <QJsonObject>
#include <QMap>
#include <QStringList>
#include <functional>
#include <memory>
#include <vector>

namespace objectsync {

class Engine;
class SObject;

/*!
 * Listener kinds.
 * - Mirror listeners keep derived state. They run for every change, forward, undo, redo
 *   and rollback, and must not change topics.
 * - Behaviour listeners react by making more changes. They run only for forward changes;
 *   what they change joins the same transition and is recorded, so undo reverts it instead
 *   of running the behaviour backwards.
 */
enum class ListenerKind : quint8 { Mirror, Behaviour };

using ListenerId = quint64;
using ChangeListener = std::function<void(const Change &)>;

/*!
 * A named, typed value kept in sync with every subscriber. Topics are owned by the Engine;
 * the typed subclasses below give the operations each type allows. Every operation is a
 * Change: outside a transition it forms its own transition, inside one it joins it. A
 * refused change throws objectsync::Error and leaves the value as it was.
 */
class OBJECTSYNC_EXPORT Topic
{
public:
    virtual ~Topic();
    Topic(const Topic &) = delete;
    Topic &operator=(const Topic &) = delete;

    const QString &name() const { return m_name; }
    TopicType type() const { return m_type; }
    Engine *engine() const { return m_engine; }
    /*! Stateful topics take part in undo. Tags are not stateful. */
    bool isStateful() const { return m_stateful; }
    /*! Changes to a topic that is not order-strict may be merged before they are sent. */
    bool isOrderStrict() const { return m_orderStrict; }
    /*! True for the engine's own topics, which clients may not write directly. */
    bool isSystem() const { return m_system; }
    /*! True when the topic holds object ids (see ObjectRef and friends). */
    bool isReference() const { return m_reference; }
    /*! The value as JSON. */
    virtual QJsonValue value() const = 0;

    /*! Calls \a listener after each change applied to this topic. */
    ListenerId addListener(ChangeListener listener, ListenerKind kind = ListenerKind::Behaviour);
    void removeListener(ListenerId id);

protected:
    Topic(Engine *engine, const QString &name, TopicType type);
    /*! Applies \a change through the engine (validation, transition, listeners). */
    void submit(Change &&change);
    /*! A change for this topic with name and type filled in. */
    Change makeChange(ChangeType type) const;

private:
    friend class Engine;
    friend class EnginePrivate;
    friend class SObject;
    /*! Validates \a change, fills in its old values, then applies it. Throws Error and
     *  changes nothing when the change is invalid. */
    virtual void apply(Change &change) = 0;
    /*! Replaces the value without a change (creation and restore). Throws on a bad value. */
    virtual void assign(const QJsonValue &value) = 0;

    struct Listener
    {
        ListenerId id;
        ListenerKind kind;
        ChangeListener fn;
    };
    Engine *m_engine;
    QString m_name;
    std::unique_ptr<std::vector<Listener>> m_listeners;
    TopicType m_type;
    bool m_stateful = true;
    bool m_orderStrict = true;
    bool m_system = false;
    bool m_reference = false;
    quint8 m_role = 0;
};

/*! Any JSON value. */
class OBJECTSYNC_EXPORT GenericTopic : public Topic
{
public:
    static constexpr TopicType staticType = TopicType::Generic;
    GenericTopic(Engine *engine, const QString &name);
    QJsonValue value() const override { return m_value; }
    void set(const QJsonValue &value);

private:
    void apply(Change &change) override;
    void assign(const QJsonValue &value) override;
    QJsonValue m_value;
};

/*!
 * Text with a version after every change. An insert or delete made against an older
 * version is transformed against the changes made since, so concurrent typing never fails:
 * - an insert at or before its position moves it right;
 * - an insert inside the range of a delete survives (the delete stops right before it);
 * - a delete before its position moves it left (at most to the deleted range's start), and
 *   a delete drops the part of another delete's range already deleted;
 * - after a set, the position is 0 and a delete deletes nothing.
 * A transformed change gets its id with "_adjust" appended. The latest 128 versions are
 * remembered; a change against an older or unknown version is refused. A set without a
 * result version takes its id as the new version.
 */
class OBJECTSYNC_EXPORT StringTopic : public Topic
{
public:
    static constexpr TopicType staticType = TopicType::String;
    StringTopic(Engine *engine, const QString &name);
    ~StringTopic() override;
    QJsonValue value() const override { return m_value; }
    const QString &get() const { return m_value; }
    /*! The current version; a client sends it as the topic_version of its next change. */
    const QString &version() const { return m_version; }
    void set(const QString &value);
    void insert(qint64 position, const QString &text);
    /*! Deletes \a length characters at \a position. */
    void remove(qint64 position, qint64 length);

private:
    struct Step;
    void apply(Change &change) override;
    void assign(const QJsonValue &value) override;
    void transform(Change &change) const;
    void remember(const Change &change, const QString &fromVersion);
    void forgetLast();
    friend class EnginePrivate;
    QString m_value;
    QString m_version;
    std::unique_ptr<QList<Step>> m_steps;
};

/*! A 64-bit integer. Refuses booleans and non-integers. */
class OBJECTSYNC_EXPORT IntTopic : public Topic
{
public:
    static constexpr TopicType staticType = TopicType::Int;
    IntTopic(Engine *engine, const QString &name);
    QJsonValue value() const override { return m_value; }
    qint64 get() const { return m_value; }
    void set(qint64 value);
    void add(qint64 amount);

private:
    void apply(Change &change) override;
    void assign(const QJsonValue &value) override;
    qint64 m_value = 0;
};

/*! A finite double. */
class OBJECTSYNC_EXPORT FloatTopic : public Topic
{
public:
    static constexpr TopicType staticType = TopicType::Float;
    FloatTopic(Engine *engine, const QString &name);
    QJsonValue value() const override { return m_value; }
    double get() const { return m_value; }
    void set(double value);
    void add(double amount);

private:
    void apply(Change &change) override;
    void assign(const QJsonValue &value) override;
    double m_value = 0;
};

/*! An array without duplicates, in insertion order. */
class OBJECTSYNC_EXPORT SetTopic : public Topic
{
public:
    static constexpr TopicType staticType = TopicType::Set;
    SetTopic(Engine *engine, const QString &name);
    QJsonValue value() const override { return m_value; }
    const QJsonArray &get() const { return m_value; }
    bool contains(const QJsonValue &item) const { return m_value.contains(item); }
    qsizetype size() const { return m_value.size(); }
    void set(const QJsonArray &value);
    void append(const QJsonValue &item);
    void remove(const QJsonValue &item);

private:
    friend class EnginePrivate;
    void apply(Change &change) override;
    void assign(const QJsonValue &value) override;
    QJsonArray m_value;
};

/*! An array. Negative positions count from the end. */
class OBJECTSYNC_EXPORT ListTopic : public Topic
{
public:
    static constexpr TopicType staticType = TopicType::List;
    ListTopic(Engine *engine, const QString &name);
    QJsonValue value() const override { return m_value; }
    const QJsonArray &get() const { return m_value; }
    qsizetype size() const { return m_value.size(); }
    QJsonValue at(qsizetype i) const { return m_value.at(i); }
    void set(const QJsonArray &value);
    /*! Inserts before \a position; -1 appends. */
    void insert(qint64 position, const QJsonValue &item);
    void append(const QJsonValue &item) { insert(-1, item); }
    /*! Removes the item at \a position; -1 is the last. */
    void pop(qint64 position = -1);

private:
    void apply(Change &change) override;
    void assign(const QJsonValue &value) override;
    QJsonArray m_value;
};

/*! An object with string keys. */
class OBJECTSYNC_EXPORT DictTopic : public Topic
{
public:
    static constexpr TopicType staticType = TopicType::Dict;
    DictTopic(Engine *engine, const QString &name);
    QJsonValue value() const override { return get(); }
    QJsonObject get() const;
    /*! The value of \a key; undefined (not null) when the key is missing. */
    QJsonValue value(const QString &key) const
    {
        return m_value.value(key, QJsonValue(QJsonValue::Undefined));
    }
    bool contains(const QString &key) const { return m_value.contains(key); }
    QStringList keys() const { return m_value.keys(); }
    qsizetype size() const { return m_value.size(); }
    void set(const QJsonObject &value);
    /*! Adds a new key; refuses an existing one. */
    void add(const QString &key, const QJsonValue &value);
    /*! Removes an existing key. */
    void pop(const QString &key);
    /*! Replaces the value of an existing key. */
    void changeValue(const QString &key, const QJsonValue &value);

private:
    friend class Engine;
    void apply(Change &change) override;
    void assign(const QJsonValue &value) override;
    QMap<QString, QJsonValue> m_value;
};

/*! Handler of an event. */
using EventHandler = std::function<void(const QJsonObject &args)>;

/*!
 * An event: no value, only emissions. A handler registered with on() alone is a behaviour:
 * it runs when the event is emitted and the changes it makes are recorded, so undo reverts
 * them. A handler registered with an inverse is a reversible side effect: the forward
 * handler runs on emit and redo, the inverse on undo; neither may change topics on undo or
 * redo.
 */
class OBJECTSYNC_EXPORT EventTopic : public Topic
{
public:
    static constexpr TopicType staticType = TopicType::Event;
    EventTopic(Engine *engine, const QString &name);
    ~EventTopic() override;
    QJsonValue value() const override { return QJsonValue(); }
    void emitEvent(const QJsonObject &args = {});
    ListenerId on(EventHandler handler, EventHandler inverse = {});
    void off(ListenerId id);

private:
    struct Handler
    {
        ListenerId id;
        EventHandler forward;
        EventHandler inverse;
    };
    friend class Engine;
    friend class EnginePrivate;
    void apply(Change &change) override;
    void assign(const QJsonValue &value) override;
    void dispatch(const Change &change, bool replay);
    std::vector<Handler> m_handlers;
};

} // namespace objectsync
