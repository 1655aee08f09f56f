# Installs the SDK plugin authors build against: libobjectsync and its headers (installed by
# syncengine/), the exported target ObjectSync::syncengine, the package configuration
# ObjectSyncConfig.cmake, objectsync_add_plugin() with the template of the plugin class it
# generates, and the scaffold share/objectsync/new-plugin.sh. Included by the top-level
# CMakeLists.txt once every target exists (at its end, or right after syncengine/ with
# OBJECTSYNC_SDK_ONLY).
include(CMakePackageConfigHelpers)

set(OBJECTSYNC_CMAKE_INSTALL_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/ObjectSync")
set(OBJECTSYNC_PLUGIN_INSTALL_DIR "${CMAKE_INSTALL_LIBDIR}/objectsync/plugins")
set(OBJECTSYNC_DATA_INSTALL_DIR "${CMAKE_INSTALL_DATADIR}/objectsync")

file(STRINGS "${PROJECT_SOURCE_DIR}/syncengine/include/objectsync/global.h" _objectsync_api_line
     REGEX "ApiVersion[ \t]*=[ \t]*[0-9]+")
string(REGEX MATCH "=[ \t]*[0-9]+" OBJECTSYNC_API_VERSION "${_objectsync_api_line}")
string(REGEX MATCH "[0-9]+" OBJECTSYNC_API_VERSION "${OBJECTSYNC_API_VERSION}")

# The Qt modules a user of libobjectsync needs: those it links publicly.
set(OBJECTSYNC_QT_COMPONENTS Core)
get_target_property(_objectsync_interface syncengine INTERFACE_LINK_LIBRARIES)
foreach(_lib IN LISTS _objectsync_interface)
  if(_lib MATCHES "^Qt6::([A-Za-z]+)$")
    list(APPEND OBJECTSYNC_QT_COMPONENTS ${CMAKE_MATCH_1})
  endif()
endforeach()
list(REMOVE_DUPLICATES OBJECTSYNC_QT_COMPONENTS)
list(JOIN OBJECTSYNC_QT_COMPONENTS " " OBJECTSYNC_QT_COMPONENTS)
set(OBJECTSYNC_QT_VERSION "${Qt6_VERSION_MAJOR}.${Qt6_VERSION_MINOR}")

install(EXPORT ObjectSyncTargets
  NAMESPACE ObjectSync::
  FILE ObjectSyncTargets.cmake
  DESTINATION "${OBJECTSYNC_CMAKE_INSTALL_DIR}"
  COMPONENT sdk)

configure_package_config_file(
  "${PROJECT_SOURCE_DIR}/cmake/ObjectSyncConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/cmake/ObjectSyncConfig.cmake"
  INSTALL_DESTINATION "${OBJECTSYNC_CMAKE_INSTALL_DIR}"
  PATH_VARS CMAKE_INSTALL_INCLUDEDIR OBJECTSYNC_PLUGIN_INSTALL_DIR OBJECTSYNC_DATA_INSTALL_DIR)
write_basic_package_version_file(
  "${PROJECT_BINARY_DIR}/cmake/ObjectSyncConfigVersion.cmake"
  VERSION ${PROJECT_VERSION}
  COMPATIBILITY SameMajorVersion)

install(FILES
  "${PROJECT_BINARY_DIR}/cmake/ObjectSyncConfig.cmake"
  "${PROJECT_BINARY_DIR}/cmake/ObjectSyncConfigVersion.cmake"
  "${PROJECT_SOURCE_DIR}/cmake/ObjectSyncPlugin.cmake"
  "${PROJECT_SOURCE_DIR}/cmake/ObjectSyncPluginClass.cpp.in"
  DESTINATION "${OBJECTSYNC_CMAKE_INSTALL_DIR}"
  COMPONENT sdk)
install(PROGRAMS "${PROJECT_SOURCE_DIR}/scripts/new-plugin.sh"
  DESTINATION "${OBJECTSYNC_DATA_INSTALL_DIR}"
  COMPONENT sdk)
