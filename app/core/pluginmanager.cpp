// SPDX-License-Identifier: MIT
#include "pluginmanager.h"

#include "logging.h"
#include "pluginmetadata.h"
#include "pluginregistration.h"

#include <objectsync/access.h>
#include <objectsync/engine.h>
#include <objectsync/error.h>
#include <objectsync/plugin.h>

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QLibrary>
#include <QPluginLoader>
#include <QPointer>
#include <QTimer>

#include <optional>

#ifndef OBJECTSYNC_PLUGIN_INSTALL_DIR
#define OBJECTSYNC_PLUGIN_INSTALL_DIR ""
#endif
#ifndef OBJECTSYNC_PLUGIN_INSTALL_RELDIR
#define OBJECTSYNC_PLUGIN_INSTALL_RELDIR "lib/objectsync/plugins"
#endif

namespace objectsync {

struct PluginManager::Loaded
{
    std::unique_ptr<QPluginLoader> loader;
    ObjectTypePlugin *plugin = nullptr; //!< null when the plugin was instantiated but refused
    QString id;
    QString fileName;
};

struct PluginManager::SceneEntry
{
    QString pluginId;
    QString description;
    SceneBuilder builder;
};

namespace {

/*! Runs \a fn (a plugin's code) and turns whatever it throws into an Error: the edge where
 *  a plugin's exceptions become results. */
template<class Fn> Result<void> catchAll(Fn &&fn)
{
    try {
        fn();
    } catch (const Error &e) {
        return e;
    } catch (const std::exception &e) {
        return Error(QString::fromLocal8Bit(e.what()));
    } catch (...) {
        return Error(ErrorCode::Internal, QStringLiteral("an unknown exception was thrown"));
    }
    return {};
}

} // namespace

PluginManager::PluginManager(Engine *engine, QObject *parent) : QObject(parent), m_engine(engine) {}

// Destroying a QPluginLoader does not unload its library: objects made by plugin code may
// outlive this manager, so the libraries stay until the process ends.
PluginManager::~PluginManager() = default;

QStringList PluginManager::defaultSearchPaths()
{
    QStringList candidates;
    const QString env = qEnvironmentVariable("OBJECTSYNC_PLUGIN_PATH");
    if (!env.isEmpty())
        candidates += env.split(QDir::listSeparator(), Qt::SkipEmptyParts);
    const QString exeDir = QCoreApplication::applicationDirPath();
    if (!exeDir.isEmpty()) {
        candidates.append(exeDir + QStringLiteral("/../plugins"));
        candidates.append(exeDir + QStringLiteral("/../") +
                          QStringLiteral(OBJECTSYNC_PLUGIN_INSTALL_RELDIR));
    }
    const QString installed = QStringLiteral(OBJECTSYNC_PLUGIN_INSTALL_DIR);
    if (!installed.isEmpty())
        candidates.append(installed);
    QStringList out;
    for (const QString &c : std::as_const(candidates)) {
        const QString canonical = QFileInfo(c).canonicalFilePath();
        if (!canonical.isEmpty() && QFileInfo(canonical).isDir() && !out.contains(canonical))
            out.append(canonical);
    }
    return out;
}

int PluginManager::loadDirectories(const QStringList &directories)
{
    int loaded = 0;
    QStringList seen;
    for (const QString &dirName : directories) {
        const QFileInfo dirInfo(dirName);
        const QString canonical = dirInfo.canonicalFilePath();
        if (canonical.isEmpty() || !dirInfo.isDir()) {
            qCWarning(lcPlugins).noquote() << "plugin directory" << dirName << "does not exist";
            continue;
        }
        if (seen.contains(canonical))
            continue;
        seen.append(canonical);
        qCDebug(lcPlugins).noquote() << "looking for plugins in" << canonical;
        const QDir dir(canonical);
        const QStringList files = dir.entryList(QDir::Files | QDir::Readable, QDir::Name);
        for (const QString &file : files) {
            if (!QLibrary::isLibrary(file))
                continue;
            const qsizetype known = m_infos.size();
            const bool ok = loadFile(dir.absoluteFilePath(file)).isLoaded();
            if (ok && m_infos.size() > known) // not a file seen before
                ++loaded;
        }
    }
    return loaded;
}

void PluginManager::record(const PluginInfo &info)
{
    m_infos.append(info);
    switch (info.state) {
    case PluginInfo::State::Loaded:
        qCInfo(lcPlugins).noquote() << QStringLiteral("loaded plugin %1 %2 from %3")
                                           .arg(info.id, info.version, info.fileName);
        break;
    case PluginInfo::State::Refused:
        qCWarning(lcPlugins).noquote()
            << QStringLiteral("refused plugin %1: %2").arg(info.fileName, info.error);
        break;
    case PluginInfo::State::Failed:
        qCWarning(lcPlugins).noquote()
            << QStringLiteral("plugin %1 failed: %2").arg(info.fileName, info.error);
        break;
    }
    emit pluginsChanged();
}

PluginInfo PluginManager::loadFile(const QString &fileName)
{
    PluginInfo info;
    const QFileInfo fileInfo(fileName);
    info.fileName = fileInfo.canonicalFilePath().isEmpty() ? fileInfo.absoluteFilePath()
                                                           : fileInfo.canonicalFilePath();
    for (const PluginInfo &known : std::as_const(m_infos)) {
        if (known.fileName == info.fileName)
            return known; // the same file reached twice (for example through a symlink)
    }
    const auto refuse = [&](PluginInfo::State state, const QString &why) {
        info.state = state;
        info.error = why;
        record(info);
        return info;
    };
    if (!fileInfo.exists())
        return refuse(PluginInfo::State::Failed, QStringLiteral("the file does not exist"));

    auto loader = std::make_unique<QPluginLoader>(info.fileName);
    const QJsonObject metaData = loader->metaData();
    PluginMetadata md;
    const Result<void> fits = checkPluginMetadata(metaData, &md, runtimeQtVersion());
    info.id = md.id;
    info.version = md.version;
    info.description = md.description;
    info.apiVersion = md.apiVersion;
    if (!fits) {
        QString why = fits.error().message();
        // Qt's reason helps unless it only repeats that there is no metadata.
        const QString qtReason = loader->errorString();
        if (metaData.isEmpty() && !qtReason.isEmpty() &&
            qtReason != QLatin1String("Unknown error") &&
            !qtReason.contains(QLatin1String("metadata not found")))
            why += QStringLiteral(": ") + qtReason;
        return refuse(PluginInfo::State::Refused, why);
    }
    for (const auto &l : m_loaded) {
        if (l->plugin && l->id == md.id)
            return refuse(PluginInfo::State::Refused,
                          QStringLiteral("a plugin with id \"%1\" is already loaded from %2")
                              .arg(md.id, l->fileName));
    }

    QObject *instance = loader->instance();
    if (!instance)
        return refuse(
            PluginInfo::State::Failed,
            QStringLiteral("the library could not be loaded: %1").arg(loader->errorString()));
    auto entry = std::make_unique<Loaded>();
    entry->id = md.id;
    entry->fileName = info.fileName;
    auto *plugin = qobject_cast<ObjectTypePlugin *>(instance);
    entry->loader = std::move(loader);
    m_loaded.push_back(std::move(entry)); // kept loaded even when refused: see the destructor
    if (!plugin)
        return refuse(PluginInfo::State::Refused,
                      QStringLiteral("its plugin class %1 does not implement "
                                     "objectsync::ObjectTypePlugin")
                          .arg(md.className));

    PluginRegistration reg(m_engine, md.id, m_rooms);
    if (const Result<void> done = catchAll([&] { plugin->initialize(reg); }); !done) {
        return refuse(PluginInfo::State::Failed,
                      QStringLiteral("initialisation failed: %1").arg(done.errorMessage()));
    }
    if (const Result<void> fits = refuseReason(reg); !fits)
        return refuse(PluginInfo::State::Refused, fits.errorMessage());
    if (const Result<void> done = catchAll([&] { apply(reg, info); }); !done) {
        return refuse(
            PluginInfo::State::Failed,
            QStringLiteral("its declarations could not be applied: %1").arg(done.errorMessage()));
    }
    m_loaded.back()->plugin = plugin;
    info.state = PluginInfo::State::Loaded;
    record(info);
    return info;
}

Result<void> PluginManager::refuseReason(const PluginRegistration &reg) const
{
    const auto owner = [this](const QString &key) {
        const QString id = m_owners.value(key);
        return id.isEmpty() ? QStringLiteral("the host") : QStringLiteral("plugin \"%1\"").arg(id);
    };
    for (const ObjectType &t : reg.types()) {
        if (m_engine->hasType(t.name))
            return Error(ErrorCode::Conflict,
                         QStringLiteral("object type \"%1\" is already registered by %2")
                             .arg(t.name, owner(QStringLiteral("type:") + t.name)));
    }
    for (const auto &s : reg.services()) {
        if (m_engine->hasService(s.name))
            return Error(ErrorCode::Conflict,
                         QStringLiteral("service \"%1\" is already registered by %2")
                             .arg(s.name, owner(QStringLiteral("service:") + s.name)));
    }
    // A topic name is taken when another plugin declared it or it exists already (made by
    // the host). Event topics may be shared: every plugin's handlers are attached.
    const auto takenAs = [this](const QString &name) -> std::optional<TopicType> {
        if (const auto it = m_declaredTopics.constFind(name); it != m_declaredTopics.cend())
            return *it;
        if (const Topic *t = m_engine->topic(name); t && !m_deferTopics)
            return t->type();
        return std::nullopt;
    };
    for (const auto &t : reg.topics()) {
        if (takenAs(t.name))
            return Error(ErrorCode::Conflict,
                         QStringLiteral("topic \"%1\" already exists (made by %2)")
                             .arg(t.name, owner(QStringLiteral("topic:") + t.name)));
    }
    for (const auto &e : reg.events()) {
        const auto type = takenAs(e.name);
        if (type && *type != TopicType::Event)
            return Error(
                ErrorCode::Conflict,
                QStringLiteral("topic \"%1\" already exists and is not an event (made by %2)")
                    .arg(e.name, owner(QStringLiteral("topic:") + e.name)));
    }
    for (const auto &s : reg.scenes()) {
        if (m_scenes.contains(s.name))
            return Error(ErrorCode::Conflict,
                         QStringLiteral("scene \"%1\" is already offered by plugin \"%2\"")
                             .arg(s.name, m_scenes.value(s.name)->pluginId));
    }
    if (reg.accessPolicy() && m_accessPolicy)
        return Error(ErrorCode::Conflict,
                     QStringLiteral("an access policy is already provided by plugin \"%1\"")
                         .arg(m_accessPolicyOwner));
    return {};
}

struct PluginManager::PendingTopics
{
    Engine *engine = nullptr;
    QString pluginId;
    QList<PluginRegistration::PlainTopic> topics;
    QList<PluginRegistration::EventHandlers> events;
};

QStringList PluginManager::materialize(const PendingTopics &pending, bool strict)
{
    Engine *engine = pending.engine;
    QStringList problems;
    QStringList created;
    try {
        for (const auto &t : pending.topics) {
            if (const Topic *existing = engine->topic(t.name)) {
                if (existing->type() != t.type) {
                    const QString why =
                        QStringLiteral("topic \"%1\" exists as a %2 topic, not %3")
                            .arg(t.name, topicTypeName(existing->type()), topicTypeName(t.type));
                    if (strict)
                        throw Error(why);
                    problems.append(why);
                }
                continue; // restored with its value
            }
            engine->addTopic(t.name, t.type, t.initial, t.stateful);
            created.append(t.name);
        }
        for (const auto &e : pending.events) {
            auto *topic = engine->topicAs<EventTopic>(e.name);
            if (!topic) {
                if (engine->topic(e.name)) {
                    const QString why =
                        QStringLiteral("topic \"%1\" exists and is not an event: its "
                                       "handler is not attached")
                            .arg(e.name);
                    if (strict)
                        throw Error(why);
                    problems.append(why);
                    continue;
                }
                topic = static_cast<EventTopic *>(engine->addTopic(e.name, TopicType::Event));
                created.append(e.name);
            }
            topic->on(e.handler, e.inverse);
        }
    } catch (...) {
        for (qsizetype i = created.size() - 1; i >= 0; --i)
            static_cast<void>(catchAll([&] { engine->removeTopic(created.at(i)); }));
        throw;
    }
    return problems;
}

void PluginManager::apply(const PluginRegistration &reg, PluginInfo &info)
{
    const QString id = reg.pluginId();
    auto pending = std::make_unique<PendingTopics>();
    pending->engine = m_engine;
    pending->pluginId = id;
    pending->topics = reg.topics();
    pending->events = reg.events();
    if (!m_deferTopics)
        materialize(*pending, true); // throws: nothing of the plugin is applied
    QStringList registeredServices;
    try {
        for (const auto &s : reg.services()) {
            m_engine->registerService(s.name, s.handler);
            registeredServices.append(s.name);
        }
    } catch (...) {
        for (const QString &s : std::as_const(registeredServices))
            m_engine->unregisterService(s);
        throw;
    }
    for (const ObjectType &t : reg.types()) {
        m_engine->registerType(t);
        m_owners.insert(QStringLiteral("type:") + t.name, id);
        info.types.append(t.name);
        for (const QString &s : objectServicesOf(t))
            info.objectServices.append(QStringLiteral("<%1>/%2").arg(t.name, s));
    }
    for (const QString &s : std::as_const(registeredServices)) {
        m_owners.insert(QStringLiteral("service:") + s, id);
        info.services.append(s);
    }
    for (const auto &t : reg.topics()) {
        m_owners.insert(QStringLiteral("topic:") + t.name, id);
        m_declaredTopics.insert(t.name, t.type);
        info.topics.append(t.name);
    }
    for (const auto &e : reg.events()) {
        if (!m_declaredTopics.contains(e.name)) {
            m_owners.insert(QStringLiteral("topic:") + e.name, id);
            m_declaredTopics.insert(e.name, TopicType::Event);
        }
        if (!info.events.contains(e.name))
            info.events.append(e.name);
    }
    for (const auto &s : reg.scenes()) {
        m_scenes.insert(s.name,
                        std::make_shared<SceneEntry>(SceneEntry{id, s.description, s.builder}));
        info.scenes.append(s.name);
    }
    if (reg.accessPolicy()) {
        info.accessPolicy = true;
        m_accessPolicy = reg.accessPolicy();
        m_accessPolicyOwner = id;
        qCInfo(lcPlugins).noquote()
            << QStringLiteral("plugin %1 provides the access policy").arg(id);
    }
    if (m_deferTopics)
        m_pending.push_back(std::move(pending));
}

void PluginManager::createTopics(Engine *engine)
{
    if (!engine)
        engine = m_engine;
    std::vector<std::unique_ptr<PendingTopics>> pending;
    for (auto it = m_pending.begin(); it != m_pending.end();) {
        if ((*it)->engine == engine) {
            pending.push_back(std::move(*it));
            it = m_pending.erase(it);
        } else {
            ++it;
        }
    }
    for (const auto &p : pending) {
        QStringList problems;
        if (const Result<void> done = catchAll([&] { problems = materialize(*p, false); }); !done)
            problems.append(done.errorMessage());
        for (const QString &problem : std::as_const(problems))
            qCWarning(lcPlugins).noquote()
                << QStringLiteral("plugin %1: %2").arg(p->pluginId, problem);
        if (problems.isEmpty())
            continue;
        for (PluginInfo &info : m_infos) {
            if (info.isLoaded() && info.id == p->pluginId)
                info.error = problems.join(QStringLiteral("; "));
        }
        emit pluginsChanged();
    }
}

ObjectTypePlugin *PluginManager::plugin(const QString &id) const
{
    for (const auto &l : m_loaded)
        if (l->plugin && l->id == id)
            return l->plugin;
    return nullptr;
}

QStringList PluginManager::sceneNames() const
{
    QStringList names = m_scenes.keys();
    names.sort();
    return names;
}

QString PluginManager::sceneDescription(const QString &scene) const
{
    const auto entry = m_scenes.value(scene);
    return entry ? entry->description : QString();
}

QString PluginManager::sceneOwner(const QString &scene) const
{
    const auto entry = m_scenes.value(scene);
    return entry ? entry->pluginId : QString();
}

Result<void> PluginManager::buildScene(const QString &scene, Engine *engine)
{
    if (!engine)
        engine = m_engine;
    const auto entry = m_scenes.value(scene);
    if (!entry) {
        const QStringList names = sceneNames();
        return Error(
            ErrorCode::NotFound,
            names.isEmpty()
                ? QStringLiteral("unknown scene \"%1\": no loaded plugin offers a scene").arg(scene)
                : QStringLiteral("unknown scene \"%1\" (available: %2)")
                      .arg(scene, names.join(QStringLiteral(", "))));
    }
    if (!engine->root()->children().isEmpty()) {
        return Error(
            ErrorCode::Conflict,
            QStringLiteral("scene \"%1\" was not built: the workspace is not empty").arg(scene));
    }
    if (const Result<void> built = engine->tryTransition([&] { entry->builder(*engine); });
        !built) {
        return Error(built.error().code(),
                     QStringLiteral("scene \"%1\" of plugin \"%2\" failed: %3")
                         .arg(scene, entry->pluginId, built.error().message()));
    }
    // The scene is where the workspace starts: there is nothing before it to go back to.
    engine->clearHistory();
    qCInfo(lcPlugins).noquote()
        << QStringLiteral("built scene %1 of plugin %2").arg(scene, entry->pluginId);
    return {};
}

void PluginManager::forEachPlugin(Engine *engine, int origin, const QString &what,
                                  const std::function<void(ObjectTypePlugin *)> &call)
{
    for (const auto &l : m_loaded) {
        if (!l->plugin)
            continue;
        ObjectTypePlugin *p = l->plugin;
        const QString error = engine->tryTransition([&] { call(p); }, origin).errorMessage();
        if (!error.isEmpty())
            qCWarning(lcPlugins).noquote()
                << QStringLiteral("plugin %1 failed %2: %3").arg(l->id, what, error);
    }
}

void PluginManager::notifyStarted(Engine *engine)
{
    if (!engine)
        engine = m_engine;
    forEachPlugin(engine, 0, QStringLiteral("to start"),
                  [engine](ObjectTypePlugin *p) { p->started(*engine); });
}

void PluginManager::clientConnected(int clientId, const QString &address)
{
    clientConnectedTo(m_engine, clientId, address);
}

void PluginManager::clientDisconnected(int clientId)
{
    clientDisconnectedFrom(m_engine, clientId);
}

void PluginManager::clientConnectedTo(Engine *engine, int clientId, const QString &address)
{
    const QPointer<Engine> guarded(engine);
    if (engine->inTransition()) {
        QTimer::singleShot(0, this, [this, guarded, clientId, address] {
            if (guarded)
                clientConnectedTo(guarded, clientId, address);
        });
        return;
    }
    forEachPlugin(engine, clientId, QStringLiteral("on client %1 connecting").arg(clientId),
                  [&](ObjectTypePlugin *p) { p->clientConnected(*engine, clientId, address); });
}

void PluginManager::clientDisconnectedFrom(Engine *engine, int clientId)
{
    const QPointer<Engine> guarded(engine);
    if (engine->inTransition()) {
        QTimer::singleShot(0, this, [this, guarded, clientId] {
            if (guarded)
                clientDisconnectedFrom(guarded, clientId);
        });
        return;
    }
    forEachPlugin(engine, clientId, QStringLiteral("on client %1 leaving").arg(clientId),
                  [&](ObjectTypePlugin *p) { p->clientDisconnected(*engine, clientId); });
}

Result<void> PluginManager::installInto(Engine *engine, bool deferTopics)
{
    for (const auto &l : m_loaded) {
        if (!l->plugin)
            continue;
        PluginRegistration reg(engine, l->id, m_rooms);
        ObjectTypePlugin *plugin = l->plugin;
        if (const Result<void> done = catchAll([&] { plugin->initialize(reg); }); !done) {
            return Error(done.error().code(), QStringLiteral("plugin %1 failed to initialise: %2")
                                                  .arg(l->id, done.errorMessage()));
        }
        if (const Result<void> done = catchAll([&] { applyToRoom(reg, engine, deferTopics); });
            !done) {
            return Error(done.error().code(),
                         QStringLiteral("the declarations of plugin %1 could not be applied: %2")
                             .arg(l->id, done.errorMessage()));
        }
    }
    return {};
}

void PluginManager::applyToRoom(const PluginRegistration &reg, Engine *engine, bool deferTopics)
{
    auto pending = std::make_unique<PendingTopics>();
    pending->engine = engine;
    pending->pluginId = reg.pluginId();
    pending->topics = reg.topics();
    pending->events = reg.events();
    if (!deferTopics)
        materialize(*pending, true);
    for (const auto &s : reg.services())
        engine->registerService(s.name, s.handler);
    for (const ObjectType &t : reg.types())
        engine->registerType(t);
    if (deferTopics)
        m_pending.push_back(std::move(pending));
}

void PluginManager::forget(Engine *engine)
{
    std::erase_if(m_pending, [engine](const auto &p) { return p->engine == engine; });
}

} // namespace objectsync
