// SPDX-License-Identifier: MIT
#include "valuevalidators.h"

#include "jsontext.h"

#include <QRegularExpression>

namespace objectsync {

TopicValueValidator::TopicValueValidator(TopicType type, QObject *parent)
    : QValidator(parent), m_type(type)
{}

QValidator::State TopicValueValidator::validate(QString &input, int &) const
{
    if (m_type == TopicType::String)
        return Acceptable;
    if (m_type == TopicType::Int) {
        // Only an optional sign and digits can ever become a whole number.
        static const QRegularExpression shape(QStringLiteral("^\\s*[+-]?[0-9]*\\s*$"));
        if (!shape.match(input).hasMatch())
            return Invalid;
    }
    return jsontext::fromText(m_type, input) ? Acceptable : Intermediate;
}

QString TopicValueValidator::explain(const QString &input) const
{
    return jsontext::fromText(m_type, input).errorMessage();
}

} // namespace objectsync
