// SPDX-License-Identifier: MIT
#include "boardobjects.h"
#include "rules.h"

#include <objectsync/error.h>
#include <objectsync/serviceargs.h>

namespace taskboard {

using namespace objectsync;

void TaskBoard::preBuild(const QJsonObject &)
{
    title = addAttribute<StringTopic>(QStringLiteral("title"), QString());
    members = addAttribute<SetTopic>(QStringLiteral("members"), QJsonArray());
    doneColumn = addReference<ObjectRef>(QStringLiteral("done_column"));
    activity = addAttribute<ListTopic>(QStringLiteral("activity"), QJsonArray());
    // A reversible side effect: the count lives outside topics, so undo and redo adjust it
    // through the inverse and forward handlers.
    cardCompleted = addEvent(
        QStringLiteral("card_completed"), [this](const QJsonObject &) { ++m_completed; },
        [this](const QJsonObject &) { --m_completed; });

    // {"title": "...", "wip_limit": n} -> {"id": "<new column>"}
    addService("add_column", [this](const ServiceArgs &args) {
        TaskColumn *column =
            addColumn(args.required<QString>("title"), args.optional<qint64>("wip_limit", 0));
        return QJsonObject{{"id", column->id()}};
    });
    addService("stats", [this](const QJsonObject &) { return stats(); });
}

void TaskBoard::build(const QJsonObject &args)
{
    const QJsonValue titleArg = args.value(QLatin1String("title"));
    title->set(titleArg.isString() ? titleArg.toString() : QStringLiteral("Task board"));
    for (const QJsonValue &member : args.value(QLatin1String("members")).toArray()) {
        requireMemberName(member);
        if (!members->contains(member))
            members->append(member);
    }
    QJsonArray columnSpecs = args.value(QLatin1String("columns")).toArray();
    if (!args.contains(QLatin1String("columns"))) {
        columnSpecs = {
            QStringLiteral("To do"),
            QJsonObject{{QStringLiteral("title"), QStringLiteral("Doing")},
                        {QStringLiteral("wip_limit"), 3}},
            QJsonObject{{QStringLiteral("title"), QStringLiteral("Done")},
                        {QStringLiteral("done"), true}},
        };
    }
    for (const QJsonValue &spec : std::as_const(columnSpecs)) {
        const QJsonObject o = spec.toObject();
        const QString columnTitle =
            spec.isString() ? spec.toString() : o.value(QLatin1String("title")).toString();
        TaskColumn *column =
            addColumn(columnTitle, o.value(QLatin1String("wip_limit")).toInteger());
        if (o.value(QLatin1String("done")).toBool())
            doneColumn.set(column);
    }
}

void TaskBoard::init()
{
    if (engine()->currentKind() == TransitionKind::Forward)
        requireTitle(QStringLiteral("a board"), title->get());
    listen(title,
           [this](const Change &) { requireTitle(QStringLiteral("a board"), title->get()); });
    listen(members, [this](const Change &c) { checkMembers(c); });
    listen(doneColumn.topic(), [this](const Change &c) { checkDoneColumn(c); });
}

void TaskBoard::checkMembers(const Change &c)
{
    const auto assigned = [this](const QString &name) -> TaskCard * {
        for (TaskCard *card : cards())
            if (card->assignee->get() == name)
                return card;
        return nullptr;
    };
    switch (c.type) {
    case ChangeType::Append:
        requireMemberName(c.value);
        break;
    case ChangeType::Remove:
        if (TaskCard *card = assigned(c.value.toString()))
            throw Error(QStringLiteral("%1 is still assigned to card \"%2\"")
                            .arg(c.value.toString(), card->title->get()));
        break;
    default:
        for (const QJsonValue &member : members->get())
            requireMemberName(member);
        for (TaskCard *card : cards()) {
            const QString name = card->assignee->get();
            if (!name.isEmpty() && !members->contains(name))
                throw Error(QStringLiteral("%1 is still assigned to card \"%2\"")
                                .arg(name, card->title->get()));
        }
        break;
    }
}

void TaskBoard::checkDoneColumn(const Change &)
{
    if (doneColumn.topic()->get().isEmpty())
        return;
    const auto *column = doneColumn.getAs<TaskColumn>();
    if (!column || column->parent() != this)
        throw Error(QStringLiteral("done_column must refer to a column of this board"));
}

QList<TaskColumn *> TaskBoard::columns() const
{
    QList<TaskColumn *> out;
    for (SObject *child : children())
        if (auto *column = dynamic_cast<TaskColumn *>(child))
            out.append(column);
    return out;
}

QList<TaskCard *> TaskBoard::cards() const
{
    QList<TaskCard *> out;
    for (TaskColumn *column : columns())
        out += column->cardObjects();
    return out;
}

TaskColumn *TaskBoard::addColumn(const QString &columnTitle, qint64 wipLimit)
{
    SObject *o = engine()->createObject(
        TaskColumn::staticTypeName(), this, QString(),
        {{QStringLiteral("title"), columnTitle}, {QStringLiteral("wip_limit"), wipLimit}});
    return dynamic_cast<TaskColumn *>(o);
}

void TaskBoard::log(const QString &text)
{
    if (engine()->currentKind() != TransitionKind::Forward)
        return; // undo and redo replay the log's own recorded changes
    activity->append(QJsonObject{{QStringLiteral("actor"), actorName(engine()->currentOrigin())},
                                 {QStringLiteral("text"), text}});
    while (activity->size() > MaxActivity)
        activity->pop(0);
}

QJsonObject TaskBoard::stats() const
{
    QJsonArray columnStats;
    QJsonObject byAssignee;
    for (TaskColumn *column : columns()) {
        const QList<TaskCard *> columnCards = column->cardObjects();
        columnStats.append(QJsonObject{{QStringLiteral("id"), column->id()},
                                       {QStringLiteral("title"), column->title->get()},
                                       {QStringLiteral("cards"), columnCards.size()},
                                       {QStringLiteral("wip_limit"), column->wipLimit->get()}});
        for (TaskCard *card : columnCards) {
            const QString name = card->assignee->get();
            if (!name.isEmpty())
                byAssignee.insert(name, byAssignee.value(name).toInt() + 1);
        }
    }
    return {{QStringLiteral("title"), title->get()},
            {QStringLiteral("columns"), columnStats},
            {QStringLiteral("by_assignee"), byAssignee},
            {QStringLiteral("completed"), m_completed}};
}

} // namespace taskboard
