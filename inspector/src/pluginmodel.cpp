// SPDX-License-Identifier: MIT
#include "pluginmodel.h"

#include <QBrush>
#include <QFileInfo>

namespace objectsync {

void PluginModel::setPlugins(const QList<InspectorPluginInfo> &plugins)
{
    beginResetModel();
    m_plugins = plugins;
    endResetModel();
}

int PluginModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_plugins.size());
}

int PluginModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PluginModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_plugins.size())
        return {};
    const InspectorPluginInfo &p = m_plugins.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case FileColumn:
            return QFileInfo(p.file).fileName();
        case IdColumn:
            return p.id;
        case VersionColumn:
            return p.version;
        case StateColumn:
            return p.state;
        case ErrorColumn:
            return p.error.section(QLatin1Char('\n'), 0, 0);
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == FileColumn)
            return p.file;
        return p.error.isEmpty() ? QVariant() : QVariant(p.error);
    case Qt::ForegroundRole:
        if (!p.error.isEmpty())
            return QBrush(Qt::red);
        return {};
    default:
        return {};
    }
}

QVariant PluginModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case FileColumn:
        return tr("File");
    case IdColumn:
        return tr("Plugin");
    case VersionColumn:
        return tr("Version");
    case StateColumn:
        return tr("State");
    case ErrorColumn:
        return tr("Error");
    default:
        return {};
    }
}

} // namespace objectsync
