// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/inspectorwindow.h>

#include <QAbstractTableModel>

namespace objectsync {

/*! Every plugin the host looked at: file, id, version, state and error (refused or failed
 *  plugins stand out). */
class PluginModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { FileColumn, IdColumn, VersionColumn, StateColumn, ErrorColumn, ColumnCount };

    using QAbstractTableModel::QAbstractTableModel;

    void setPlugins(const QList<InspectorPluginInfo> &plugins);
    const QList<InspectorPluginInfo> &plugins() const { return m_plugins; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QList<InspectorPluginInfo> m_plugins;
};

} // namespace objectsync
