// SPDX-License-Identifier: MIT
// Runs the shared change vectors (tests/vectors/*.json) against engine topics. The same
// files are run by the web client's tests, so both sides agree on every rule.
//
// Format: {"cases":[{"name", "topic_type", "start", "start_version" (string topics),
//           "steps":[{"change": {wire change}, "expect": value, "expect_version": v}
//                    | {"change": {wire change}, "error": true}]}]}
#include "testtypes.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QtTest>

#include <cmath>
#include <optional>

using namespace objectsync;
using namespace testing;

namespace {

const QString vectorsDir = QStringLiteral(OBJECTSYNC_SOURCE_DIR "/tests/vectors");

/*! A wire change dict as a Change; nullopt (with \a why) when it cannot be one. This small
 *  converter is the test's own, independent of the protocol codec. */
std::optional<Change> fromWire(const QJsonObject &w, QString &why)
{
    Change c;
    const QJsonValue name = w.value(QStringLiteral("topic_name"));
    const auto topicType = topicTypeFromName(w.value(QStringLiteral("topic_type")).toString());
    const auto type = changeTypeFromName(w.value(QStringLiteral("type")).toString());
    if (!name.isString() || !topicType || !type || *type == ChangeType::ReversedEmit) {
        why = QStringLiteral("unknown topic name, topic type or change type");
        return std::nullopt;
    }
    c.topicName = name.toString();
    c.topicType = *topicType;
    c.type = *type;
    const auto text = [&](const char *field, QString &out) {
        const QJsonValue v = w.value(QLatin1String(field));
        if (v.isUndefined())
            return true;
        if (!v.isString()) {
            why = QStringLiteral("%1 must be a string").arg(QLatin1String(field));
            return false;
        }
        out = v.toString();
        return true;
    };
    if (!text("id", c.id) || !text("key", c.key) || !text("topic_version", c.topicVersion) ||
        !text("result_topic_version", c.resultTopicVersion))
        return std::nullopt;
    if (!text(c.type == ChangeType::Delete ? "deletion" : "insertion", c.text))
        return std::nullopt;
    const QJsonValue position = w.value(QStringLiteral("position"));
    if (!position.isUndefined()) {
        const double p = position.toDouble(0.5);
        if (!position.isDouble() || p != std::floor(p)) {
            why = QStringLiteral("position must be an integer");
            return std::nullopt;
        }
        c.position = position.toInteger();
    }
    c.oldValue = w.value(QStringLiteral("old_value"));
    if (c.type == ChangeType::Emit)
        c.value = w.value(QStringLiteral("args"));
    else if (w.contains(QStringLiteral("item")))
        c.value = w.value(QStringLiteral("item"));
    else
        c.value = w.value(QStringLiteral("value"));
    return c;
}

/*! JSON equality where 3 and 3.0 are the same number. */
bool sameJson(const QJsonValue &a, const QJsonValue &b)
{
    if (a.isDouble() && b.isDouble())
        return a.toDouble() == b.toDouble();
    if (a.isArray() && b.isArray()) {
        const QJsonArray x = a.toArray(), y = b.toArray();
        if (x.size() != y.size())
            return false;
        for (qsizetype i = 0; i < x.size(); ++i)
            if (!sameJson(x.at(i), y.at(i)))
                return false;
        return true;
    }
    if (a.isObject() && b.isObject()) {
        const QJsonObject x = a.toObject(), y = b.toObject();
        if (x.keys() != y.keys())
            return false;
        for (auto it = x.begin(); it != x.end(); ++it)
            if (!sameJson(it.value(), y.value(it.key())))
                return false;
        return true;
    }
    return a == b;
}

struct VectorFiles
{
    QList<std::pair<QString, QJsonObject>> cases; // row name, case
    QStringList problems;
};

VectorFiles loadVectors()
{
    VectorFiles out;
    const QStringList files =
        QDir(vectorsDir).entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
    for (const QString &fileName : files) {
        QFile file(vectorsDir + QLatin1Char('/') + fileName);
        if (!file.open(QIODevice::ReadOnly)) {
            out.problems.append(fileName + QStringLiteral(": cannot be read"));
            continue;
        }
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &error);
        if (doc.isNull()) {
            out.problems.append(fileName + QStringLiteral(": ") + error.errorString());
            continue;
        }
        const QJsonArray cases = doc.object().value(QStringLiteral("cases")).toArray();
        // Other vector files (of other formats) may live here: only change cases count.
        for (const QJsonValue &c : cases) {
            const QJsonObject o = c.toObject();
            if (!o.contains(QStringLiteral("topic_type")) || !o.contains(QStringLiteral("steps")))
                continue;
            out.cases.append(
                {fileName + QStringLiteral(": ") + o.value(QStringLiteral("name")).toString(), o});
        }
    }
    return out;
}

} // namespace

class TstVectors : public QObject
{
    Q_OBJECT
private slots:
    void vectorsArePresent();
    void run_data();
    void run();
};

void TstVectors::vectorsArePresent()
{
    QVERIFY2(QFile::exists(vectorsDir + QStringLiteral("/changes.json")),
             qPrintable(QStringLiteral("the shared change vectors are missing: ") + vectorsDir +
                        QStringLiteral("/changes.json")));
    const VectorFiles vectors = loadVectors();
    QVERIFY2(vectors.problems.isEmpty(), qPrintable(vectors.problems.join(QLatin1Char('\n'))));
    QVERIFY2(!vectors.cases.isEmpty(),
             qPrintable(QStringLiteral("no change cases found in ") + vectorsDir));
}

void TstVectors::run_data()
{
    QTest::addColumn<QJsonObject>("vector");
    for (const auto &[name, vector] : loadVectors().cases)
        QTest::newRow(qPrintable(name)) << vector;
}

void TstVectors::run()
{
    QFETCH(QJsonObject, vector);
    const auto topicType = topicTypeFromName(vector.value(QStringLiteral("topic_type")).toString());
    QVERIFY2(topicType, "unknown topic_type in the vector");
    const QJsonArray steps = vector.value(QStringLiteral("steps")).toArray();
    QVERIFY2(!steps.isEmpty(), "a vector needs steps");
    const QString topicName = steps.first()
                                  .toObject()
                                  .value(QStringLiteral("change"))
                                  .toObject()
                                  .value(QStringLiteral("topic_name"))
                                  .toString(QStringLiteral("t"));

    Engine engine;
    const QJsonValue start = vector.value(QStringLiteral("start"));
    Topic *topic = nullptr;
    try {
        topic = engine.addTopic(topicName, *topicType, start);
        const QJsonValue startVersion = vector.value(QStringLiteral("start_version"));
        if (startVersion.isString()) {
            // Give the string topic the version the vector starts from.
            QVERIFY(*topicType == TopicType::String);
            Change c;
            c.topicName = topicName;
            c.topicType = TopicType::String;
            c.type = ChangeType::Set;
            c.value = start;
            c.resultTopicVersion = startVersion.toString();
            engine.applyChange(c);
        }
    } catch (const Error &e) {
        QFAIL(qPrintable(QStringLiteral("cannot set up the topic: ") + e.message()));
    }

    int index = 0;
    for (const QJsonValue &stepValue : steps) {
        const QJsonObject step = stepValue.toObject();
        const QString where = QStringLiteral("step %1: ").arg(index++);
        const QJsonValue before = topic->value();
        const QString versionBefore = *topicType == TopicType::String
                                          ? static_cast<StringTopic *>(topic)->version()
                                          : QString();
        QString why;
        const auto change = fromWire(step.value(QStringLiteral("change")).toObject(), why);
        bool refused = !change;
        if (change) {
            try {
                engine.applyChange(*change);
            } catch (const Error &e) {
                refused = true;
                why = e.message();
            }
        }
        if (step.value(QStringLiteral("error")).toBool()) {
            QVERIFY2(refused,
                     qPrintable(where + QStringLiteral("expected a refusal, but it applied: ") +
                                toText(topic->value())));
            QVERIFY2(sameJson(topic->value(), before),
                     qPrintable(where + QStringLiteral("a refusal changed the value")));
            if (*topicType == TopicType::String)
                QCOMPARE(static_cast<StringTopic *>(topic)->version(), versionBefore);
            continue;
        }
        QVERIFY2(!refused, qPrintable(where + QStringLiteral("refused: ") + why));
        if (step.contains(QStringLiteral("expect"))) {
            const QJsonValue expected = step.value(QStringLiteral("expect"));
            QVERIFY2(sameJson(topic->value(), expected),
                     qPrintable(where + QStringLiteral("got ") + toText(topic->value()) +
                                QStringLiteral(", expected ") + toText(expected)));
        }
        if (step.contains(QStringLiteral("expect_version"))) {
            QVERIFY(*topicType == TopicType::String);
            QCOMPARE(static_cast<StringTopic *>(topic)->version(),
                     step.value(QStringLiteral("expect_version")).toString());
        }
    }
}

QTEST_GUILESS_MAIN(TstVectors)
#include "tst_vectors.moc"
