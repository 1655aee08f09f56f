// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/engine.h>

#include <QComboBox>
#include <QPointer>

namespace objectsync {

/*! The object types that can be created (every registered type but the root's). The list is
 *  read again whenever it is opened, so types registered later (plugins) show up. */
class TypeComboBox : public QComboBox
{
    Q_OBJECT
public:
    explicit TypeComboBox(Engine *engine, QWidget *parent = nullptr);
    void showPopup() override;
    /*! Lists the types of \a engine instead. */
    void setEngine(Engine *engine);

public slots:
    /*! Reads the registered types again, keeping the current choice when it still exists. */
    void refresh();

private:
    QPointer<Engine> m_engine;
};

} // namespace objectsync
