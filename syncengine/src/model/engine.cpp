// SPDX-License-Identifier: MIT
#include <objectsync/engine.h>

#include "engine_p.h"

#include <exception>

namespace objectsync {

Q_LOGGING_CATEGORY(lcModel, "objectsync.model")

namespace {
/*! Marks code that may not change topics (mirror listeners, undo side effects). */
struct MirrorGuard
{
    explicit MirrorGuard(EnginePrivate *d) : d(d) { ++d->mirrorDepth; }
    ~MirrorGuard() { --d->mirrorDepth; }
    EnginePrivate *d;
};
} // namespace

// ---- construction ----------------------------------------------------------------------

EnginePrivate::EnginePrivate(Engine *q) : q(q) {}

EnginePrivate::~EnginePrivate() = default;

void EnginePrivate::clear()
{
    txOpen = false;
    for (SObject *o : std::as_const(objects))
        delete o;
    for (const DeadObject &o : std::as_const(deadObjects))
        delete o.object;
    for (Topic *t : std::as_const(topics))
        delete t;
    for (Topic *t : std::as_const(deadTopics))
        delete t;
    objects.clear();
    deadObjects.clear();
    topics.clear();
    deadTopics.clear();
}

Engine::Engine(QObject *parent) : QObject(parent), d(std::make_unique<EnginePrivate>(this))
{
    auto *list = new TopicListTopic(this, d.get());
    EnginePrivate::setRole(list, TopicRole::System);
    list->m_system = true;
    d->topics.insert(list->name(), list);
    d->topicList = list;

    d->objectsTopic = static_cast<DictTopic *>(
        d->createTopic(names::objects, TopicType::Dict, QJsonObject(), true, true));
    d->objectTypesTopic = static_cast<DictTopic *>(
        d->createTopic(names::objectTypes, TopicType::Dict, QJsonObject(), true, true));
    d->createEvent = static_cast<EventTopic *>(
        d->createTopic(names::createObject, TopicType::Event, QJsonValue(), true, true));
    d->destroyEvent = static_cast<EventTopic *>(
        d->createTopic(names::destroyObject, TopicType::Event, QJsonValue(), true, true));
    for (Topic *t :
         {static_cast<Topic *>(d->objectsTopic), static_cast<Topic *>(d->objectTypesTopic),
          static_cast<Topic *>(d->createEvent), static_cast<Topic *>(d->destroyEvent)}) {
        EnginePrivate::setRole(t, TopicRole::System);
        t->m_system = true;
    }
    d->createEvent->on([this](const QJsonObject &args) { d->onCreateObjectEvent(args); });
    d->destroyEvent->on([this](const QJsonObject &args) { d->onDestroyObjectEvent(args); });

    registerType<RootObject>();
    // The root exists from the start and is not part of any transition.
    auto *root = new RootObject;
    root->m_engine = this;
    root->m_id = names::rootId;
    root->m_typeName = names::rootType;
    root->m_frontendType = names::rootType;
    auto *parentTopic = static_cast<StringTopic *>(d->createTopic(
        names::parentPrefix + names::rootId, TopicType::String, QString(), true, true));
    auto *tagsTopic = static_cast<SetTopic *>(d->createTopic(
        names::tagsPrefix + names::rootId, TopicType::Set, QJsonArray(), false, true));
    root->m_parentId = parentTopic;
    root->m_tags = tagsTopic;
    d->objectsTopic->m_value.insert(names::rootId, names::rootType);
    d->objectTypesTopic->m_value.insert(names::rootId, names::rootType);
    d->objects.insert(names::rootId, root);
    root->m_live = true;
    d->root = root;
    root->preBuild({});
    root->init();
}

Engine::~Engine()
{
    d->clear();
}

// ---- transactions ----------------------------------------------------------------------

Engine::Transaction::Transaction(Engine *engine)
    : m_engine(engine), m_uncaught(std::uncaught_exceptions())
{}

Engine::Transaction::Transaction(Transaction &&other) noexcept
    : m_engine(other.m_engine), m_uncaught(other.m_uncaught), m_done(other.m_done)
{
    other.m_done = true;
}

Engine::Transaction::~Transaction() noexcept(false)
{
    if (m_done)
        return;
    EnginePrivate *d = m_engine->d.get();
    if (std::uncaught_exceptions() > m_uncaught) {
        // Leaving because of an exception: the transition fails.
        m_done = true;
        if (!d->txOpen)
            return;
        if (d->tx.depth > 1) {
            --d->tx.depth;
            d->tx.failed = true;
        } else {
            d->rollback();
        }
        return;
    }
    commit();
}

void Engine::Transaction::commit()
{
    if (m_done)
        return;
    m_done = true;
    EnginePrivate *d = m_engine->d.get();
    if (!d->txOpen)
        return;
    if (d->tx.depth > 1) {
        --d->tx.depth;
        return;
    }
    d->commit();
}

void Engine::Transaction::rollback()
{
    if (m_done)
        return;
    m_done = true;
    EnginePrivate *d = m_engine->d.get();
    if (!d->txOpen)
        return;
    if (d->tx.depth > 1) {
        --d->tx.depth;
        d->tx.failed = true;
        if (d->tx.failure.isEmpty())
            d->tx.failure = QStringLiteral("rolled back");
        return;
    }
    d->rollback();
}

Engine::Transaction Engine::transaction(int origin, const QString &actionId)
{
    d->begin(origin, actionId, TransitionKind::Forward);
    return Transaction(this);
}

void EnginePrivate::begin(int origin, const QString &actionId, TransitionKind kind)
{
    if (txOpen) {
        if (mirrorDepth > 0)
            throw Error(QStringLiteral("topics cannot be changed here (during undo, redo or from a "
                                       "mirror listener)"));
        ++tx.depth;
        return;
    }
    txOpen = true;
    tx.depth = 1;
    tx.origin = origin ? origin : ambientOrigin;
    tx.actionId = actionId;
    tx.kind = kind;
    tx.failed = false;
    tx.failure.clear();
    tx.rollingBack = false;
    tx.replaying = false;
    tx.lcaSet = false;
    tx.lca.clear();
    tx.lastTouched = nullptr;
    tx.moves.clear();
}

Result<void> Engine::tryTransition(const std::function<void()> &fn, int origin,
                                   const QString &actionId)
{
    // The edge where an exception thrown inside a transition becomes a Result.
    try {
        auto t = transaction(origin, actionId);
        fn();
        t.commit();
    } catch (const Error &e) {
        return e;
    } catch (const std::exception &e) {
        return Error(QString::fromUtf8(e.what()));
    }
    return {};
}

void Engine::replay(const Transition &transition)
{
    if (d->txOpen)
        throw Error(QStringLiteral("a transition cannot be replayed inside another one"));
    d->begin(transition.origin, transition.actionId, transition.kind);
    d->tx.replaying = true;
    try {
        for (const Change &change : transition.changes) {
            Change c = change;
            d->apply(c, false);
        }
        d->commit();
    } catch (...) {
        if (d->txOpen)
            d->rollback();
        throw;
    }
}

bool Engine::inTransition() const
{
    return d->txOpen;
}

int Engine::currentOrigin() const
{
    return d->txOpen ? d->tx.origin : d->ambientOrigin;
}

TransitionKind Engine::currentKind() const
{
    return d->txOpen ? d->tx.kind : TransitionKind::Forward;
}

void Engine::afterCommit(std::function<void()> task)
{
    if (!d->txOpen) {
        auto t = transaction();
        task();
        t.commit();
        return;
    }
    d->tx.after.append(std::move(task));
}

void Engine::applyChange(Change change)
{
    if (!d->txOpen) {
        auto t = transaction();
        d->apply(change, true);
        t.commit();
        return;
    }
    if (d->mirrorDepth > 0)
        throw Error(QStringLiteral("topics cannot be changed here (during undo, redo or from a "
                                   "mirror listener)"));
    d->apply(change, true);
}

void EnginePrivate::apply(Change &c, bool forward)
{
    Topic *t = topics.value(c.topicName);
    if (!t)
        throw Error(QStringLiteral("unknown topic %1").arg(c.topicName));
    if (c.topicType != t->type())
        throw Error(QStringLiteral("topic %1 is a %2 topic, not %3")
                        .arg(c.topicName, topicTypeName(t->type()), topicTypeName(c.topicType)));
    const TopicRole r = role(t);
    if (r == TopicRole::ParentId) {
        if (c.type != ChangeType::Set)
            throw Error(QStringLiteral("%1 can only be set").arg(c.topicName));
        if (!tx.rollingBack)
            validateMove(t, c);
    }
    t->apply(c);
    tx.changes.append(c);
    if (tx.replaying)
        return react(t, c, false);
    if (tx.kind == TransitionKind::Forward) {
        if (t->isStateful())
            tx.recordable = true;
        else
            tx.unrecorded.append(tx.changes.size() - 1);
    }
    touch(t, c);
    try {
        react(t, c, forward);
    } catch (const Error &e) {
        // The change is applied but what reacts to it failed: the transition cannot commit,
        // even if the caller catches the exception.
        markFailed(e.message());
        throw;
    } catch (const std::exception &e) {
        markFailed(QString::fromUtf8(e.what()));
        throw;
    } catch (...) {
        markFailed(QStringLiteral("a listener failed"));
        throw;
    }
}

void EnginePrivate::markFailed(const QString &why)
{
    if (!txOpen)
        return;
    tx.failed = true;
    if (tx.failure.isEmpty())
        tx.failure = why;
}

void EnginePrivate::react(Topic *t, const Change &c, bool forward)
{
    // The engine's own derived state first: objects and the children lists.
    const TopicRole r = role(t);
    if (r == TopicRole::System && t == objectsTopic) {
        MirrorGuard guard(this);
        if (c.type == ChangeType::Add)
            objectAdded(c.key);
        else if (c.type == ChangeType::Pop)
            objectRemoved(c.key);
    } else if (r == TopicRole::ParentId) {
        parentChanged(t, c);
    }
    const bool replay = tx.kind != TransitionKind::Forward || !forward || tx.replaying;
    if (t->m_listeners && !t->m_listeners->empty()) {
        const auto listeners = *t->m_listeners; // a listener may add or remove listeners
        {
            MirrorGuard guard(this);
            for (const auto &l : listeners)
                if (l.kind == ListenerKind::Mirror)
                    l.fn(c);
        }
        if (!replay) {
            for (const auto &l : listeners)
                if (l.kind == ListenerKind::Behaviour)
                    l.fn(c);
        }
    }
    if (t->type() == TopicType::Event) {
        if (replay) {
            MirrorGuard guard(this);
            static_cast<EventTopic *>(t)->dispatch(c, true);
        } else {
            static_cast<EventTopic *>(t)->dispatch(c, false);
        }
    }
}

void EnginePrivate::commit()
{
    try {
        // init() runs once the whole subtree exists; what it changes joins the transition.
        while (!tx.pendingInit.isEmpty()) {
            SObject *o = objects.value(tx.pendingInit.takeFirst());
            if (o && o->m_live) {
                if (tx.kind == TransitionKind::Forward && !tx.replaying) {
                    o->init();
                } else {
                    MirrorGuard guard(this);
                    o->init();
                }
            }
        }
    } catch (...) {
        rollback();
        throw;
    }
    if (tx.failed) {
        const QString why =
            tx.failure.isEmpty() ? QStringLiteral("a step of the transition failed") : tx.failure;
        rollback();
        throw Error(why);
    }
    QList<std::function<void()>> after = std::move(tx.after);
    tx.after.clear();
    TransitionPtr transition;
    if (!tx.changes.isEmpty()) {
        auto tr = std::make_shared<Transition>();
        tr->sequence = ++sequence;
        tr->origin = tx.origin;
        tr->actionId = tx.actionId;
        tr->kind = tx.kind;
        tr->changes = std::move(tx.changes);
        if (tx.kind == TransitionKind::Forward && tx.recordable && !tx.replaying) {
            // The history keeps the list: no room to spare in it.
            if (tr->changes.capacity() > tr->changes.size())
                tr->changes.squeeze();
            record(tr->changes);
        }
        transition = std::move(tr);
    }
    endTransition();
    if (transition)
        announce(std::move(transition));
    if (!after.isEmpty()) {
        const Result<void> done = q->tryTransition([&] {
            for (auto &task : after)
                task();
        });
        if (!done)
            qCWarning(lcModel) << "a task run after a commit failed:" << done.error().message();
    }
}

void EnginePrivate::announce(TransitionPtr transition)
{
    // A receiver may commit another transition while one is being announced. Queue it, so
    // that every receiver sees the transitions in commit order.
    announcements.append(std::move(transition));
    if (announcing)
        return;
    announcing = true;
    struct Reset
    {
        bool &flag;
        ~Reset() { flag = false; }
    } reset{announcing};
    while (!announcements.isEmpty())
        emit q->transitionCommitted(announcements.takeFirst());
}

void EnginePrivate::rollback()
{
    tx.rollingBack = true;
    // Topics and objects removed by the transition come back as they were (same instances,
    // listeners, string versions), not as new ones.
    topicReviveLimit = deadTopics.size();
    objectReviveLimit = deadObjects.size();
    for (qsizetype i = tx.changes.size() - 1; i >= 0; --i) {
        const Change &done = tx.changes.at(i);
        Change inv = done.inverse();
        Topic *t = topics.value(inv.topicName);
        if (!t) {
            qCCritical(lcModel) << "rollback: topic vanished:" << inv.topicName;
            continue;
        }
        try {
            if (t->type() == TopicType::String && inv.type != ChangeType::Set)
                inv.topicVersion = static_cast<StringTopic *>(t)->version();
            if (t->type() == TopicType::Set && done.type == ChangeType::Remove) {
                // Not sent anywhere, so the item can go back where it was (an undo, which
                // clients see, appends it).
                auto *set = static_cast<SetTopic *>(t);
                set->m_value.insert(qBound<qsizetype>(0, done.position, set->m_value.size()),
                                    done.value);
            } else {
                t->apply(inv);
            }
            if (t->type() == TopicType::String) {
                // Forget both the change and its inverse: the version from before comes back.
                static_cast<StringTopic *>(t)->forgetLast();
                static_cast<StringTopic *>(t)->forgetLast();
            }
        } catch (const std::exception &e) {
            // Our own invariant broke: the inverse of an applied change must apply.
            qCCritical(lcModel) << "rollback of" << done.topicName << "failed:" << e.what();
            continue;
        }
        try {
            react(t, inv, false);
        } catch (const std::exception &e) {
            // A mirror listener that broke its contract; the value itself is restored.
            if (role(t) == TopicRole::System)
                qCCritical(lcModel) << "reverting" << done.topicName << "failed:" << e.what();
            else
                qCWarning(lcModel)
                    << "while reverting" << done.topicName << "a listener failed:" << e.what();
        }
    }
    endTransition();
}

void EnginePrivate::endTransition()
{
    txOpen = false;
    tx.changes.clear();
    tx.unrecorded.clear();
    tx.recordable = false;
    tx.lastTouched = nullptr;
    tx.after.clear();
    tx.pendingInit.clear();
    tx.lca.clear();
    tx.lcaSet = false;
    tx.depth = 0;
    tx.rollingBack = false;
    tx.replaying = false;
    tx.moves.clear();
    topicReviveLimit = 0;
    objectReviveLimit = 0;
    freeDead();
}

void EnginePrivate::freeDead()
{
    if (deadObjects.isEmpty() && deadTopics.isEmpty())
        return;
    const auto objs = std::move(deadObjects);
    deadObjects.clear();
    for (const DeadObject &o : objs)
        delete o.object;
    const auto tops = std::move(deadTopics);
    deadTopics.clear();
    for (Topic *t : tops)
        delete t;
}

} // namespace objectsync
