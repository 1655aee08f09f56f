# The host's door: objectsync::Server listens on one port (TCP or TLS), reads each HTTP request
# head once with Qt's QAbstractHttpServer, serves pages and routes, and lets WebSocket upgrades
# go on to Qt's WebSocket handshake; each QWebSocket is then bound to a protocol session. It
# only moves bytes and guards the door (pending-connection bounds, Origin, timeouts, the access
# policy); the protocol logic is in src/protocol/.
find_package(Qt6 REQUIRED COMPONENTS Network WebSockets HttpServer)
target_sources(objectsync_transport PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/clientconnection.h
  ${CMAKE_CURRENT_LIST_DIR}/clientconnection.cpp
  ${CMAKE_CURRENT_LIST_DIR}/httpdoor.h
  ${CMAKE_CURRENT_LIST_DIR}/httpdoor.cpp
  ${CMAKE_CURRENT_LIST_DIR}/listeners.h
  ${CMAKE_CURRENT_LIST_DIR}/listeners.cpp
  ${CMAKE_CURRENT_LIST_DIR}/originpolicy.h
  ${CMAKE_CURRENT_LIST_DIR}/originpolicy.cpp
  ${CMAKE_CURRENT_LIST_DIR}/pendingconnections.h
  ${CMAKE_CURRENT_LIST_DIR}/pendingconnections.cpp
  ${CMAKE_CURRENT_LIST_DIR}/roompath.cpp
  ${CMAKE_CURRENT_LIST_DIR}/server.cpp
  ${CMAKE_CURRENT_LIST_DIR}/server_p.h
  ${CMAKE_CURRENT_LIST_DIR}/serverclients.cpp
)
target_sources(objectsync_transport PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/../../include/objectsync/server.h
  ${CMAKE_CURRENT_LIST_DIR}/../../include/objectsync/room.h)
list(APPEND OBJECTSYNC_PUBLIC_HEADERS include/objectsync/server.h include/objectsync/room.h)
target_link_libraries(objectsync_transport PRIVATE Qt6::WebSockets Qt6::HttpServer)
