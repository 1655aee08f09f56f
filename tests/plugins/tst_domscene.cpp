// SPDX-License-Identifier: MIT
// The dom plugin: the seed README's example, exactly.
#include "core/pluginmanager.h"

#include <objectsync/engine.h>

#include <QtTest>

using namespace objectsync;

namespace {

QString domPluginFile()
{
    const QDir dir(QStringLiteral(OBJECTSYNC_EXAMPLE_PLUGIN_DIR));
    for (const QString &f : dir.entryList(QDir::Files))
        if (f.contains(QLatin1String("objectsync_dom")))
            return dir.absoluteFilePath(f);
    return {};
}

Change createObjectEvent(const QJsonObject &args)
{
    Change c;
    c.topicName = QStringLiteral("create_object");
    c.topicType = TopicType::Event;
    c.type = ChangeType::Emit;
    c.value = args;
    return c;
}

} // namespace

class TstDomScene : public QObject
{
    Q_OBJECT
private slots:
    void init()
    {
        m_engine = std::make_unique<Engine>();
        m_manager = std::make_unique<PluginManager>(m_engine.get());
        const PluginInfo info = m_manager->loadFile(domPluginFile());
        QVERIFY2(info.isLoaded(), qPrintable(info.fileName + QLatin1Char(' ') + info.error));
        QCOMPARE(info.id, QStringLiteral("dom"));
        QCOMPARE(info.types,
                 (QStringList{QStringLiteral("DivObject"), QStringLiteral("TextObject")}));
        QCOMPARE(info.scenes, QStringList{QStringLiteral("dom")});
    }

    void cleanup()
    {
        m_engine.reset();
        m_manager.reset();
    }

    void sceneContent()
    {
        QCOMPARE(m_manager->buildScene(QStringLiteral("dom")).errorMessage(), QString());
        const QList<SObject *> children = m_engine->root()->children();
        QCOMPARE(children.size(), 1);
        SObject *text = children.first();
        QCOMPARE(text->typeName(), QStringLiteral("TextObject"));
        QCOMPARE(text->frontendType(), QStringLiteral("text"));
        QCOMPARE(text->children().size(), 0);
        QCOMPARE(text->attributeNames(),
                 (QStringList{QStringLiteral("style"), QStringLiteral("text")}));
        QCOMPARE(text->attribute(QStringLiteral("text"))->type(), TopicType::String);
        QCOMPARE(text->attribute(QStringLiteral("text"))->value(),
                 QJsonValue(QStringLiteral("Hello ObjectSync!")));
        QCOMPARE(text->attribute(QStringLiteral("style"))->type(), TopicType::Dict);
        const QJsonObject style{{QStringLiteral("font-size"), QStringLiteral("30px")},
                                {QStringLiteral("border"), QStringLiteral("5px solid black")},
                                {QStringLiteral("background-color"), QStringLiteral("yellow")}};
        QCOMPARE(text->attribute(QStringLiteral("style"))->value(), QJsonValue(style));
        QCOMPARE(m_engine->topic(QStringLiteral("_objects"))->value(),
                 QJsonValue(QJsonObject{{QStringLiteral("root"), QStringLiteral("Root")},
                                        {text->id(), QStringLiteral("text")}}));
        QVERIFY(m_engine->topic(QStringLiteral("_topicsync/topic_list"))
                    ->value()
                    .toObject()
                    .contains(QStringLiteral("a/%1/style").arg(text->id())));
        QVERIFY(!m_engine->canUndo());
    }

    void clientsCreateElements()
    {
        m_engine->applyChange(createObjectEvent(
            {{QStringLiteral("type"), QStringLiteral("DivObject")},
             {QStringLiteral("parent_id"), QStringLiteral("root")},
             {QStringLiteral("id"), QStringLiteral("3_1")},
             {QStringLiteral("build_kwargs"),
              QJsonObject{{QStringLiteral("style"),
                           QJsonObject{{QStringLiteral("color"), QStringLiteral("red")}}}}}}));
        SObject *div = m_engine->object(QStringLiteral("3_1"));
        QVERIFY(div);
        QCOMPARE(div->frontendType(), QStringLiteral("div"));
        QCOMPARE(div->attributeNames(), QStringList{QStringLiteral("style")});
        QCOMPARE(div->attribute(QStringLiteral("style"))->value(),
                 QJsonValue(QJsonObject{{QStringLiteral("color"), QStringLiteral("red")}}));

        m_engine->applyChange(
            createObjectEvent({{QStringLiteral("type"), QStringLiteral("TextObject")},
                               {QStringLiteral("parent_id"), QStringLiteral("3_1")},
                               {QStringLiteral("id"), QStringLiteral("3_2")},
                               {QStringLiteral("build_kwargs"),
                                QJsonObject{{QStringLiteral("text"), QStringLiteral("hi")}}}}));
        SObject *text = m_engine->object(QStringLiteral("3_2"));
        QVERIFY(text);
        QCOMPARE(text->parent(), div);
        QCOMPARE(text->attribute(QStringLiteral("text"))->value(),
                 QJsonValue(QStringLiteral("hi")));
        QCOMPARE(text->attribute(QStringLiteral("style"))->value(), QJsonValue(QJsonObject()));
    }

    void badBuildArgumentsChangeNothing()
    {
        const qsizetype topics = m_engine->topicCount();
        QVERIFY_THROWS_EXCEPTION(
            Error,
            m_engine->applyChange(createObjectEvent(
                {{QStringLiteral("type"), QStringLiteral("TextObject")},
                 {QStringLiteral("id"), QStringLiteral("3_9")},
                 {QStringLiteral("build_kwargs"), QJsonObject{{QStringLiteral("text"), 5}}}})));
        QVERIFY(!m_engine->object(QStringLiteral("3_9")));
        QCOMPARE(m_engine->topicCount(), topics);
        QCOMPARE(m_engine->root()->children().size(), 0);
    }

private:
    std::unique_ptr<Engine> m_engine;
    std::unique_ptr<PluginManager> m_manager;
};

QTEST_GUILESS_MAIN(TstDomScene)
#include "tst_domscene.moc"
