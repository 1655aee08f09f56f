// SPDX-License-Identifier: MIT
#include "boardobjects.h"
#include "rules.h"

#include <objectsync/error.h>
#include <objectsync/serviceargs.h>

namespace taskboard {

using namespace objectsync;

void TaskCard::preBuild(const QJsonObject &)
{
    title = addAttribute<StringTopic>(QStringLiteral("title"), QString());
    description = addAttribute<StringTopic>(QStringLiteral("description"), QString());
    assignee = addAttribute<StringTopic>(QStringLiteral("assignee"), QString());
    labels = addAttribute<SetTopic>(QStringLiteral("labels"), QJsonArray());
    blockedBy = addReference<ObjectSetRef>(QStringLiteral("blocked_by"));
    // Clients read it; only the host's code (build() below) writes it.
    createdBy = addAttribute<IntTopic>(QStringLiteral("created_by"), 0, ClientAccess::ReadOnly);

    // {"column": "<column id>", "position": n} -> {"column", "position"}: one transition
    addService("move", [this](const ServiceArgs &args) {
        auto *target = engine()->objectAs<TaskColumn>(args.required<QString>("column"));
        if (!target)
            throw Error(QStringLiteral("move needs the id of a column"));
        moveTo(target, args.optional<qint64>("position", -1));
        const qsizetype index = indexOfId(target->cards.topic()->get(), id());
        return QJsonObject{{"column", target->id()}, {"position", index}};
    });
}

void TaskCard::build(const QJsonObject &args)
{
    const auto text = [&](const char *key) -> QString {
        const QJsonValue v = args.value(QLatin1String(key));
        if (!v.isUndefined() && !v.isString())
            throw Error(QStringLiteral("%1 must be a text").arg(QLatin1String(key)));
        return v.toString();
    };
    title->set(text("title"));
    description->set(text("description"));
    assignee->set(text("assignee"));
    for (const QJsonValue &label : args.value(QLatin1String("labels")).toArray()) {
        requireLabel(label);
        if (!labels->contains(label))
            labels->append(label);
    }
    createdBy->set(engine()->currentOrigin());
}

void TaskCard::init()
{
    if (engine()->currentKind() == TransitionKind::Forward) {
        TaskColumn *col = column();
        if (!col)
            throw Error(QStringLiteral("a card can only be put in a column"));
        requireTitle(QStringLiteral("a card"), title->get());
        checkAssignee(assignee->get());
        if (labels->size() > MaxLabels)
            throw Error(QStringLiteral("a card has at most %1 labels").arg(MaxLabels));
        col->checkWipLimit();
        if (!col->cards.topic()->get().contains(id()))
            col->cards.append(this);
        if (TaskBoard *b = board())
            b->log(
                QStringLiteral("added card \"%1\" to \"%2\"").arg(title->get(), col->title->get()));
    }
    listen(title, [this](const Change &) { requireTitle(QStringLiteral("a card"), title->get()); });
    listen(assignee, [this](const Change &) { checkAssignee(assignee->get()); });
    listen(labels, [this](const Change &c) { checkLabels(c); });
    listen(blockedBy.topic(), [this](const Change &c) { checkBlockers(c); });
    listen(parentIdTopic(), [this](const Change &c) { onParentChanged(c); });
}

void TaskCard::onDestroy()
{
    const QString myId = id();
    if (TaskColumn *col = column()) {
        const qsizetype index = indexOfId(col->cards.topic()->get(), myId);
        if (index >= 0)
            col->cards.pop(index);
    }
    if (TaskBoard *b = board()) {
        for (TaskCard *other : b->cards())
            if (other != this && other->blockedBy.contains(this))
                other->blockedBy.remove(this);
        b->log(QStringLiteral("removed card \"%1\"").arg(title->get()));
    }
}

TaskColumn *TaskCard::column() const
{
    return dynamic_cast<TaskColumn *>(parent());
}

TaskBoard *TaskCard::board() const
{
    const TaskColumn *col = column();
    return col ? col->board() : nullptr;
}

void TaskCard::moveTo(TaskColumn *target, qint64 position)
{
    auto transaction = engine()->transaction();
    if (target != parent())
        setParent(target);
    ListTopic *list = target->cards.topic();
    const qsizetype from = indexOfId(list->get(), id());
    if (position >= 0 && from >= 0 && position != from) {
        list->pop(from);
        list->insert(qMin<qint64>(position, list->size()), id());
    }
    transaction.commit();
}

void TaskCard::checkAssignee(const QString &name) const
{
    const TaskBoard *b = board();
    if (name.isEmpty() || !b || b->members->size() == 0)
        return;
    if (!b->members->contains(name))
        throw Error(
            QStringLiteral("\"%1\" is not a member of board \"%2\"").arg(name, b->title->get()));
}

void TaskCard::checkLabels(const Change &c) const
{
    if (c.type == ChangeType::Remove)
        return;
    for (const QJsonValue &label : labels->get())
        requireLabel(label);
    if (labels->size() > MaxLabels)
        throw Error(QStringLiteral("a card has at most %1 labels").arg(MaxLabels));
}

void TaskCard::checkBlockers(const Change &c) const
{
    if (c.type == ChangeType::Remove)
        return;
    const QJsonArray ids =
        c.type == ChangeType::Append ? QJsonArray{c.value} : blockedBy.topic()->get();
    for (const QJsonValue &id : ids) {
        const auto *blocker = engine()->objectAs<TaskCard>(id.toString());
        if (!blocker)
            throw Error(QStringLiteral("blocked_by can only refer to cards"));
        if (blocker == this)
            throw Error(QStringLiteral("a card cannot block itself"));
        if (blocker->board() != board())
            throw Error(QStringLiteral("a card can only be blocked by cards of its own board"));
        QList<const TaskCard *> seen;
        if (blocker->isBlockedBy(this, seen))
            throw Error(QStringLiteral("\"%1\" already waits for \"%2\": that would be a cycle")
                            .arg(blocker->title->get(), title->get()));
    }
}

bool TaskCard::isBlockedBy(const TaskCard *other, QList<const TaskCard *> &seen) const
{
    if (seen.contains(this))
        return false;
    seen.append(this);
    for (SObject *o : blockedBy.objects()) {
        const auto *blocker = dynamic_cast<const TaskCard *>(o);
        if (blocker && (blocker == other || blocker->isBlockedBy(other, seen)))
            return true;
    }
    return false;
}

void TaskCard::onParentChanged(const Change &c)
{
    TaskColumn *target = column();
    if (!target)
        throw Error(QStringLiteral("a card can only be put in a column"));
    auto *source = engine()->objectAs<TaskColumn>(c.oldValue.toString());
    if (source == target)
        return;
    if (!source || source->board() != target->board())
        throw Error(QStringLiteral("a card can only move between the columns of its board"));
    target->checkWipLimit();
    const qsizetype index = indexOfId(source->cards.topic()->get(), id());
    if (index >= 0)
        source->cards.pop(index);
    if (!target->cards.topic()->get().contains(id()))
        target->cards.append(this);
    TaskBoard *b = target->board();
    b->log(QStringLiteral("moved \"%1\" from \"%2\" to \"%3\"")
               .arg(title->get(), source->title->get(), target->title->get()));
    if (b->doneColumn.get() == target)
        b->cardCompleted->emitEvent({{QStringLiteral("card"), id()}});
}

} // namespace taskboard
