// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/room.h>

#include <QAbstractTableModel>
#include <QList>

namespace objectsync {

/*! The rooms of a host (RoomDirectory::list()): name, clients, objects and whether each is
 *  open; the room the inspector shows is in bold. */
class RoomListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { NameColumn, ClientsColumn, ObjectsColumn, StateColumn, ColumnCount };
    enum Role {
        NameRole = Qt::UserRole + 1, //!< QString, the room's name
        OpenRole,                    //!< bool
    };

    using QAbstractTableModel::QAbstractTableModel;

    /*! Replaces the list; rows stay when the same rooms are listed in the same order. */
    void setRooms(const QList<RoomInfo> &rooms);
    const QList<RoomInfo> &rooms() const { return m_rooms; }
    /*! Marks room \a name as the one shown. */
    void setCurrent(const QString &name);
    /*! The row of room \a name, or -1. */
    int rowOf(const QString &name) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QList<RoomInfo> m_rooms;
    QString m_current;
};

} // namespace objectsync
