# The C++ client: connection, topic mirror, optimistic changes, reconciliation, services.
find_package(Qt6 REQUIRED COMPONENTS WebSockets)
target_sources(objectsync_client PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/wirecodec.h
  ${CMAKE_CURRENT_LIST_DIR}/wirecodec.cpp
  ${CMAKE_CURRENT_LIST_DIR}/mirrortopic.h
  ${CMAKE_CURRENT_LIST_DIR}/mirrortopic.cpp
  ${CMAKE_CURRENT_LIST_DIR}/texttransform.h
  ${CMAKE_CURRENT_LIST_DIR}/texttransform.cpp
  ${CMAKE_CURRENT_LIST_DIR}/client_p.h
  ${CMAKE_CURRENT_LIST_DIR}/client.cpp
  ${CMAKE_CURRENT_LIST_DIR}/clientchanges.cpp
  ${CMAKE_CURRENT_LIST_DIR}/clientmessages.cpp
  ${CMAKE_CURRENT_LIST_DIR}/clientreconcile.cpp
  ${CMAKE_CURRENT_LIST_DIR}/clienttree.cpp
  ${CMAKE_CURRENT_LIST_DIR}/clientjoin.cpp
  ${CMAKE_CURRENT_LIST_DIR}/clientreconnect.cpp
  ${CMAKE_CURRENT_LIST_DIR}/backoff.h
  ${CMAKE_CURRENT_LIST_DIR}/backoff.cpp
)
target_sources(objectsync_client PRIVATE ${CMAKE_CURRENT_LIST_DIR}/../../include/objectsync/client.h)
list(APPEND OBJECTSYNC_PUBLIC_HEADERS include/objectsync/client.h)
target_link_libraries(objectsync_client PRIVATE Qt6::WebSockets)
