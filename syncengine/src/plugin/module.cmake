# The plugin interface for plugin authors: a header only. The host (app/) implements the loader.
list(APPEND OBJECTSYNC_PUBLIC_HEADERS
  ${CMAKE_CURRENT_LIST_DIR}/../../include/objectsync/plugin.h
)
