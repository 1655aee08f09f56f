// SPDX-License-Identifier: MIT
#pragma once

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QStringList>

namespace objectsync {

/*! The connected clients: id, address, subscriptions and bytes in and out. Fed by the host
 *  through addClient(), removeClient() and updateStats(), or by the server of the room shown
 *  (inspectorrooms.cpp). */
class ClientModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        IdColumn,
        AddressColumn,
        SubscriptionsColumn,
        BytesInColumn,
        BytesOutColumn,
        ColumnCount
    };
    static constexpr int SortRole = Qt::UserRole + 1; //!< raw numbers for sorting

    using QAbstractTableModel::QAbstractTableModel;

    /*! Adds client \a id, connected since \a since (now when invalid). */
    void addClient(int id, const QString &address, const QDateTime &since = {});
    void removeClient(int id);
    /*! Removes every client. */
    void clear();
    /*! Updates a client's figures; an unknown id is added (without an address). */
    void updateStats(int id, const QStringList &subscriptions, qint64 bytesIn, qint64 bytesOut);
    /*! How many clients subscribe to each topic, by topic name. */
    QHash<QString, int> subscriberCounts() const;
    /*! The row of client \a id, or -1. */
    int rowOf(int id) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

signals:
    /*! The subscriptions of some client changed, or a client with subscriptions left. */
    void subscriptionsChanged();

private:
    struct Client
    {
        int id = 0;
        QString address;
        QStringList subscriptions;
        qint64 bytesIn = 0;
        qint64 bytesOut = 0;
        QDateTime since;
    };
    QList<Client> m_clients;
};

} // namespace objectsync
