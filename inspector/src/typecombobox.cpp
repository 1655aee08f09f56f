// SPDX-License-Identifier: MIT
#include "typecombobox.h"

#include <objectsync/engine.h>
#include <objectsync/sobject.h>

namespace objectsync {

TypeComboBox::TypeComboBox(Engine *engine, QWidget *parent) : QComboBox(parent), m_engine(engine)
{
    setSizeAdjustPolicy(QComboBox::AdjustToContents);
    setMinimumContentsLength(12);
    refresh();
}

void TypeComboBox::showPopup()
{
    refresh();
    QComboBox::showPopup();
}

void TypeComboBox::setEngine(Engine *engine)
{
    m_engine = engine;
    refresh();
}

void TypeComboBox::refresh()
{
    QStringList types = m_engine ? m_engine->typeNames() : QStringList();
    if (m_engine)
        types.removeAll(m_engine->root()->typeName());
    QStringList current;
    for (int i = 0; i < count(); ++i)
        current.append(itemText(i));
    if (current == types)
        return;
    const QString chosen = currentText();
    clear();
    addItems(types);
    const int at = findText(chosen);
    setCurrentIndex(at >= 0 ? at : (types.isEmpty() ? -1 : 0));
}

} // namespace objectsync
