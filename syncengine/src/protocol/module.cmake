# The wire protocol, with no I/O: change codec, JSON writer and limits, per-connection
# Session, and the Hub that broadcasts committed transitions.
target_sources(objectsync_protocol PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/wire.h
  ${CMAKE_CURRENT_LIST_DIR}/jsonwriter.h
  ${CMAKE_CURRENT_LIST_DIR}/jsonwriter.cpp
  ${CMAKE_CURRENT_LIST_DIR}/jsonlimits.h
  ${CMAKE_CURRENT_LIST_DIR}/jsonlimits.cpp
  ${CMAKE_CURRENT_LIST_DIR}/changecodec.h
  ${CMAKE_CURRENT_LIST_DIR}/changecodec.cpp
  ${CMAKE_CURRENT_LIST_DIR}/changemerge.h
  ${CMAKE_CURRENT_LIST_DIR}/changemerge.cpp
  ${CMAKE_CURRENT_LIST_DIR}/clientpolicy.h
  ${CMAKE_CURRENT_LIST_DIR}/clientpolicy.cpp
  ${CMAKE_CURRENT_LIST_DIR}/messages.h
  ${CMAKE_CURRENT_LIST_DIR}/messages.cpp
  ${CMAKE_CURRENT_LIST_DIR}/initmany.h
  ${CMAKE_CURRENT_LIST_DIR}/initmany.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sessionlimits.h
  ${CMAKE_CURRENT_LIST_DIR}/session.h
  ${CMAKE_CURRENT_LIST_DIR}/session.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sessionaccess.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sessionrequests.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sessionjoin.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sessionutil.h
  ${CMAKE_CURRENT_LIST_DIR}/subscriber.h
  ${CMAKE_CURRENT_LIST_DIR}/hub.h
  ${CMAKE_CURRENT_LIST_DIR}/hub.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../../include/objectsync/access.h
)
list(APPEND OBJECTSYNC_PUBLIC_HEADERS include/objectsync/access.h)
# The access policy's request carries the peer's QHostAddress (a value; no I/O here).
find_package(Qt6 REQUIRED COMPONENTS Network)
target_link_libraries(objectsync_protocol PUBLIC Qt6::Network)
