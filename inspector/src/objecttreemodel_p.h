// SPDX-License-Identifier: MIT
// The object tree model's node type, shared by the files that implement the model.
#pragma once

#include "objecttreemodel.h"

#include <QString>
#include <memory>
#include <vector>

namespace objectsync {

/*! One loaded object. Children are only known once the node is fetched. */
struct ObjectTreeModel::Node
{
    QString id;
    QString typeName;
    Node *parent = nullptr;
    std::vector<std::unique_ptr<Node>> children;
    mutable int row = 0;            //!< position under the parent, valid unless rowsStale
    mutable bool rowsStale = false; //!< the children's row numbers need renumbering
    bool fetched = false;
};

} // namespace objectsync
