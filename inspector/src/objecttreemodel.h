// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/engine.h>
#include <objectsync/transition.h>

#include <QAbstractItemModel>
#include <QHash>
#include <QPointer>
#include <QSet>
#include <memory>
#include <vector>

namespace objectsync {

class SObject;

/*!
 * The engine's object tree as an item model. The only top-level row is the root object.
 *
 * The model keeps its own copy of the part of the tree a view has asked for (children are
 * loaded lazily through canFetchMore()/fetchMore()). Engine signals are only recorded when
 * they arrive; the copy is brought up to date once per event-loop turn (flush()), replaying
 * creations, destructions and moves in order as row insertions, removals and moves, so
 * persistent indexes (and so selections) follow moved objects. Consecutive insertions or
 * removals under one parent are announced together.
 *
 * Dropping object ids (mimeData()) on an object moves them there through the engine, with
 * the same rules clients have; a refused move is reported through moveRefused().
 */
class ObjectTreeModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column { IdColumn, TypeColumn, ColumnCount };
    enum Role {
        ObjectIdRole = Qt::UserRole + 1, //!< QString
        TypeNameRole,                    //!< QString, the registered type name
    };
    static const QString mimeType;

    explicit ObjectTreeModel(Engine *engine, QObject *parent = nullptr);
    ~ObjectTreeModel() override;

    Engine *engine() const { return m_engine; }
    /*! Shows \a engine (none when null) instead: the model is reset to its root. */
    void setEngine(Engine *engine);

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

    Qt::DropActions supportedDragActions() const override;
    Qt::DropActions supportedDropActions() const override;
    QStringList mimeTypes() const override;
    QMimeData *mimeData(const QModelIndexList &indexes) const override;
    bool canDropMimeData(const QMimeData *data, Qt::DropAction action, int row, int column,
                         const QModelIndex &parent) const override;
    bool dropMimeData(const QMimeData *data, Qt::DropAction action, int row, int column,
                      const QModelIndex &parent) override;

    /*! The object id of \a index; empty for an invalid index. */
    QString objectId(const QModelIndex &index) const;
    /*! The index of object \a id when it is loaded, otherwise invalid. */
    QModelIndex indexOf(const QString &id) const;
    /*! Applies pending updates and loads the ancestors of \a id so it has an index. Invalid
     *  when the object does not exist. */
    QModelIndex reveal(const QString &id);
    /*! Applies pending updates and loads the whole tree. */
    void fetchAll();
    /*! Keep the whole tree loaded (used while filtering). */
    void setEagerFetching(bool eager);
    /*! Emit dataChanged() for objects whose attributes changed (used while filtering by
     *  value); off by default. */
    void setTrackAttributeChanges(bool track);

    /*! True while engine updates wait for the next flush(). */
    bool hasPendingUpdates() const { return !m_events.isEmpty() || !m_touched.isEmpty(); }
    /*! How often a part of the copy had to be re-read from the engine because replaying
     *  could not reproduce it (expected only after loading children while updates were
     *  pending). */
    int repairCount() const { return m_repairs; }
    /*! How often the whole model had to be reset (never expected). */
    int resetCount() const { return m_resets; }

public slots:
    /*! Applies the recorded engine updates now (normally run once per event-loop turn). */
    void flush();

signals:
    void aboutToApplyUpdates();
    void updatesApplied();
    /*! A drop asked for a move the engine refused; \a reason says why. */
    void moveRefused(const QString &reason);
    /*! A drop moved objects. */
    void objectsMoved(const QStringList &ids, const QString &newParentId);

private:
    struct Node;
    struct Event
    {
        enum Kind : quint8 { Created, Destroyed, Moved } kind;
        QString id;
        QString typeName;
        QString parentId;    //!< the parent (the new one for a move)
        QString oldParentId; //!< moves only
        int index = -1;      //!< position under parentId right after the event; -1: unknown
    };

    // recording engine signals and replaying them (objecttreeupdates.cpp)
    void onObjectCreated(SObject *object);
    void onObjectAboutToBeDestroyed(SObject *object);
    void onObjectMoved(SObject *object, SObject *oldParent);
    void onTransitionCommitted(const TransitionPtr &transition);
    void onEngineDestroyed();
    void attach();
    /*! Drops the copy and starts again from the engine's root (nothing without an engine). */
    void restart();
    void schedule();
    static int positionOf(const SObject *object);
    void replay(const Event &e);
    bool extendRun(const Event &e);
    void commitRuns();

    // nodes (objecttreemodel.cpp)
    Node *node(const QModelIndex &index) const;
    Node *find(const QString &id) const { return m_nodes.value(id); }
    QModelIndex indexOf(const Node *n, int column = 0) const;
    int rowOf(const Node *n) const;
    std::unique_ptr<Node> makeNode(const QString &id, const QString &typeName) const;
    static bool contains(const Node *ancestor, const Node *n);
    static int positionIn(const Node *parent, int index);
    void forget(Node *n);

    // edits to the copy and repairs (objecttreeedits.cpp)
    void insertNodes(Node *parent, int at, std::vector<std::unique_ptr<Node>> nodes);
    void dropRows(Node *parent, int first, int last);
    void removeNode(Node *n);
    void moveNode(Node *n, Node *newParent, int to);
    void verify(Node *n);
    bool repair(Node *n, const QList<SObject *> &kids);
    void resetAll();

    QPointer<Engine> m_engine;
    std::unique_ptr<Node> m_root;
    QHash<QString, Node *> m_nodes;
    QList<Event> m_events;
    QSet<QString> m_touched; //!< objects whose attributes changed (when tracking)
    QSet<QString> m_verify;  //!< parents to compare with the engine at the next flush
    bool m_scheduled = false;
    bool m_flushing = false;
    bool m_eager = false;
    bool m_trackAttributes = false;
    int m_repairs = 0;
    int m_resets = 0;

    struct InsertRun
    {
        Node *parent = nullptr;
        int at = 0;
        std::vector<std::unique_ptr<Node>> nodes;
        QSet<QString> ids;
    } m_insertRun;
    struct RemoveRun
    {
        Node *parent = nullptr;
        int first = 0;
        int last = -1;
    } m_removeRun;
};

} // namespace objectsync
