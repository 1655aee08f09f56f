// SPDX-License-Identifier: MIT
#include "clientmodel.h"

#include "jsontext.h"

#include <QLocale>

namespace objectsync {

int ClientModel::rowOf(int id) const
{
    for (int i = 0; i < m_clients.size(); ++i)
        if (m_clients.at(i).id == id)
            return i;
    return -1;
}

QHash<QString, int> ClientModel::subscriberCounts() const
{
    QHash<QString, int> counts;
    for (const Client &c : m_clients)
        for (const QString &topic : c.subscriptions)
            ++counts[topic];
    return counts;
}

void ClientModel::addClient(int id, const QString &address, const QDateTime &since)
{
    const int row = rowOf(id);
    if (row >= 0) {
        m_clients[row].address = address;
        emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
        return;
    }
    const int at = int(m_clients.size());
    beginInsertRows(QModelIndex(), at, at);
    m_clients.append(
        {id, address, {}, 0, 0, since.isValid() ? since : QDateTime::currentDateTime()});
    endInsertRows();
}

void ClientModel::clear()
{
    if (m_clients.isEmpty())
        return;
    beginResetModel();
    m_clients.clear();
    endResetModel();
    emit subscriptionsChanged();
}

void ClientModel::removeClient(int id)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    const bool subscribed = !m_clients.at(row).subscriptions.isEmpty();
    beginRemoveRows(QModelIndex(), row, row);
    m_clients.removeAt(row);
    endRemoveRows();
    if (subscribed)
        emit subscriptionsChanged();
}

void ClientModel::updateStats(int id, const QStringList &subscriptions, qint64 bytesIn,
                              qint64 bytesOut)
{
    int row = rowOf(id);
    if (row < 0) {
        addClient(id, QString());
        row = rowOf(id);
    }
    Client &c = m_clients[row];
    const bool subscriptionsDiffer = c.subscriptions != subscriptions;
    c.subscriptions = subscriptions;
    c.bytesIn = bytesIn;
    c.bytesOut = bytesOut;
    emit dataChanged(index(row, SubscriptionsColumn), index(row, BytesOutColumn));
    if (subscriptionsDiffer)
        emit subscriptionsChanged();
}

int ClientModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_clients.size());
}

int ClientModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ClientModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_clients.size())
        return {};
    const Client &c = m_clients.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case IdColumn:
            return c.id;
        case AddressColumn:
            return c.address;
        case SubscriptionsColumn:
            if (c.subscriptions.isEmpty())
                return tr("none");
            return (c.subscriptions.size() == 1 ? tr("1 topic: %1")
                                                : tr("%1 topics: %2").arg(c.subscriptions.size()))
                .arg(jsontext::elided(c.subscriptions.join(QStringLiteral(", ")), 200));
        case BytesInColumn:
            return QLocale().formattedDataSize(c.bytesIn);
        case BytesOutColumn:
            return QLocale().formattedDataSize(c.bytesOut);
        }
        return {};
    case Qt::ToolTipRole:
        switch (index.column()) {
        case SubscriptionsColumn:
            return jsontext::elided(c.subscriptions.join(QLatin1Char('\n')), 4000);
        case BytesInColumn:
            return tr("%1 bytes received from the client").arg(c.bytesIn);
        case BytesOutColumn:
            return tr("%1 bytes sent to the client").arg(c.bytesOut);
        default:
            return tr("connected since %1").arg(QLocale().toString(c.since, QLocale::ShortFormat));
        }
    case Qt::TextAlignmentRole:
        if (index.column() == BytesInColumn || index.column() == BytesOutColumn ||
            index.column() == IdColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case SortRole:
        switch (index.column()) {
        case IdColumn:
            return c.id;
        case AddressColumn:
            return c.address;
        case SubscriptionsColumn:
            return int(c.subscriptions.size());
        case BytesInColumn:
            return c.bytesIn;
        case BytesOutColumn:
            return c.bytesOut;
        }
        return {};
    default:
        return {};
    }
}

QVariant ClientModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case IdColumn:
        return tr("Client");
    case AddressColumn:
        return tr("Address");
    case SubscriptionsColumn:
        return tr("Subscriptions");
    case BytesInColumn:
        return tr("Bytes in");
    case BytesOutColumn:
        return tr("Bytes out");
    default:
        return {};
    }
}

} // namespace objectsync
