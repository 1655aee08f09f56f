# The plugin interface for plugin authors: headers only. The host (app/) implements the loader;
# objectsync_add_plugin() (cmake/ObjectSyncPlugin.cmake) generates each plugin's Qt class.
list(APPEND OBJECTSYNC_PUBLIC_HEADERS
  ${CMAKE_CURRENT_LIST_DIR}/../../include/objectsync/plugin.h
  ${CMAKE_CURRENT_LIST_DIR}/../../include/objectsync/serviceargs.h
)
