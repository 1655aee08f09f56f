// SPDX-License-Identifier: MIT
#include <objectsync/engine.h>

#include "engine_p.h"

namespace objectsync {

void EnginePrivate::record(const QList<Change> &changes)
{
    auto rec = std::make_shared<HistoryRecord>();
    rec->origin = tx.origin;
    if (tx.unrecorded.isEmpty()) {
        rec->changes = changes; // shared with the announced transition
    } else {
        rec->changes.reserve(changes.size() - tx.unrecorded.size());
        qsizetype skip = 0;
        for (qsizetype i = 0; i < changes.size(); ++i) {
            if (skip < tx.unrecorded.size() && tx.unrecorded.at(skip) == i)
                ++skip;
            else
                rec->changes.append(changes.at(i));
        }
    }
    QList<SObject *> holders;
    if (tx.lcaSet && !tx.lca.isEmpty())
        holders = tx.lca;
    else
        holders.append(root);
    for (SObject *h : std::as_const(holders)) {
        if (!h->m_live)
            continue;
        if (!h->m_extra)
            h->m_extra = std::make_unique<SObject::Extra>();
        auto &undo = h->m_extra->undo;
        undo.append(rec);
        if (undo.size() > historyLimit)
            undo.removeFirst();
        h->m_extra->redo.clear();
        rec->holders.append(h->m_id);
    }
}

Result<void> EnginePrivate::undoRedo(SObject *scope, bool undo, int origin, const UndoCheck &check)
{
    if (txOpen)
        return Error(ErrorCode::Conflict,
                     QStringLiteral("undo and redo cannot run inside a transition"));
    SObject *s = scope ? scope : root;
    if (!s->m_live)
        return Error(ErrorCode::NotFound, QStringLiteral("the object does not exist"));
    if (!s->m_extra || (undo ? s->m_extra->undo : s->m_extra->redo).isEmpty())
        return Error(ErrorCode::Conflict,
                     undo ? QStringLiteral("nothing to undo") : QStringLiteral("nothing to redo"));
    const HistoryRecordPtr rec = (undo ? s->m_extra->undo : s->m_extra->redo).last();

    try {
        begin(origin, QString(), undo ? TransitionKind::Undo : TransitionKind::Redo);
        const qsizetype n = rec->changes.size();
        for (qsizetype k = 0; k < n; ++k) {
            Change c = undo ? rec->changes.at(n - 1 - k).inverse() : rec->changes.at(k);
            c.id.clear();
            if (c.topicType == TopicType::String) {
                if (auto *t = q->topicAs<StringTopic>(c.topicName))
                    c.topicVersion = t->version();
                c.resultTopicVersion.clear();
            }
            apply(c, false);
        }
        if (check) {
            const Result<void> allowed = check(std::as_const(tx.changes), rec->origin);
            if (!allowed)
                throw allowed.error();
        }
        commit();
    } catch (const Error &e) {
        if (txOpen)
            rollback();
        return e;
    } catch (const std::exception &e) {
        if (txOpen)
            rollback();
        return Error(QString::fromUtf8(e.what()));
    } catch (...) {
        if (txOpen)
            rollback();
        return Error(ErrorCode::Internal,
                     undo ? QStringLiteral("the undo failed") : QStringLiteral("the redo failed"));
    }

    for (const QString &id : std::as_const(rec->holders)) {
        SObject *h = objects.value(id);
        if (!h || !h->m_live || !h->m_extra)
            continue;
        auto &from = undo ? h->m_extra->undo : h->m_extra->redo;
        auto &to = undo ? h->m_extra->redo : h->m_extra->undo;
        for (qsizetype i = from.size() - 1; i >= 0; --i) {
            if (from.at(i) == rec) {
                from.removeAt(i);
                break;
            }
        }
        to.append(rec);
        if (to.size() > historyLimit)
            to.removeFirst();
    }
    return {};
}

Result<void> Engine::undo(SObject *scope)
{
    return d->undoRedo(scope, true, 0, {});
}

Result<void> Engine::redo(SObject *scope)
{
    return d->undoRedo(scope, false, 0, {});
}

Result<void> Engine::undo(SObject *scope, int origin, const UndoCheck &check)
{
    return d->undoRedo(scope, true, origin, check);
}

Result<void> Engine::redo(SObject *scope, int origin, const UndoCheck &check)
{
    return d->undoRedo(scope, false, origin, check);
}

bool Engine::canUndo(SObject *scope) const
{
    const SObject *s = scope ? scope : d->root;
    return s->m_extra && !s->m_extra->undo.isEmpty();
}

bool Engine::canRedo(SObject *scope) const
{
    const SObject *s = scope ? scope : d->root;
    return s->m_extra && !s->m_extra->redo.isEmpty();
}

void Engine::clearHistory(SObject *scope)
{
    SObject *s = scope ? scope : d->root;
    const auto clear = [](SObject *o, const auto &self) -> void {
        if (o->m_extra) {
            o->m_extra->undo.clear();
            o->m_extra->redo.clear();
        }
        for (SObject *c : o->m_children)
            self(c, self);
    };
    clear(s, clear);
}

void Engine::setHistoryLimit(int limit)
{
    d->historyLimit = qMax(1, limit);
}

int Engine::historyLimit() const
{
    return d->historyLimit;
}

// ---- which objects a transition touches -------------------------------------------------
// While a transition runs, the engine narrows the path from the root to the lowest common
// ancestor of every object it touches; commit() records the transition there.

void EnginePrivate::touchObject(SObject *o)
{
    if (!o || !o->m_live || o == tx.lastTouched)
        return;
    tx.lastTouched = o;
    // Path from the root to o.
    QVarLengthArray<SObject *, 16> path;
    for (SObject *p = o; p; p = p->m_parent)
        path.append(p);
    std::reverse(path.begin(), path.end());
    if (!tx.lcaSet) {
        tx.lca = QList<SObject *>(path.begin(), path.end());
        tx.lcaSet = true;
        return;
    }
    qsizetype n = 0;
    while (n < tx.lca.size() && n < path.size() && tx.lca.at(n) == path[n])
        ++n;
    tx.lca.resize(n);
}

namespace {
/*! A QString over \a view's characters without copying them, for a hash lookup while the
 *  viewed string lives. */
QString lookupKey(QStringView view)
{
    return QString::fromRawData(view.data(), view.size());
}
} // namespace

SObject *EnginePrivate::anchorOf(QStringView ownerId, bool parent) const
{
    // The object itself (or its parent) while it lives or is being built...
    if (SObject *o = objects.value(lookupKey(ownerId))) {
        if (o->m_live && !parent)
            return o;
        if (o->m_parent)
            return o->m_parent;
    }
    // ... otherwise (removed in this transition, or being restored) its parent_id topic
    // says where it is.
    QString name;
    name.reserve(names::parentPrefix.size() + ownerId.size());
    name.append(names::parentPrefix).append(ownerId);
    const Topic *p = topics.value(name);
    if (!p || p->type() != TopicType::String)
        return nullptr;
    return objects.value(static_cast<const StringTopic *>(p)->get());
}

QStringView EnginePrivate::ownerView(QStringView topicName)
{
    if (topicName.startsWith(names::attributePrefix)) {
        const QStringView rest = topicName.mid(names::attributePrefix.size());
        const qsizetype slash = rest.indexOf(QLatin1Char('/'));
        return slash < 0 ? rest : rest.left(slash);
    }
    if (topicName.startsWith(names::parentPrefix))
        return topicName.mid(names::parentPrefix.size());
    if (topicName.startsWith(names::tagsPrefix))
        return topicName.mid(names::tagsPrefix.size());
    return {};
}

QString EnginePrivate::ownerOf(const QString &topicName)
{
    if (topicName.startsWith(names::attributePrefix)) {
        const qsizetype slash = topicName.indexOf(QLatin1Char('/'), names::attributePrefix.size());
        return topicName.mid(names::attributePrefix.size(),
                             slash < 0 ? -1 : slash - names::attributePrefix.size());
    }
    if (topicName.startsWith(names::parentPrefix))
        return topicName.mid(names::parentPrefix.size());
    if (topicName.startsWith(names::tagsPrefix))
        return topicName.mid(names::tagsPrefix.size());
    return {};
}

void EnginePrivate::touch(Topic *t, const Change &c)
{
    if (tx.rollingBack)
        return;
    // A change touches its object; one of an object not live yet or any more touches the
    // parent. The transition goes to the history of the lowest common ancestor.
    switch (role(t)) {
    case TopicRole::Plain:
        touchObject(root);
        return;
    case TopicRole::Attribute:
    case TopicRole::Tags:
    case TopicRole::ParentId:
        touchObject(anchorOf(ownerView(t->name()), false));
        if (role(t) == TopicRole::ParentId) {
            touchObject(objects.value(c.oldValue.toString()));
            touchObject(objects.value(c.value.toString()));
        }
        return;
    case TopicRole::System:
        if (t == objectsTopic || t == objectTypesTopic) {
            touchObject(anchorOf(c.key, true));
        } else if (t == topicList) {
            const QStringView owner = ownerView(c.key);
            if (owner.isEmpty()) {
                touchObject(root);
            } else if (SObject *o = anchorOf(owner, false)) {
                touchObject(o);
            } else if (c.type == ChangeType::Pop && c.key.startsWith(names::parentPrefix)) {
                touchObject(objects.value(
                    c.oldValue.toObject().value(names::descriptor::boundaryValue).toString()));
            }
        }
        return;
    }
}

} // namespace objectsync
