# The WebSocket transport: objectsync::Server binds QWebSocketServer connections to protocol
# sessions. It only moves bytes and guards the door (Origin, handshake and idle timeouts,
# the access policy); the protocol logic is in src/protocol/.
find_package(Qt6 REQUIRED COMPONENTS Network WebSockets)
target_sources(syncengine PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/clientconnection.h
  ${CMAKE_CURRENT_LIST_DIR}/clientconnection.cpp
  ${CMAKE_CURRENT_LIST_DIR}/originpolicy.h
  ${CMAKE_CURRENT_LIST_DIR}/originpolicy.cpp
  ${CMAKE_CURRENT_LIST_DIR}/pendingupgrade.h
  ${CMAKE_CURRENT_LIST_DIR}/pendingupgrade.cpp
  ${CMAKE_CURRENT_LIST_DIR}/server.cpp
  ${CMAKE_CURRENT_LIST_DIR}/textframe.h
  ${CMAKE_CURRENT_LIST_DIR}/textframe.cpp
)
list(APPEND OBJECTSYNC_PUBLIC_HEADERS include/objectsync/server.h include/objectsync/access.h)
target_link_libraries(syncengine PUBLIC Qt6::Network PRIVATE Qt6::WebSockets)
