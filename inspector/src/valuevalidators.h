// SPDX-License-Identifier: MIT
#pragma once

#include <objectsync/change.h>

#include <QValidator>

namespace objectsync {

/*!
 * Accepts the text of a value for a topic of a given type (see jsontext::fromText): whole
 * numbers in the 64-bit range, finite numbers, JSON of the right shape. Anything else is
 * Intermediate, so an editor can hold it while the user types but cannot commit it;
 * explain() says what is wrong.
 */
class TopicValueValidator : public QValidator
{
    Q_OBJECT
public:
    explicit TopicValueValidator(TopicType type, QObject *parent = nullptr);
    TopicType topicType() const { return m_type; }
    State validate(QString &input, int &pos) const override;
    /*! Why \a input is not acceptable; empty when it is. */
    QString explain(const QString &input) const;

private:
    TopicType m_type;
};

} // namespace objectsync
