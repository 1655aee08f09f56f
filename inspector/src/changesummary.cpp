// SPDX-License-Identifier: MIT
#include "changesummary.h"

#include "jsontext.h"
#include "topicnames.h"

#include <QCoreApplication>
#include <QStringList>

namespace objectsync::changesummary {

namespace {
constexpr qsizetype valueWidth = 60;

QString shortValue(const QJsonValue &value)
{
    return jsontext::elided(jsontext::compact(value), valueWidth);
}

QString quotedText(const QString &text)
{
    return jsontext::elided(jsontext::compact(QJsonValue(text)), valueWidth);
}

/*! Changes the engine makes to keep its own books; they say nothing a person needs. */
bool isBookkeeping(const Change &c)
{
    return c.topicName == topicnames::topicList || c.topicName == topicnames::objectTypes;
}
} // namespace

QString describe(const Change &c)
{
    const QString &t = c.topicName;
    if (t == topicnames::objects) {
        if (c.type == ChangeType::Add)
            return QStringLiteral("create %1 (%2)").arg(c.key, c.value.toString());
        if (c.type == ChangeType::Pop)
            return QStringLiteral("destroy %1").arg(c.key);
    }
    if (t.startsWith(topicnames::parentIdPrefix) && c.type == ChangeType::Set)
        return QStringLiteral("move %1 to %2")
            .arg(t.mid(topicnames::parentIdPrefix.size()), c.value.toString());
    if (t == topicnames::topicList) {
        if (c.type == ChangeType::Add)
            return QStringLiteral("new topic %1").arg(c.key);
        if (c.type == ChangeType::Pop)
            return QStringLiteral("drop topic %1").arg(c.key);
    }
    switch (c.type) {
    case ChangeType::Set:
        return QStringLiteral("%1 = %2").arg(t, shortValue(c.value));
    case ChangeType::Insert:
        if (c.topicType == TopicType::String)
            return QStringLiteral("%1 insert %2 at %3").arg(t, quotedText(c.text)).arg(c.position);
        return QStringLiteral("%1 insert %2 at %3").arg(t, shortValue(c.value)).arg(c.position);
    case ChangeType::Delete:
        return QStringLiteral("%1 delete %2 at %3").arg(t, quotedText(c.text)).arg(c.position);
    case ChangeType::Add:
        if (c.topicType == TopicType::Dict)
            return QStringLiteral("%1 add [%2] = %3").arg(t, c.key, shortValue(c.value));
        return QStringLiteral("%1 += %2").arg(t, shortValue(c.value));
    case ChangeType::Append:
        return QStringLiteral("%1 append %2").arg(t, shortValue(c.value));
    case ChangeType::Remove:
        return QStringLiteral("%1 remove %2").arg(t, shortValue(c.value));
    case ChangeType::Pop:
        if (c.topicType == TopicType::Dict)
            return QStringLiteral("%1 pop [%2]").arg(t, c.key);
        return QStringLiteral("%1 pop at %2").arg(t).arg(c.position);
    case ChangeType::ChangeValue:
        return QStringLiteral("%1 [%2] = %3").arg(t, c.key, shortValue(c.value));
    case ChangeType::Emit:
        return QStringLiteral("%1 emit %2").arg(t, shortValue(c.value));
    case ChangeType::ReversedEmit:
        return QStringLiteral("%1 reverse emit").arg(t);
    }
    return t;
}

QString summarize(const Transition &transition, int maxItems)
{
    QStringList items;
    qsizetype meaningful = 0;
    for (const Change &c : transition.changes) {
        if (isBookkeeping(c))
            continue;
        ++meaningful;
        if (items.size() < maxItems)
            items.append(describe(c));
    }
    if (meaningful == 0 && !transition.changes.isEmpty()) {
        meaningful = transition.changes.size();
        items.append(describe(transition.changes.first()));
    }
    QString text = items.join(QStringLiteral("; "));
    if (meaningful > items.size())
        text += QCoreApplication::translate("objectsync::changesummary", "; \u2026 %n more",
                                            nullptr, int(meaningful - items.size()));
    return text;
}

QString details(const Transition &transition, int maxLines)
{
    QStringList lines;
    const qsizetype n = transition.changes.size();
    for (qsizetype i = 0; i < n && i < maxLines; ++i)
        lines.append(describe(transition.changes.at(i)));
    if (n > maxLines)
        lines.append(QCoreApplication::translate("objectsync::changesummary", "\u2026 %n more",
                                                 nullptr, int(n - maxLines)));
    return lines.join(QLatin1Char('\n'));
}

QString originText(int origin)
{
    if (origin == 0)
        return QCoreApplication::translate("objectsync::changesummary", "host");
    return QCoreApplication::translate("objectsync::changesummary", "client %1").arg(origin);
}

QString kindText(TransitionKind kind)
{
    switch (kind) {
    case TransitionKind::Forward:
        return QCoreApplication::translate("objectsync::changesummary", "change");
    case TransitionKind::Undo:
        return QCoreApplication::translate("objectsync::changesummary", "undo");
    case TransitionKind::Redo:
        return QCoreApplication::translate("objectsync::changesummary", "redo");
    }
    return {};
}

} // namespace objectsync::changesummary
