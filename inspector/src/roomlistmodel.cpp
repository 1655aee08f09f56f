// SPDX-License-Identifier: MIT
#include "roomlistmodel.h"

#include <QFont>

namespace objectsync {

namespace {
bool sameInfo(const RoomInfo &a, const RoomInfo &b)
{
    return a.name == b.name && a.open == b.open && a.clients == b.clients && a.objects == b.objects;
}
} // namespace

void RoomListModel::setRooms(const QList<RoomInfo> &rooms)
{
    bool sameNames = rooms.size() == m_rooms.size();
    for (qsizetype i = 0; sameNames && i < rooms.size(); ++i)
        sameNames = rooms.at(i).name == m_rooms.at(i).name;
    if (!sameNames) {
        beginResetModel();
        m_rooms = rooms;
        endResetModel();
        return;
    }
    for (int row = 0; row < int(rooms.size()); ++row) {
        if (sameInfo(rooms.at(row), m_rooms.at(row)))
            continue;
        m_rooms[row] = rooms.at(row);
        emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
    }
}

void RoomListModel::setCurrent(const QString &name)
{
    if (name == m_current)
        return;
    const int before = rowOf(m_current);
    m_current = name;
    for (int row : {before, rowOf(name)}) {
        if (row >= 0)
            emit dataChanged(index(row, 0), index(row, ColumnCount - 1), {Qt::FontRole});
    }
}

int RoomListModel::rowOf(const QString &name) const
{
    for (int i = 0; i < int(m_rooms.size()); ++i)
        if (m_rooms.at(i).name == name)
            return i;
    return -1;
}

int RoomListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rooms.size());
}

int RoomListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RoomListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rooms.size())
        return {};
    const RoomInfo &r = m_rooms.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn:
            return r.name;
        case ClientsColumn:
            return r.open ? QVariant(r.clients) : QVariant();
        case ObjectsColumn:
            return r.open ? QVariant(r.objects) : QVariant();
        case StateColumn:
            return r.open ? tr("open") : tr("closed");
        }
        return {};
    case Qt::ToolTipRole:
        if (r.name == m_current)
            return tr("Room %1, shown in the inspector").arg(r.name);
        return r.open ? tr("Room %1: select it to show it").arg(r.name)
                      : tr("Room %1 is closed: select it to open it").arg(r.name);
    case Qt::FontRole:
        if (r.name == m_current) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == ClientsColumn || index.column() == ObjectsColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case NameRole:
        return r.name;
    case OpenRole:
        return r.open;
    default:
        return {};
    }
}

QVariant RoomListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Room");
    case ClientsColumn:
        return tr("Clients");
    case ObjectsColumn:
        return tr("Objects");
    case StateColumn:
        return tr("State");
    default:
        return {};
    }
}

} // namespace objectsync
