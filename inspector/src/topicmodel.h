// SPDX-License-Identifier: MIT
#pragma once

#include "attributemodel.h"

#include <objectsync/engine.h>
#include <objectsync/transition.h>

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QPointer>
#include <QSet>
#include <QStringList>

namespace objectsync {

/*!
 * Every topic of an engine, sorted by name: objects' attributes, plugin topics and the
 * engine's own (system) topics, with type, value, subscriber count and the time of the last
 * change seen. Rows follow the topic list (topics added and removed) and value cells follow
 * committed transitions, announced once per event-loop turn.
 *
 * Values are read from the engine only when asked for. System topics are read-only; any
 * other topic with a value can be edited like an attribute (see AttributeModel).
 */
class TopicModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        NameColumn,
        TypeColumn,
        ValueColumn,
        SubscribersColumn,
        LastChangeColumn,
        ColumnCount
    };
    /*! The same roles as AttributeModel, so that AttributeDelegate edits both. */
    enum Role {
        TopicTypeRole = AttributeModel::TopicTypeRole,
        TopicNameRole = AttributeModel::TopicNameRole,
        JsonValueRole = AttributeModel::JsonValueRole,
        SystemRole = AttributeModel::JsonValueRole + 1, //!< bool
    };

    explicit TopicModel(Engine *engine, QObject *parent = nullptr);

    /*! Shows the topics of \a engine (none when null) instead. */
    void setEngine(Engine *engine);
    /*! How many clients subscribe to each topic (topics missing: none). */
    void setSubscriberCounts(const QHash<QString, int> &counts);
    /*! The row of topic \a name, or -1. */
    int rowOf(const QString &name) const;
    QString topicNameAt(int row) const { return m_names.value(row); }

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

private:
    struct ListChange
    {
        QString name;
        bool added;
    };
    void attach();
    void reload();
    void onTransitionCommitted(const TransitionPtr &transition);
    void insertName(const QString &name);
    /*! Applies the collected list changes at once, as a reset. */
    void applyManyListChanges();
    void removeName(const QString &name);
    Topic *topicAt(int row) const;

    QPointer<Engine> m_engine;
    QStringList m_names; //!< sorted
    QHash<QString, int> m_subscribers;
    QHash<QString, QDateTime> m_lastChange;
    QList<ListChange> m_listChanges; //!< topics added or removed, in order
    QSet<QString> m_dirty;           //!< topics whose value changed
    bool m_reloadPending = false;
    bool m_scheduled = false;
};

} // namespace objectsync
