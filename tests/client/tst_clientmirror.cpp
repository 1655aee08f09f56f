// SPDX-License-Identifier: MIT
// The client's mirror follows the host's rules: the shared change vectors, and string edits
// moved over each other exactly as the engine moves them.
#include "client/mirrortopic.h"
#include "client/texttransform.h"
#include "client/wirecodec.h"

#include <objectsync/objectsync.h>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QtTest>

using namespace objectsync;

namespace {
/*! Applies a string edit to plain text (the test's own reference). */
QString applied(QString text, const Change &c)
{
    if (c.type == ChangeType::Set)
        return c.value.toString();
    if (c.type == ChangeType::Insert)
        return text.insert(c.position, c.text);
    if (text.mid(c.position, c.text.size()) != c.text)
        throw std::runtime_error("the text to delete does not match");
    return text.remove(c.position, c.text.size());
}

Change randomEdit(QRandomGenerator &rng, const QString &text, const QString &id, bool allowSet)
{
    Change c;
    c.topicName = QStringLiteral("s");
    c.topicType = TopicType::String;
    c.id = id;
    const int kind = rng.bounded(allowSet ? 7 : 6);
    if (kind == 6) {
        c.type = ChangeType::Set;
        c.value = QStringLiteral("set");
    } else if (kind < 3 || text.isEmpty()) {
        c.type = ChangeType::Insert;
        c.position = rng.bounded(int(text.size()) + 1);
        c.text = QString(rng.bounded(1, 4), QChar(u'A' + rng.bounded(26)));
    } else {
        c.type = ChangeType::Delete;
        c.position = rng.bounded(int(text.size()));
        c.text = text.mid(c.position, rng.bounded(1, 4));
    }
    return c;
}
} // namespace

class TstClientMirror : public QObject
{
    Q_OBJECT
private slots:
    void sharedChangeVectors()
    {
        QFile f(QStringLiteral(OBJECTSYNC_SOURCE_DIR "/tests/vectors/changes.json"));
        QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(f.fileName()));
        const QJsonArray cases =
            QJsonDocument::fromJson(f.readAll()).object().value("cases").toArray();
        QVERIFY(!cases.isEmpty());
        int run = 0;
        int skipped = 0;
        for (const QJsonValue &cv : cases) {
            const QJsonObject kase = cv.toObject();
            const QString name = kase.value("name").toString();
            const auto type = topicTypeFromName(kase.value("topic_type").toString());
            QVERIFY2(type, qPrintable(name));
            client::MirrorTopic topic(*type);
            topic.assign(kase.value("start"), kase.value("start_version").toString());
            bool transforms = false;
            for (const QJsonValue &sv : kase.value("steps").toArray()) {
                const QJsonObject step = sv.toObject();
                const QJsonObject dict = step.value("change").toObject();
                const QString why = QStringLiteral("%1: %2").arg(
                    name, QString::fromUtf8(QJsonDocument(dict).toJson(QJsonDocument::Compact)));
                // The mirror does not transform: the host sends edits already moved.
                const QJsonValue tv = dict.value("topic_version");
                if (*type == TopicType::String && tv.isString() &&
                    tv.toString() != topic.version() &&
                    dict.value("type").toString() != QLatin1String("set")) {
                    transforms = true;
                    break;
                }
                const QJsonValue before = topic.value();
                const QString versionBefore = topic.version();
                bool refused = false;
                try {
                    Change c = client::decodeChange(dict);
                    topic.apply(c);
                } catch (const Error &) {
                    refused = true;
                }
                if (step.value("error").toBool()) {
                    QVERIFY2(refused, qPrintable(why));
                    QVERIFY2(topic.value() == before, qPrintable(why));
                    QCOMPARE(topic.version(), versionBefore);
                    continue;
                }
                QVERIFY2(!refused, qPrintable(why));
                QVERIFY2(topic.value() == step.value("expect"),
                         qPrintable(why + QStringLiteral(" gave ") +
                                    QString::fromUtf8(QJsonDocument(QJsonArray{topic.value()})
                                                          .toJson(QJsonDocument::Compact))));
                if (step.contains("expect_version"))
                    QCOMPARE(topic.version(), step.value("expect_version").toString());
            }
            transforms ? ++skipped : ++run;
        }
        qInfo("%d cases run, %d left to the host (they need a transformation)", run, skipped);
        QVERIFY(run > 50);
    }

    void wireCodecRoundTrip()
    {
        Change c;
        c.topicName = QStringLiteral("a/1_2/text");
        c.topicType = TopicType::String;
        c.type = ChangeType::Delete;
        c.id = QStringLiteral("1_3");
        c.position = 4;
        c.text = QStringLiteral("xy");
        c.topicVersion = QStringLiteral("v1");
        c.resultTopicVersion = QStringLiteral("v2");
        QCOMPARE(client::decodeChange(client::encodeChange(c)), c);
        Change d;
        d.topicName = QStringLiteral("d");
        d.topicType = TopicType::Dict;
        d.type = ChangeType::ChangeValue;
        d.id = QStringLiteral("7");
        d.key = QStringLiteral("k");
        d.value = QJsonArray{1, "two"};
        d.oldValue = 3;
        QCOMPARE(client::decodeChange(client::encodeChange(d)), d);
        QVERIFY_THROWS_EXCEPTION(Error, client::decodeChange({{"topic_name", "x"}}));
        QVERIFY_THROWS_EXCEPTION(
            Error, client::decodeChange(
                       {{"topic_name", "x"}, {"topic_type", "int"}, {"type", "nonsense"}}));
    }

    /*! X and P are made against the same text; the host applies X, then P moved over it. The
     *  client must get the same text by moving P over X (transformOver), and by moving X past
     *  P when P is already on its mirror (transformPast). */
    void transformsAgreeWithTheEngine()
    {
        const QByteArray env = qgetenv("OBJECTSYNC_SEED");
        const quint32 seed = env.isEmpty() ? QRandomGenerator::global()->generate() : env.toUInt();
        QRandomGenerator rng(seed);
        int compared = 0;
        for (int round = 0; round < 3000; ++round) {
            Engine engine;
            auto *topic = engine.addTopic<StringTopic>(QStringLiteral("s"));
            QString base;
            for (int i = rng.bounded(0, 8); i > 0; --i)
                base += QChar(u'a' + rng.bounded(26));
            topic->set(base);
            const QString v0 = topic->version();
            Change x = randomEdit(rng, base, QStringLiteral("x"), true);
            Change p = randomEdit(rng, base, QStringLiteral("p"), false);
            x.topicVersion = p.topicVersion = v0;
            x.resultTopicVersion = QStringLiteral("vx");
            p.resultTopicVersion = QStringLiteral("vp");
            try {
                engine.applyChange(x);
                engine.applyChange(p);
            } catch (const Error &) {
                continue; // the host refused P after all; nothing to agree on
            }
            const QString host = topic->get();
            const QString why =
                QStringLiteral("seed %1 round %2: base \"%3\", x %4@%5 \"%6\", p %7@%8 \"%9\"")
                    .arg(seed)
                    .arg(round)
                    .arg(base, changeTypeName(x.type))
                    .arg(x.position)
                    .arg(x.type == ChangeType::Set ? x.value.toString() : x.text,
                         changeTypeName(p.type))
                    .arg(p.position)
                    .arg(p.text);
            Change moved = p;
            client::transformOver(moved, x);
            QString viaOver;
            QString viaPast;
            try {
                viaOver = applied(applied(base, x), moved);
                viaPast = applied(base, p);
                for (const Change &q : client::transformPast(x, p))
                    viaPast = applied(viaPast, q);
            } catch (const std::exception &e) {
                QFAIL(qPrintable(why + QStringLiteral(": ") + QString::fromUtf8(e.what())));
            }
            QVERIFY2(
                viaOver == host,
                qPrintable(why +
                           QStringLiteral(": over gave \"%1\", host \"%2\"").arg(viaOver, host)));
            QVERIFY2(
                viaPast == host,
                qPrintable(why +
                           QStringLiteral(": past gave \"%1\", host \"%2\"").arg(viaPast, host)));
            ++compared;
        }
        QVERIFY(compared > 1000);
    }
};

QTEST_GUILESS_MAIN(TstClientMirror)
#include "tst_clientmirror.moc"
