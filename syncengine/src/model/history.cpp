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

QString EnginePrivate::undoRedo(SObject *scope, bool undo, int origin, const UndoCheck &check)
{
    if (txOpen)
        return QStringLiteral("undo and redo cannot run inside a transition");
    SObject *s = scope ? scope : root;
    if (!s->m_live)
        return QStringLiteral("the object does not exist");
    if (!s->m_extra || (undo ? s->m_extra->undo : s->m_extra->redo).isEmpty())
        return undo ? QStringLiteral("nothing to undo") : QStringLiteral("nothing to redo");
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
            const QString why = check(std::as_const(tx.changes), rec->origin);
            if (!why.isEmpty())
                throw Error(why);
        }
        commit();
    } catch (const Error &e) {
        if (txOpen)
            rollback();
        return e.message();
    } catch (const std::exception &e) {
        if (txOpen)
            rollback();
        return QString::fromUtf8(e.what());
    } catch (...) {
        if (txOpen)
            rollback();
        return undo ? QStringLiteral("the undo failed") : QStringLiteral("the redo failed");
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

QString Engine::undo(SObject *scope)
{
    return d->undoRedo(scope, true, 0, {});
}

QString Engine::redo(SObject *scope)
{
    return d->undoRedo(scope, false, 0, {});
}

QString Engine::undo(SObject *scope, int origin, const UndoCheck &check)
{
    return d->undoRedo(scope, true, origin, check);
}

QString Engine::redo(SObject *scope, int origin, const UndoCheck &check)
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

} // namespace objectsync
