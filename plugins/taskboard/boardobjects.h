// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/engine.h>
#include <objectsync/sobject.h>

#include <QList>

namespace taskboard {

class TaskColumn;
class TaskCard;

/*!
 * A board: a title, the members cards can be assigned to, columns (its children) and an
 * activity log. The column `done_column` refers to is where finished cards go.
 *
 * The board belongs to the host (a host-only type): clients see it and work with the columns
 * and cards inside it, but cannot create, change, move or destroy a board themselves. They
 * reach it through services, which decide what to allow.
 *
 * Attributes: title (string), members (set of names), done_column (reference to a column),
 * activity (list of {"actor", "text"}), card_completed (event).
 * Services: <id>/add_column {title, wip_limit} -> {id}; <id>/stats -> figures.
 */
class TaskBoard : public objectsync::SObject
{
    OBJECTSYNC_OBJECT(TaskBoard, "board")
    OBJECTSYNC_HOST_ONLY
public:
    objectsync::StringTopic *title = nullptr;
    objectsync::SetTopic *members = nullptr;
    objectsync::ObjectRef doneColumn;
    objectsync::ListTopic *activity = nullptr;
    objectsync::EventTopic *cardCompleted = nullptr;

    QList<TaskColumn *> columns() const;
    QList<TaskCard *> cards() const;
    TaskColumn *addColumn(const QString &title, qint64 wipLimit = 0);
    /*! Appends to the activity log, naming who caused the transition being handled. */
    void log(const QString &text);
    /*! How many times a card reached the done column while this host ran (kept outside
     *  topics by the card_completed event's forward and inverse handlers). */
    int completedCount() const { return m_completed; }
    QJsonObject stats() const;

protected:
    void preBuild(const QJsonObject &buildArgs) override;
    /*! build_kwargs: title, members (array of names), columns (array of titles or of
     *  {title, wip_limit, done}); by default "To do", "Doing" (WIP 3) and "Done". */
    void build(const QJsonObject &buildArgs) override;
    void init() override;

private:
    void checkMembers(const objectsync::Change &change);
    void checkDoneColumn(const objectsync::Change &change);
    int m_completed = 0;
};

/*!
 * A column of a board, holding cards (its children) in the order of `cards`. A positive
 * `wip_limit` caps how many cards it may hold.
 *
 * Attributes: title (string), wip_limit (int, 0 = no limit), cards (list of card ids),
 * clear (event: removes every card of the column; undo brings them back).
 * Services: <id>/add_card {title, assignee, labels, description} -> {id}.
 */
class TaskColumn : public objectsync::SObject
{
    OBJECTSYNC_OBJECT(TaskColumn, "column")
public:
    objectsync::StringTopic *title = nullptr;
    objectsync::IntTopic *wipLimit = nullptr;
    objectsync::ObjectListRef cards;

    TaskBoard *board() const;
    /*! The cards living in this column. */
    QList<TaskCard *> cardObjects() const;
    TaskCard *addCard(const QString &title, const QJsonObject &more = {});
    /*! Throws objectsync::Error when the column holds more cards than its limit. */
    void checkWipLimit() const;

protected:
    void preBuild(const QJsonObject &buildArgs) override;
    /*! build_kwargs: title, wip_limit. */
    void build(const QJsonObject &buildArgs) override;
    void init() override;

private:
    void checkCardsChange(const objectsync::Change &change) const;
};

/*!
 * A card. It lives in a column of a board; moving it (setting its parent, or the `move`
 * service) keeps the columns' `cards` lists and WIP limits right.
 *
 * Attributes: title, description, assignee (strings; the assignee must be a board member
 * when the board has members), labels (set of short texts), blocked_by (set of cards of the
 * same board; no cycles), created_by (int: the client that created it, 0 for the host; set
 * when the card is made and read-only for clients).
 * Services: <id>/move {column, position} -> {column, position}.
 */
class TaskCard : public objectsync::SObject
{
    OBJECTSYNC_OBJECT(TaskCard, "card")
public:
    objectsync::StringTopic *title = nullptr;
    objectsync::StringTopic *description = nullptr;
    objectsync::StringTopic *assignee = nullptr;
    objectsync::SetTopic *labels = nullptr;
    objectsync::ObjectSetRef blockedBy;
    objectsync::IntTopic *createdBy = nullptr;

    TaskColumn *column() const;
    TaskBoard *board() const;
    /*! Moves the card into \a column at \a position (-1: at the end) as one transition. */
    void moveTo(TaskColumn *column, qint64 position = -1);

protected:
    void preBuild(const QJsonObject &buildArgs) override;
    /*! build_kwargs: title, description, assignee, labels (array). */
    void build(const QJsonObject &buildArgs) override;
    void init() override;
    void onDestroy() override;

private:
    void checkAssignee(const QString &name) const;
    void checkLabels(const objectsync::Change &change) const;
    void checkBlockers(const objectsync::Change &change) const;
    void onParentChanged(const objectsync::Change &change);
    bool isBlockedBy(const TaskCard *other, QList<const TaskCard *> &seen) const;
};

} // namespace taskboard
