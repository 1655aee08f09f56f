// SPDX-License-Identifier: MIT
// The operations of the randomized test's simulation (see randomsimulation.h).
#include "randomsimulation.h"

namespace testing {

Simulation::Simulation(quint32 seed, bool scopedUndo)
    : m_rng(seed), m_seed(seed), m_scopedUndo(scopedUndo)
{
    m_engine.registerType<NodeObject>();
    m_engine.registerType<TextObject>();
    QObject::connect(&m_engine, &Engine::transitionCommitted, &m_engine,
                     [this](const TransitionPtr &t) { m_log.append(t); });
}

void Simulation::setUp()
{
    auto *a = m_engine.createObject<NodeObject>(nullptr, QStringLiteral("a"), {{"children", 2}});
    m_engine.createObject<TextObject>(a, QStringLiteral("text"));
    m_engine.createObject<NodeObject>(nullptr, QStringLiteral("b"));
    m_engine.clearHistory();
}

bool Simulation::step()
{
    const QJsonObject before = snapshot(m_engine);
    const QJsonObject beforeTree = m_engine.serialize(m_engine.root());
    const qsizetype announced = m_log.size();
    QString what;
    const QString error = randomOperation(what);
    if (error.isEmpty()) {
        ++m_successes;
        return true;
    }
    ++m_failures;
    // A refused operation changes nothing and announces nothing.
    const QJsonObject after = snapshot(m_engine);
    QString difference;
    if (m_log.size() != announced)
        difference = QStringLiteral("a transition was announced");
    for (auto it = before.begin(); difference.isEmpty() && it != before.end(); ++it) {
        if (after.value(it.key()) != it.value())
            difference = QStringLiteral("topic %1: %2 became %3")
                             .arg(it.key(), toText(it.value()), toText(after.value(it.key())));
    }
    for (auto it = after.begin(); difference.isEmpty() && it != after.end(); ++it) {
        if (!before.contains(it.key()))
            difference = QStringLiteral("topic %1 appeared").arg(it.key());
    }
    if (difference.isEmpty() && m_engine.serialize(m_engine.root()) != beforeTree)
        difference = QStringLiteral("the tree changed: ") + shape(beforeTree) +
                     QStringLiteral(" became ") + shape(m_engine.serialize(m_engine.root()));
    if (!difference.isEmpty()) {
        m_problem = QStringLiteral("refused operation \"%1\" (%2) changed the state: %3")
                        .arg(what, error, difference);
        return false;
    }
    return true;
}

QString Simulation::shape(const QJsonObject &node)
{
    QString out = node.value(QStringLiteral("id")).toString();
    const QJsonArray children = node.value(QStringLiteral("children")).toArray();
    if (children.isEmpty())
        return out;
    QStringList parts;
    for (const QJsonValue &c : children)
        parts.append(shape(c.toObject()));
    return out + QLatin1Char('(') + parts.join(QLatin1Char(' ')) + QLatin1Char(')');
}

QList<SObject *> Simulation::liveObjects() const
{
    QList<SObject *> out;
    QList<SObject *> todo{m_engine.root()};
    while (!todo.isEmpty()) {
        SObject *o = todo.takeFirst();
        out.append(o);
        todo.append(o->children());
    }
    return out;
}

template<class T> QList<T *> Simulation::liveOf() const
{
    QList<T *> out;
    for (SObject *o : liveObjects())
        if (auto *t = dynamic_cast<T *>(o))
            out.append(t);
    return out;
}

SObject *Simulation::anyObject()
{
    const auto all = liveObjects();
    return all.at(pick(int(all.size())));
}

QJsonValue Simulation::randomJson(int depth)
{
    switch (pick(depth > 1 ? 5 : 7)) {
    case 0:
        return QJsonValue(pick(20) - 5);
    case 1:
        return QStringLiteral("s%1").arg(pick(6));
    case 2:
        return chance(50);
    case 3:
        return QJsonValue();
    case 4:
        return pick(100) / 8.0;
    case 5:
        return QJsonArray{randomJson(depth + 1), randomJson(depth + 1)};
    default:
        return QJsonObject{{QStringLiteral("k%1").arg(pick(3)), randomJson(depth + 1)}};
    }
}

QString Simulation::randomText()
{
    static const QString letters = QStringLiteral("abcxyzé€ ");
    QString s;
    const int n = pick(4);
    for (int i = 0; i < n; ++i)
        s.append(letters.at(pick(int(letters.size()))));
    return s;
}

QString Simulation::randomOperation(QString &what)
{
    const int op = pick(100);
    if (op < 8)
        return createOp(what);
    if (op < 13)
        return destroyOp(what);
    if (op < 18)
        return moveOp(what);
    if (op < 22)
        return copyOp(what);
    if (op < 30)
        return historyOp(what);
    if (op < 38) {
        what = QStringLiteral("transaction");
        return m_engine
            .tryTransition([&] {
                // Several operations of any kind; one that fails (inside, its own scope
                // fails) makes the whole transition fail.
                const int n = 2 + pick(3);
                for (int i = 0; i < n; ++i) {
                    QString inner;
                    switch (pick(7)) {
                    case 0:
                        moveOp(inner);
                        break;
                    case 1:
                        destroyOp(inner);
                        break;
                    case 2:
                        createOp(inner);
                        break;
                    case 3:
                        copyOp(inner);
                        break;
                    default:
                        attributeOp(inner, true);
                        break;
                    }
                }
                if (chance(30))
                    throw Error(QStringLiteral("transaction aborted on purpose"));
            })
            .errorMessage();
    }
    if (op < 42)
        return staleStringEditOp(what);
    return m_engine.tryTransition([&] { attributeOp(what, true); }).errorMessage();
}

QString Simulation::createOp(QString &what)
{
    SObject *parent = anyObject();
    if (liveObjects().size() > 45)
        parent = nullptr; // keep the tree small: creation below will be refused
    const int kind = pick(4);
    return m_engine
        .tryTransition([&] {
            if (!parent) {
                what = QStringLiteral("create in a missing parent");
                Change c = emitCreate(QStringLiteral("NodeObject"), QStringLiteral("missing"));
                m_engine.applyChange(c);
            } else if (kind == 0) {
                what = QStringLiteral("create by event");
                Change c = emitCreate(chance(15) ? QStringLiteral("Unknown")
                                                 : QStringLiteral("NodeObject"),
                                      parent->id());
                QJsonObject args = c.value.toObject();
                args.insert(QStringLiteral("id"), QStringLiteral("1_%1").arg(++m_clientCounter));
                args.insert(QStringLiteral("build_kwargs"), QJsonObject{{"children", pick(3)}});
                c.value = args;
                m_engine.applyChange(c);
            } else if (kind == 1) {
                what = QStringLiteral("create text");
                auto *t = m_engine.createObject<TextObject>(parent);
                t->text->set(randomText());
            } else {
                what = QStringLiteral("create node");
                m_engine.createObject(QStringLiteral("NodeObject"), parent, {},
                                      {{"children", pick(2)}});
            }
        })
        .errorMessage();
}

Change Simulation::emitCreate(const QString &type, const QString &parentId)
{
    Change c;
    c.topicName = QStringLiteral("create_object");
    c.topicType = TopicType::Event;
    c.type = ChangeType::Emit;
    c.id = QStringLiteral("1_c%1").arg(++m_clientCounter);
    c.value = QJsonObject{{"type", type}, {"parent_id", parentId}};
    return c;
}

QString Simulation::destroyOp(QString &what)
{
    SObject *o = anyObject(); // sometimes the root: refused
    const bool byEvent = chance(50);
    what = QStringLiteral("destroy %1").arg(o->id());
    const QString id = o->id();
    return m_engine
        .tryTransition([&] {
            if (byEvent) {
                Change c;
                c.topicName = QStringLiteral("destroy_object");
                c.topicType = TopicType::Event;
                c.type = ChangeType::Emit;
                c.value = QJsonObject{{"id", id}};
                m_engine.applyChange(c);
            } else {
                m_engine.destroyObject(m_engine.object(id));
            }
        })
        .errorMessage();
}

QString Simulation::moveOp(QString &what)
{
    SObject *o = anyObject();
    SObject *target = anyObject(); // cycles and the root are refused
    what = QStringLiteral("move %1 under %2").arg(o->id(), target->id());
    return m_engine
        .tryTransition([&] {
            Change c;
            c.topicName = QStringLiteral("parent_id/") + o->id();
            c.topicType = TopicType::String;
            c.type = ChangeType::Set;
            c.value = chance(10) ? QStringLiteral("nowhere") : target->id();
            m_engine.applyChange(c);
        })
        .errorMessage();
}

QString Simulation::copyOp(QString &what)
{
    SObject *o = anyObject();
    SObject *target = anyObject();
    what = QStringLiteral("copy %1 under %2").arg(o->id(), target->id());
    if (liveObjects().size() > 40 || o->isRoot())
        return QString();
    const QJsonObject data = m_engine.serialize(o);
    return m_engine
        .tryTransition(
            [&] { m_engine.deserialize(data, target, chance(80) ? IdMode::Remap : IdMode::Keep); })
        .errorMessage();
}

QString Simulation::historyOp(QString &what)
{
    SObject *scope = m_scopedUndo && chance(70) ? anyObject() : nullptr;
    const bool undo = chance(65);
    what = QStringLiteral("%1 in %2")
               .arg(undo ? QStringLiteral("undo") : QStringLiteral("redo"),
                    scope ? scope->id() : QStringLiteral("root"));
    const QString error =
        undo ? m_engine.undo(scope).errorMessage() : m_engine.redo(scope).errorMessage();
    if (error.startsWith(QStringLiteral("nothing to")))
        return QString(); // not a refusal worth checking
    return error;
}

QString Simulation::staleStringEditOp(QString &what)
{
    const auto nodes = liveOf<NodeObject>();
    if (nodes.isEmpty())
        return QString();
    NodeObject *o = nodes.at(pick(int(nodes.size())));
    StringTopic *label = o->label;
    QStringList &versions = m_versions[label->name()];
    versions.append(label->version());
    if (versions.size() > 6)
        versions.removeFirst();
    Change c;
    c.topicName = label->name();
    c.topicType = TopicType::String;
    c.id = QStringLiteral("1_e%1").arg(++m_clientCounter);
    c.topicVersion =
        chance(5) ? QStringLiteral("unknown") : versions.at(pick(int(versions.size())));
    const qint64 length = label->get().size();
    c.position = pick(int(length) + 2);
    if (chance(50)) {
        c.type = ChangeType::Insert;
        c.text = randomText();
    } else {
        c.type = ChangeType::Delete;
        const qint64 p = qMin<qint64>(c.position, length);
        c.text = label->get().mid(p, pick(3));
        c.position = p;
    }
    what = QStringLiteral("stale string edit");
    return m_engine.tryTransition([&] { m_engine.applyChange(c); }).errorMessage();
}

void Simulation::attributeOp(QString &what, bool)
{
    const auto nodes = liveOf<NodeObject>();
    const auto texts = liveOf<TextObject>();
    if (!texts.isEmpty() && chance(15)) {
        TextObject *t = texts.at(pick(int(texts.size())));
        what = QStringLiteral("text edit");
        const QString key = QStringLiteral("k%1").arg(pick(3));
        switch (pick(4)) {
        case 0:
            t->text->insert(pick(int(t->text->get().size()) + 2), randomText());
            break;
        case 1:
            t->text->remove(pick(int(t->text->get().size()) + 1), pick(3));
            break;
        case 2:
            if (t->style->contains(key))
                t->style->changeValue(key, randomJson());
            else
                t->style->add(key, randomJson());
            break;
        default:
            t->style->set(QJsonObject{{key, randomJson()}});
            break;
        }
        return;
    }
    if (nodes.isEmpty()) {
        what = QStringLiteral("nothing");
        return;
    }
    NodeObject *o = nodes.at(pick(int(nodes.size())));
    switch (pick(20)) {
    case 0:
        what = QStringLiteral("generic set");
        o->generic->set(randomJson());
        break;
    case 1:
        what = QStringLiteral("label set");
        o->label->set(randomText());
        break;
    case 2:
        what = QStringLiteral("label insert");
        o->label->insert(pick(int(o->label->get().size()) + 2) - (chance(5) ? 2 : 0), randomText());
        break;
    case 3:
        what = QStringLiteral("label delete");
        o->label->remove(pick(int(o->label->get().size()) + 1), pick(3));
        break;
    case 4: {
        what = QStringLiteral("count set");
        Change c;
        c.topicName = o->count->name();
        c.topicType = TopicType::Int;
        c.type = ChangeType::Set;
        c.value = chance(15) ? QJsonValue(true) : QJsonValue(pick(50));
        m_engine.applyChange(c);
        break;
    }
    case 5:
        what = QStringLiteral("count add");
        o->count->add(pick(9) - 4);
        break;
    case 6:
        what = QStringLiteral("x set");
        o->x->set(pick(40) / 4.0);
        break;
    case 7:
        what = QStringLiteral("x add");
        o->x->add(pick(40) / 8.0 - 2.0);
        break;
    case 8:
        what = QStringLiteral("flags append");
        o->flags->append(pick(5));
        break;
    case 9:
        what = QStringLiteral("flags remove");
        o->flags->remove(pick(5));
        break;
    case 10:
        what = QStringLiteral("items insert");
        o->items->insert(pick(int(o->items->size()) * 2 + 4) - int(o->items->size()) - 2,
                         randomJson());
        break;
    case 11:
        what = QStringLiteral("items pop");
        o->items->pop(pick(int(o->items->size()) * 2 + 2) - int(o->items->size()) - 1);
        break;
    case 12:
        what = QStringLiteral("items set");
        o->items->set(QJsonArray{randomJson(), 1, 1});
        break;
    case 13:
        what = QStringLiteral("props add");
        o->props->add(QStringLiteral("p%1").arg(pick(4)), randomJson());
        break;
    case 14:
        what = QStringLiteral("props pop");
        o->props->pop(QStringLiteral("p%1").arg(pick(4)));
        break;
    case 15:
        what = QStringLiteral("props change_value");
        o->props->changeValue(QStringLiteral("p%1").arg(pick(4)), randomJson());
        break;
    case 16:
        what = QStringLiteral("ref set");
        o->ref.set(anyObject());
        break;
    case 17:
        what = QStringLiteral("refs");
        if (chance(50))
            o->refList.append(anyObject());
        else
            o->refDict.add(QStringLiteral("r%1").arg(pick(3)), anyObject());
        break;
    case 18:
        what = QStringLiteral("ping");
        o->ping->emitEvent({{"n", pick(5)}});
        break;
    default: {
        what = QStringLiteral("tags");
        SObject *t = anyObject();
        const QString tag = QStringLiteral("t%1").arg(pick(3));
        if (chance(50))
            t->tagsTopic()->append(tag); // refused when present
        else
            t->tagsTopic()->remove(tag); // refused when missing
        break;
    }
    }
}

} // namespace testing
