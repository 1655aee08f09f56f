// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/engine.h>
#include <objectsync/transition.h>

#include <QAbstractItemModel>
#include <QHash>
#include <QPointer>
#include <QSet>
#include <QStringList>
#include <functional>

namespace objectsync {

class Topic;

/*!
 * The attributes of one object: name, type and value, live. Values are read from the engine
 * when asked for; changes are collected from committed transitions and announced once per
 * event-loop turn, one value cell at a time (so an open editor sees the new value).
 *
 * setData() turns the edited text into a value (see jsontext::fromText) and sets it as one
 * transition through the typed topic methods; a refused edit changes nothing and is
 * reported through editRefused().
 *
 * Dict and list attributes have a child row per entry (key or index, value). Editing,
 * adding or removing one entry makes the matching change (change_value, add, pop, insert,
 * append), not a set of the whole value (attributeentries.cpp).
 */
class AttributeModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column { NameColumn, TypeColumn, ValueColumn, ColumnCount };
    enum Role {
        TopicTypeRole = Qt::UserRole + 1, //!< int, a TopicType
        TopicNameRole,                    //!< QString
        JsonValueRole,                    //!< QJsonValue
        EntryRole = JsonValueRole + 2,    //!< bool: the row is an entry of a dict or list
    };

    explicit AttributeModel(Engine *engine, QObject *parent = nullptr);

    /*! Shows objects of \a engine (none when null) instead; no object is shown. */
    void setEngine(Engine *engine);

    /*! Shows the attributes of object \a id (none when empty). */
    void setObjectId(const QString &id);
    QString objectId() const { return m_id; }
    /*! The row of attribute \a name, or -1. */
    int rowOf(const QString &name) const { return int(m_names.indexOf(name)); }

    /*! Adds an entry to the dict or list attribute at \a attribute: \a key with the value
     *  \a valueText (JSON) to a dict, the value appended to a list. One change. */
    bool addEntry(const QModelIndex &attribute, const QString &key, const QString &valueText);
    /*! Removes the entry row \a entry (pop by key or position). One change. */
    bool removeEntry(const QModelIndex &entry);

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

public slots:
    /*! Applies the collected changes now (normally run once per event-loop turn). */
    void flush();

signals:
    /*! An edit was refused; nothing changed. */
    void editRefused(const QString &reason);
    /*! The object's parent, tags or existence changed. */
    void objectInfoChanged();

private:
    void attach();
    void onTransitionCommitted(const TransitionPtr &transition);
    void schedule();
    Topic *topicAt(int row) const;
    QStringList currentNames() const;
    /*! The keys (dict) or positions (list) of the attribute at \a row; none for others. */
    QStringList currentEntries(int row) const;
    /*! Announces the entries of \a row again when they changed. */
    void updateEntries(int row);
    QVariant entryData(const QModelIndex &index, int role) const;
    bool setEntryData(const QModelIndex &index, const QString &text);
    /*! Runs \a fn as one transition; reports a refusal for \a what. */
    bool edit(const QString &what, const std::function<void()> &fn);

    QPointer<Engine> m_engine;
    QString m_id;
    QString m_prefix; //!< "a/<id>/"
    QStringList m_names;
    QList<QStringList> m_entries; //!< per row, as announced
    QHash<QString, int> m_rowByTopic;
    QSet<int> m_dirtyRows;
    bool m_structureDirty = false;
    bool m_infoDirty = false;
    bool m_scheduled = false;
};

} // namespace objectsync
