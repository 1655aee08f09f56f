// SPDX-License-Identifier: MIT
#pragma once

/*! \file wire.h
 * Names that appear on the wire: message types, field names and the engine topics the
 * protocol treats specially. Wire names live here and nowhere else in C++ code. */

#include <QLatin1String>
#include <QLoggingCategory>

namespace objectsync::protocol {

Q_DECLARE_LOGGING_CATEGORY(lcProtocol)

namespace wire {

// ---- envelope -----------------------------------------------------------------------------
inline constexpr QLatin1String type("type");
inline constexpr QLatin1String args("args");
inline constexpr QLatin1String token("token"); //!< in a client's hello: its credentials

// ---- message types ------------------------------------------------------------------------
inline constexpr QLatin1String hello("hello");
inline constexpr QLatin1String subscribe("subscribe");
inline constexpr QLatin1String unsubscribe("unsubscribe");
inline constexpr QLatin1String action("action");
inline constexpr QLatin1String request("request");
inline constexpr QLatin1String response("response");
inline constexpr QLatin1String init("init");
inline constexpr QLatin1String update("update");
inline constexpr QLatin1String reject("reject");
inline constexpr QLatin1String error("error"); //!< extension: sent only to clients that opted in
/*! Extension (batched join): many topics in one request, their values in few answers. */
inline constexpr QLatin1String subscribeMany("subscribe_many");
inline constexpr QLatin1String initMany("init_many");

// ---- message fields -----------------------------------------------------------------------
inline constexpr QLatin1String id("id");
inline constexpr QLatin1String version("version");
inline constexpr QLatin1String topicName("topic_name");
inline constexpr QLatin1String value("value");
inline constexpr QLatin1String commands("commands");
inline constexpr QLatin1String actionId("action_id");
inline constexpr QLatin1String changes("changes");
inline constexpr QLatin1String reason("reason");
inline constexpr QLatin1String serviceName("service_name");
inline constexpr QLatin1String requestId("request_id");
inline constexpr QLatin1String messageType("message_type");
inline constexpr QLatin1String target("target");
inline constexpr QLatin1String features("features"); //!< in the host's hello: its extensions
inline constexpr QLatin1String topicNames("topic_names");
inline constexpr QLatin1String prefixes("prefixes");
inline constexpr QLatin1String topics("topics");
inline constexpr QLatin1String listed("listed");
inline constexpr QLatin1String descriptors("descriptors");
inline constexpr QLatin1String unknown("unknown");
inline constexpr QLatin1String last("last");

// ---- change fields ------------------------------------------------------------------------
inline constexpr QLatin1String topicType("topic_type");
inline constexpr QLatin1String oldValue("old_value");
inline constexpr QLatin1String item("item");
inline constexpr QLatin1String position("position");
inline constexpr QLatin1String key("key");
inline constexpr QLatin1String insertion("insertion");
inline constexpr QLatin1String deletion("deletion");
inline constexpr QLatin1String topicVersion("topic_version");
inline constexpr QLatin1String resultTopicVersion("result_topic_version");

// ---- special action ids and services ------------------------------------------------------
inline constexpr QLatin1String clockActionId("clock");
inline constexpr QLatin1String undoService("undo");
inline constexpr QLatin1String redoService("redo");
/*! The feature the host announces in its hello when it answers subscribe_many. */
inline constexpr QLatin1String batchedJoinFeature("subscribe_many");

// ---- engine topics the protocol knows by name ---------------------------------------------
// (their names are objectsync::names::topicList, createObject and destroyObject)
inline constexpr QLatin1String serialized("serialized");
inline constexpr QLatin1String children("children");

} // namespace wire
} // namespace objectsync::protocol
