// SPDX-License-Identifier: MIT
#include "boardobjects.h"
#include "rules.h"

#include <objectsync/error.h>
#include <objectsync/serviceargs.h>

namespace taskboard {

using namespace objectsync;

void TaskColumn::preBuild(const QJsonObject &)
{
    title = addAttribute<StringTopic>(QStringLiteral("title"), QString());
    wipLimit = addAttribute<IntTopic>(QStringLiteral("wip_limit"), 0);
    cards = addReference<ObjectListRef>(QStringLiteral("cards"));
    // A behaviour: the cards it destroys are recorded with the emit, so undo restores them.
    addEvent(QStringLiteral("clear"), [this](const QJsonObject &) {
        const QList<TaskCard *> all = cardObjects();
        for (TaskCard *card : all)
            engine()->destroyObject(card);
        if (TaskBoard *b = board())
            b->log(QStringLiteral("cleared column \"%1\" (%2 cards)")
                       .arg(title->get())
                       .arg(all.size()));
    });

    // {"title": "...", "assignee", "labels", "description"} -> {"id": "<new card>"}
    addService("add_card", [this](const ServiceArgs &args) {
        TaskCard *card = addCard(args.required<QString>("title"), args.json());
        return QJsonObject{{"id", card->id()}};
    });
}

void TaskColumn::build(const QJsonObject &args)
{
    title->set(args.value(QLatin1String("title")).toString());
    const QJsonValue limit = args.value(QLatin1String("wip_limit"));
    if (!limit.isUndefined() && !limit.isNull()) {
        if (!limit.isDouble() || limit.toDouble() != double(limit.toInteger()))
            throw Error(QStringLiteral("wip_limit must be a whole number"));
        wipLimit->set(limit.toInteger());
    }
}

void TaskColumn::init()
{
    if (engine()->currentKind() == TransitionKind::Forward) {
        if (!board())
            throw Error(QStringLiteral("a column belongs on a board"));
        requireTitle(QStringLiteral("a column"), title->get());
        if (wipLimit->get() < 0)
            throw Error(QStringLiteral("a WIP limit cannot be negative"));
    }
    listen(title,
           [this](const Change &) { requireTitle(QStringLiteral("a column"), title->get()); });
    listen(wipLimit, [this](const Change &) {
        if (wipLimit->get() < 0)
            throw Error(QStringLiteral("a WIP limit cannot be negative"));
        checkWipLimit();
    });
    listen(cards.topic(), [this](const Change &c) { checkCardsChange(c); });
    listen(parentIdTopic(), [this](const Change &) {
        if (!board())
            throw Error(QStringLiteral("a column belongs on a board"));
    });
}

TaskBoard *TaskColumn::board() const
{
    return dynamic_cast<TaskBoard *>(parent());
}

QList<TaskCard *> TaskColumn::cardObjects() const
{
    QList<TaskCard *> out;
    for (SObject *child : children())
        if (auto *card = dynamic_cast<TaskCard *>(child))
            out.append(card);
    return out;
}

TaskCard *TaskColumn::addCard(const QString &cardTitle, const QJsonObject &more)
{
    QJsonObject args = more;
    args.insert(QStringLiteral("title"), cardTitle);
    SObject *o = engine()->createObject(TaskCard::staticTypeName(), this, QString(), args);
    return dynamic_cast<TaskCard *>(o);
}

void TaskColumn::checkWipLimit() const
{
    const qint64 limit = wipLimit->get();
    const qsizetype count = cardObjects().size();
    if (limit > 0 && count > limit)
        throw Error(QStringLiteral("column \"%1\" would hold %2 cards, over its WIP limit of %3")
                        .arg(title->get())
                        .arg(count)
                        .arg(limit));
}

void TaskColumn::checkCardsChange(const Change &c) const
{
    // Removing an id is always fine (a card on its way out); what goes in must be a card of
    // this column, once.
    if (c.type == ChangeType::Pop)
        return;
    const QJsonArray ids = cards.topic()->get();
    const auto check = [&](const QJsonValue &id) {
        const auto *card = engine()->objectAs<TaskCard>(id.toString());
        if (!id.isString() || !card || card->parent() != this)
            throw Error(QStringLiteral("the cards of column \"%1\" can only list its own cards")
                            .arg(title->get()));
        if (std::count(ids.begin(), ids.end(), id) > 1)
            throw Error(QStringLiteral("card %1 is listed twice").arg(id.toString()));
    };
    if (c.type == ChangeType::Insert) {
        check(c.value);
    } else {
        for (const QJsonValue &id : ids)
            check(id);
    }
}

} // namespace taskboard
