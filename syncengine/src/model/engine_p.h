// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/engine.h>
#include <objectsync/names.h>

#include <QHash>
#include <QLoggingCategory>

namespace objectsync {

Q_DECLARE_LOGGING_CATEGORY(lcModel)

/*! What a topic is for; decides how the engine reacts to its changes. */
enum class TopicRole : quint8 { Plain, Attribute, ParentId, Tags, System };

/*! One entry of an object's undo or redo stack, shared by every object that holds it. */
struct HistoryRecord
{
    QList<Change> changes;  //!< the stateful changes, in order
    QList<QString> holders; //!< ids of the objects whose history holds this record
    int origin = 0;         //!< the origin of the transition it was made from
};
using HistoryRecordPtr = std::shared_ptr<HistoryRecord>;

/*! Per-object data that most objects never need. */
struct SObject::Extra
{
    QList<std::pair<QString, ListenerId>> links;
    QStringList services;
    /*! Services of a destroyed object, taken out of the registry until the object is freed
     *  (or brought back when its transition is reverted), so that a new object with the same
     *  id can register them in the same transition. */
    QHash<QString, ServiceHandler> parkedServices;
    QList<HistoryRecordPtr> undo;
    QList<HistoryRecordPtr> redo;
    QStringList readOnly; //!< attributes declared with ClientAccess::ReadOnly
};

/*! The dict topic listing every topic. Its value is derived from the engine's registry. */
class TopicListTopic final : public Topic
{
public:
    TopicListTopic(Engine *engine, EnginePrivate *d);
    QJsonValue value() const override;

private:
    void apply(Change &change) override;
    void assign(const QJsonValue &value) override;
    EnginePrivate *d;
};

/*! Serialized data for objects being restored by Engine::deserialize(). */
struct RestoreContext
{
    QHash<QString, QString> idMap;          //!< old id -> new id (Remap mode)
    QHash<QString, QJsonObject> attributes; //!< new id -> serialized attributes
};

/*! A topic being created by EnginePrivate::addTopicByChange(): lets the topic list take
 *  the parts of the descriptor without reading them back from JSON. */
struct PendingTopic
{
    const QString *name;
    TopicType type;
    const QJsonValue *initial;
    const QString *text; //!< the initial value of a string topic, when given as text
    bool stateful;
    bool orderStrict;
    Topic *created = nullptr;
};

/*! The JSON values an object type puts into _object_types and _objects, made once and shared
 *  by every object of the type. */
struct TypeValues
{
    QJsonValue typeName;
    QJsonValue frontendType;
};

/*! The state of the open transition. */
struct TxState
{
    int depth = 0;
    int origin = 0;
    QString actionId;
    TransitionKind kind = TransitionKind::Forward;
    QList<Change> changes;
    /*! Indexes in changes of those the history leaves out (changes of topics that are not
     *  stateful). Usually empty, so that the history shares the transition's list. */
    QList<qsizetype> unrecorded;
    bool recordable = false; //!< a change for the history was applied
    bool failed = false;
    QString failure;
    bool rollingBack = false;
    QList<std::function<void()>> after;
    QList<QString> pendingInit;
    QList<SObject *> lca; //!< path from the root to the lowest common ancestor
    bool lcaSet = false;
    SObject *lastTouched = nullptr; //!< most changes of a transition touch the same object
    bool replaying = false;         //!< Engine::replay(): no behaviours, no history
    /*! Where moved objects stood among their old parent's children, so that reverting the
     *  transition puts them back in place. */
    QList<std::pair<SObject *, qsizetype>> moves;
};

/*! An object removed in the open transition; freed when it ends unless it is revived. */
struct DeadObject
{
    SObject *object;
    qsizetype index; //!< its place among its parent's children
};

class EnginePrivate
{
public:
    explicit EnginePrivate(Engine *q);
    ~EnginePrivate();
    void clear();

    Engine *q;
    QHash<QString, Topic *> topics;
    TopicListTopic *topicList = nullptr;
    DictTopic *objectsTopic = nullptr;
    DictTopic *objectTypesTopic = nullptr;
    EventTopic *createEvent = nullptr;
    EventTopic *destroyEvent = nullptr;
    QHash<QString, ObjectType> types;
    QHash<QString, TypeValues> typeValues;
    QHash<QString, SObject *> objects; // live objects and objects being built
    SObject *root = nullptr;
    QHash<QString, ServiceHandler> services;

    bool txOpen = false;
    TxState tx;
    int ambientOrigin = 0;     //!< the client calling a service, for transitions it opens
    int mirrorDepth = 0;       //!< > 0 while code that may not change topics runs
    QList<Topic *> deadTopics; //!< freed when the transition ends
    QList<DeadObject> deadObjects;
    /*! While reverting, only what the transition removed before the revert began can be
     *  revived: the first reviveLimit entries of deadTopics / deadObjects. */
    qsizetype topicReviveLimit = 0;
    qsizetype objectReviveLimit = 0;
    RestoreContext *restore = nullptr;

    const PendingTopic *pendingTopic = nullptr;
    /*! Descriptors with the default boundary value, by [type][stateful][order strict]; the
     *  topic list's changes share them. */
    mutable QJsonObject descriptorTemplates[8][2][2];
    /*! The last descriptor made with another boundary value (parent ids repeat a lot). */
    mutable struct
    {
        QJsonObject descriptor;
        QJsonValue boundary;
        QString text; //!< the boundary, when it was given as text
        int key = -1;
    } lastDescriptor;

    quint64 sequence = 0;
    quint64 objectCounter = 0;
    quint64 versionCounter = 0;
    quint64 listenerCounter = 0;
    int historyLimit = 1000;

    // transitions
    void begin(int origin, const QString &actionId, TransitionKind kind);
    void commit();
    void rollback();
    void apply(Change &change, bool forward);
    void react(Topic *topic, const Change &change, bool forward);
    void touch(Topic *topic, const Change &change);
    void touchObject(SObject *object);
    SObject *anchorOf(QStringView ownerId, bool parent) const;
    void endTransition();
    void announce(TransitionPtr transition);
    QList<TransitionPtr> announcements; //!< committed, waiting to be announced in order
    bool announcing = false;
    void freeDead();
    void markFailed(const QString &why);

    // topics
    Topic *createTopic(const QString &name, TopicType type, const QJsonValue &initial,
                       bool stateful, bool orderStrict);
    Topic *addTopicByChange(const QString &name, TopicType type, const QJsonValue &initial,
                            bool stateful, bool orderStrict, const QString *text = nullptr);
    void removeTopicByChange(const QString &name);
    void dropTopic(const QString &name);
    Topic *reviveTopic(const QString &name, TopicType type);
    QJsonObject descriptor(const Topic *topic, const QJsonValue &boundary) const;
    QJsonObject descriptor(TopicType type, const QJsonValue &boundary, bool stateful,
                           bool orderStrict, const QString *text = nullptr) const;
    QString nextVersion();

    // objects
    SObject *construct(const QString &typeName, const QString &id, SObject *parent,
                       const QJsonObject &buildArgs, const QJsonArray *tags);
    void destroyRecursive(SObject *object);
    void objectAdded(const QString &id);
    void objectRemoved(const QString &id);
    SObject *reviveObject(const QString &id);
    void parentChanged(Topic *topic, const Change &change);
    void validateMove(Topic *topic, const Change &change) const;
    void validateNewId(const QString &id) const;
    SObject *restoreNode(const QJsonObject &node, SObject *parent);
    static QString ownerOf(const QString &topicName);
    static QStringView ownerView(QStringView topicName);

    // history
    void record(const QList<Change> &changes);
    Result<void> undoRedo(SObject *scope, bool undo, int origin, const UndoCheck &check);

    // create_object / destroy_object
    void onCreateObjectEvent(const QJsonObject &args);
    void onDestroyObjectEvent(const QJsonObject &args);

    static EnginePrivate *get(Engine *e) { return e->d.get(); }
    static void setRole(Topic *t, TopicRole role) { t->m_role = static_cast<quint8>(role); }
    static TopicRole role(const Topic *t) { return static_cast<TopicRole>(t->m_role); }
    /*! Sets a new string topic's text without a change (shared, not copied). */
    static void setInitialText(StringTopic *t, const QString &text) { t->m_value = text; }
};

/*! The root object. */
class RootObject final : public SObject
{
    OBJECTSYNC_OBJECT(Root, "Root")
};

} // namespace objectsync
