// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/error.h>
#include <objectsync/result.h>
#include <objectsync/sobject.h>
#include <objectsync/topic.h>
#include <objectsync/transition.h>

#include <QObject>
#include <functional>
#include <memory>

namespace objectsync {

class EnginePrivate;

/*! A service: takes the request's arguments, returns the response. Throw Error to refuse. */
using ServiceHandler = std::function<QJsonValue(const QJsonObject &args)>;

/*! How Engine::deserialize() treats the ids found in serialized data. */
enum class IdMode : quint8 {
    Keep, //!< restore with the same ids (load a workspace); refuses ids already in use
    Remap //!< give every object a new id and update references inside the subtree (paste)
};

/*! A registered object type. */
struct OBJECTSYNC_EXPORT ObjectType
{
    QString name;         //!< unique type name, used by create_object
    QString frontendType; //!< tells clients how to render it
    std::function<SObject *()> factory;
    /*!
     * Objects of a host-only type belong to the host. Clients see them, but may not create
     * one, destroy one (nor a subtree holding one), move one, or change its tags or
     * attributes. They may create their own objects under one, and move or destroy those.
     * Host-side code (plugins, services, behaviours, the inspector) is not restricted.
     */
    bool hostOnly = false;
};

/*! The ObjectType of \a T, an SObject subclass using OBJECTSYNC_OBJECT (and
 *  OBJECTSYNC_HOST_ONLY when it is host-only). */
template<class T> ObjectType objectTypeOf()
{
    return {T::staticTypeName(), T::staticFrontendType(),
            [] { return static_cast<SObject *>(new T); }, T::staticHostOnly};
}

/*! Decides whether an undo or redo may commit. It gets the changes the undo or redo has
 *  applied and the origin of the transition it takes back or makes again; it returns an
 *  Error saying why it may not (everything is then reverted), or success. It must not change
 *  topics. */
using UndoCheck = std::function<Result<void>(const QList<Change> &changes, int recordedOrigin)>;

/*!
 * The synchronized world: topics, the SObject tree, transitions and undo history. Everything
 * runs on the thread that owns the engine (the Qt event loop).
 *
 * Changes are grouped into transitions. A transition is all-or-nothing: when a change is
 * refused or a listener throws, everything applied in it is reverted and nothing is
 * announced. A committed transition is announced once through transitionCommitted().
 *
 * \code
 * Engine engine;
 * auto *text = engine.createObject<TextObject>();
 * text->text->set("Hello ObjectSync!");        // one transition
 * {
 *     auto t = engine.transaction();           // one transition for both changes
 *     text->style->add("font-size", "30px");
 *     text->style->add("border", "5px solid black");
 * }
 * \endcode
 */
class OBJECTSYNC_EXPORT Engine : public QObject
{
    Q_OBJECT
public:
    explicit Engine(QObject *parent = nullptr);
    ~Engine() override;

    // ---- transitions --------------------------------------------------------------------

    /*!
     * A scope that groups the changes made during its life into one transition. Scopes
     * nest: an inner scope joins the outer one. The outermost scope commits when it ends,
     * or reverts everything if it ends because of an exception or rollback() was called.
     */
    class OBJECTSYNC_EXPORT Transaction
    {
    public:
        Transaction(Transaction &&other) noexcept;
        Transaction(const Transaction &) = delete;
        Transaction &operator=(const Transaction &) = delete;
        Transaction &operator=(Transaction &&) = delete;
        ~Transaction() noexcept(false);
        /*! Commits now (the outermost scope) or leaves it to the outer scope. Throws Error
         *  when the transition had failed; it is then reverted. */
        void commit();
        /*! Reverts every change of the transition, including those of outer scopes. */
        void rollback();

    private:
        friend class Engine;
        explicit Transaction(Engine *engine);
        Engine *m_engine;
        int m_uncaught;
        bool m_done = false;
    };

    /*! Opens a transaction scope; \a origin and \a actionId describe who caused it (they are
     *  ignored when joining an open transaction). */
    [[nodiscard]] Transaction transaction(int origin = 0, const QString &actionId = {});

    /*! Runs \a fn as one transition. Returns success, or the Error that refused it (what
     *  \a fn threw; everything it did has been reverted). */
    Result<void> tryTransition(const std::function<void()> &fn, int origin = 0,
                               const QString &actionId = {});

    /*!
     * Applies a transition committed by another engine (a host whose updates this engine
     * mirrors, or one read back from a journal) as one transition of this engine: its changes
     * in their order, as recorded, attributed to its origin, action id and kind.
     *
     * Every kind replays the same way, as plain changes: the changes that behaviours made
     * are in the list already, so behaviour listeners and the forward handlers of events do
     * not run (create_object and destroy_object do not build or destroy anything again);
     * objects appear and disappear through their `_objects` changes, with preBuild() and
     * init() but not build(). Mirror listeners and the reversible side effects of events run
     * as on redo. Replayed transitions are not recorded in the undo history; they are
     * announced through transitionCommitted() with a sequence number of this engine.
     *
     * Throws Error, with everything reverted, when a change does not apply or a transition
     * is open.
     */
    void replay(const Transition &transition);

    /*! True while a transition is open. */
    bool inTransition() const;
    /*! The client that caused the transition being handled (outside a transition: the
     *  client calling the service being handled); 0 for the host. */
    int currentOrigin() const;
    /*! The kind of the transition being applied (Forward outside one). */
    TransitionKind currentKind() const;

    /*! Runs \a task once the open transition has committed; its changes form the next
     *  transition. Without an open transition it runs at once. Dropped on rollback. */
    void afterCommit(std::function<void()> task);

    /*! Applies one change (normally through the typed topic methods). Throws Error. */
    void applyChange(Change change);

    // ---- topics -------------------------------------------------------------------------

    Topic *topic(const QString &name) const;
    template<class T> T *topicAs(const QString &name) const
    {
        Topic *t = topic(name);
        return t && t->type() == T::staticType ? static_cast<T *>(t) : nullptr;
    }
    /*! Creates a topic (announced to clients through the topic list). Throws Error when
     *  the name is taken or \a initial does not fit the type. */
    Topic *addTopic(const QString &name, TopicType type, const QJsonValue &initial = {},
                    bool stateful = true, bool orderStrict = true);
    template<class T> T *addTopic(const QString &name, const QJsonValue &initial = {})
    {
        return static_cast<T *>(addTopic(name, T::staticType, initial));
    }
    void removeTopic(const QString &name);
    QStringList topicNames() const;
    qsizetype topicCount() const;
    /*! The descriptor the topic list publishes for a topic. */
    QJsonObject topicDescriptor(const QString &name) const;

    // ---- object types -------------------------------------------------------------------

    /*! Registers a type; throws Error when the name is taken. */
    void registerType(const ObjectType &type);
    template<class T> void registerType() { registerType(objectTypeOf<T>()); }
    bool hasType(const QString &name) const;
    QStringList typeNames() const;
    const ObjectType *objectType(const QString &name) const;

    // ---- objects ------------------------------------------------------------------------

    SObject *root() const;
    SObject *object(const QString &id) const;
    template<class T> T *objectAs(const QString &id) const { return dynamic_cast<T *>(object(id)); }
    qsizetype objectCount() const;
    QStringList objectIds() const;

    /*! Creates an object of a registered type under \a parent (the root when null). An empty
     *  \a id makes a fresh one. \a buildArgs reach preBuild() and build(). */
    SObject *createObject(const QString &typeName, SObject *parent = nullptr,
                          const QString &id = {}, const QJsonObject &buildArgs = {});
    /*! Creates an object of C++ type \a T, registering the type on first use. */
    template<class T>
    T *createObject(SObject *parent = nullptr, const QString &id = {},
                    const QJsonObject &buildArgs = {})
    {
        if (!hasType(T::staticTypeName()))
            registerType<T>();
        return static_cast<T *>(createObject(T::staticTypeName(), parent, id, buildArgs));
    }
    /*! Destroys \a object and its whole subtree. The root cannot be destroyed. */
    void destroyObject(SObject *object);
    /*! Moves \a object under \a newParent; refuses cycles. */
    void moveObject(SObject *object, SObject *newParent);

    // ---- undo / redo --------------------------------------------------------------------

    /*! Undoes the latest transition recorded in \a scope's history (the root's when null).
     *  Returns success, or why it could not (Conflict: nothing to undo). */
    Result<void> undo(SObject *scope = nullptr);
    Result<void> redo(SObject *scope = nullptr);
    /*! undo() on behalf of client \a origin, which becomes the origin of the transition it
     *  makes (0: as undo()). \a check, when set, sees the transition before it commits and
     *  may refuse it; the history is then left as it was. */
    Result<void> undo(SObject *scope, int origin, const UndoCheck &check);
    Result<void> redo(SObject *scope, int origin, const UndoCheck &check);
    bool canUndo(SObject *scope = nullptr) const;
    bool canRedo(SObject *scope = nullptr) const;
    void clearHistory(SObject *scope = nullptr);
    /*! How many transitions each object's history keeps (default 1000). */
    void setHistoryLimit(int limit);
    int historyLimit() const;

    // ---- serialization ------------------------------------------------------------------

    /*! The subtree of \a object as JSON: id, type, attributes, tags and children. */
    QJsonObject serialize(const SObject *object) const;
    /*! Rebuilds a serialized subtree under \a parent as one transition. preBuild() and
     *  init() run for the restored objects, build() does not. Throws Error. */
    SObject *deserialize(const QJsonObject &data, SObject *parent, IdMode mode = IdMode::Keep);

    // ---- services -----------------------------------------------------------------------

    /*! Registers a service callable by clients (`request`). Throws Error when taken. */
    void registerService(const QString &name, ServiceHandler handler);
    void unregisterService(const QString &name);
    bool hasService(const QString &name) const;
    /*! Calls a service as client \a origin; throws Error for an unknown or failing one. */
    QJsonValue callService(const QString &name, const QJsonObject &args, int origin = 0);

    /*! A fresh id for a host-made object ("0_17"). */
    QString newObjectId();
    /*! The counter behind newObjectId(): the last id handed out is "0_<counter>". */
    quint64 objectIdCounter() const;
    /*! Makes the counter at least \a counter (it never goes back), for a host that restores
     *  objects made earlier, so that their ids are not handed out again. */
    void raiseObjectIdCounter(quint64 counter);
    /*! The sequence number of the latest committed transition (0 before the first). */
    quint64 lastSequence() const;

signals:
    /*! A transition has committed. Delivered synchronously, once, in commit order. */
    void transitionCommitted(const objectsync::TransitionPtr &transition);
    /*! The object tree changed shape (created, destroyed or moved objects). */
    void objectCreated(objectsync::SObject *object);
    void objectAboutToBeDestroyed(objectsync::SObject *object);
    void objectMoved(objectsync::SObject *object, objectsync::SObject *oldParent);

private:
    friend class EnginePrivate;
    friend class ReplayScope;
    friend class Topic;
    friend class SObject;
    std::unique_ptr<EnginePrivate> d;
};

/*!
 * Replays recorded changes into an engine as one transition of kind Redo, for a host that
 * restores what it journaled: changes are applied as recorded, without running behaviours
 * (behaviour listeners, event handlers without an inverse such as create_object's), and the
 * transition is not recorded for undo. Public engine calls made while the scope is open
 * (Engine::deserialize(), Engine::applyChange(), typed topic methods) join it. A scope
 * destroyed before commit() reverts everything.
 *
 * \code
 * ReplayScope scope(&engine);
 * for (const Change &c : journaled)
 *     scope.apply(c);
 * scope.commit();
 * \endcode
 */
class OBJECTSYNC_EXPORT ReplayScope
{
public:
    /*! Opens the transition. Throws Error when \a engine is inside a transition. */
    explicit ReplayScope(Engine *engine);
    ~ReplayScope();
    ReplayScope(const ReplayScope &) = delete;
    ReplayScope &operator=(const ReplayScope &) = delete;

    /*! Applies a recorded change. String inserts and deletes apply at the topic's current
     *  version (they were transformed when first applied); versions are made afresh. */
    void apply(Change change);
    /*! Commits; throws Error (everything reverted) when the engine refuses. */
    void commit();
    /*! Reverts everything applied in the scope. */
    void rollback();

private:
    Engine *m_engine;
    bool m_done = false;
};

} // namespace objectsync
