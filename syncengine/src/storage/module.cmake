# Storage: durable workspaces (SQLite through Qt SQL): journal, snapshots, restore.
find_package(Qt6 REQUIRED COMPONENTS Sql)
target_link_libraries(objectsync_storage PRIVATE Qt6::Sql)
target_sources(objectsync_storage PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/storage_p.h
  ${CMAKE_CURRENT_LIST_DIR}/checksum.h
  ${CMAKE_CURRENT_LIST_DIR}/checksum.cpp
  ${CMAKE_CURRENT_LIST_DIR}/bytebuffer.h
  ${CMAKE_CURRENT_LIST_DIR}/journalcodec.h
  ${CMAKE_CURRENT_LIST_DIR}/journalcodec.cpp
  ${CMAKE_CURRENT_LIST_DIR}/journaljson.h
  ${CMAKE_CURRENT_LIST_DIR}/journaljson.cpp
  ${CMAKE_CURRENT_LIST_DIR}/database.h
  ${CMAKE_CURRENT_LIST_DIR}/database.cpp
  ${CMAKE_CURRENT_LIST_DIR}/enginebridge.h
  ${CMAKE_CURRENT_LIST_DIR}/enginebridge.cpp
  ${CMAKE_CURRENT_LIST_DIR}/snapshotdata.h
  ${CMAKE_CURRENT_LIST_DIR}/snapshotdata.cpp
  ${CMAKE_CURRENT_LIST_DIR}/restoreplan.h
  ${CMAKE_CURRENT_LIST_DIR}/restoreplan.cpp
  ${CMAKE_CURRENT_LIST_DIR}/journalwriter.h
  ${CMAKE_CURRENT_LIST_DIR}/latencyhistogram.h
  ${CMAKE_CURRENT_LIST_DIR}/journalwriter.cpp
  ${CMAKE_CURRENT_LIST_DIR}/replacestate.h
  ${CMAKE_CURRENT_LIST_DIR}/replacestate.cpp
  ${CMAKE_CURRENT_LIST_DIR}/workspace_p.h
  ${CMAKE_CURRENT_LIST_DIR}/workspace.cpp
  ${CMAKE_CURRENT_LIST_DIR}/workspaceswitch.cpp
)
target_sources(objectsync_storage PRIVATE ${CMAKE_CURRENT_LIST_DIR}/../../include/objectsync/workspace.h)
list(APPEND OBJECTSYNC_PUBLIC_HEADERS include/objectsync/workspace.h)
