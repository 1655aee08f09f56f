# objectsync_add_plugin(): builds an ObjectSync object-type plugin.
#
# Used inside the ObjectSync source tree and, installed with the SDK, by plugins built on
# their own with find_package(ObjectSync). See docs/plugins.md.
#
#   objectsync_add_plugin(<target>
#     SOURCES <file>...            the plugin's sources and headers
#     METADATA <file.json>         its metadata: "id", "version", "description"
#     [LIBS <lib>...]              more libraries to link (privately)
#     [OUTPUT_DIRECTORY <dir>]     where the library goes (default: OBJECTSYNC_PLUGIN_OUTPUT_DIR
#                                  when set, else the current binary directory)
#     [INSTALL]                    install it where objectsync-host looks by default
#     [INSTALL_DESTINATION <dir>]  install it there instead (implies INSTALL)
#     [INSTALL_COMPONENT <name>]   install component (default: the default component)
#   )
#
# The metadata file the plugin class names in Q_PLUGIN_METADATA(... FILE
# "objectsync_plugin.json") is generated from METADATA: it is the same JSON with the engine
# API version the plugin is compiled for ("apiVersion") added. An explicit "apiVersion" in
# METADATA is kept as it is.
include_guard(GLOBAL)

include(GNUInstallDirs)

if(NOT DEFINED OBJECTSYNC_API_VERSION)
  get_property(_objectsync_api GLOBAL PROPERTY OBJECTSYNC_API_VERSION)
  if(NOT _objectsync_api)
    # Inside the source tree: read it from the engine's header.
    set(_objectsync_global_h "${CMAKE_CURRENT_LIST_DIR}/../syncengine/include/objectsync/global.h")
    if(EXISTS "${_objectsync_global_h}")
      file(STRINGS "${_objectsync_global_h}" _objectsync_api_line
           REGEX "ApiVersion[ \t]*=[ \t]*[0-9]+")
      string(REGEX MATCH "=[ \t]*[0-9]+" _objectsync_api "${_objectsync_api_line}")
      string(REGEX MATCH "[0-9]+" _objectsync_api "${_objectsync_api}")
    endif()
  endif()
  if(NOT _objectsync_api)
    message(FATAL_ERROR "ObjectSyncPlugin.cmake: cannot tell the engine API version")
  endif()
  set(OBJECTSYNC_API_VERSION ${_objectsync_api})
endif()
set_property(GLOBAL PROPERTY OBJECTSYNC_API_VERSION ${OBJECTSYNC_API_VERSION})

function(objectsync_add_plugin target)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "INSTALL"
    "METADATA;OUTPUT_DIRECTORY;INSTALL_DESTINATION;INSTALL_COMPONENT" "SOURCES;LIBS")
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "objectsync_add_plugin(${target}): unknown arguments: ${ARG_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "objectsync_add_plugin(${target}): SOURCES is required")
  endif()
  if(NOT ARG_METADATA)
    message(FATAL_ERROR "objectsync_add_plugin(${target}): METADATA <file.json> is required")
  endif()
  if(NOT TARGET ObjectSync::syncengine)
    message(FATAL_ERROR "objectsync_add_plugin(${target}): ObjectSync::syncengine is not known; "
                        "call find_package(ObjectSync) first")
  endif()

  # The metadata: check it now rather than when the host refuses the plugin.
  get_filename_component(metadata "${ARG_METADATA}" ABSOLUTE)
  if(NOT EXISTS "${metadata}")
    message(FATAL_ERROR "objectsync_add_plugin(${target}): ${metadata} does not exist")
  endif()
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${metadata}")
  file(READ "${metadata}" json)
  string(JSON json_type ERROR_VARIABLE json_error TYPE "${json}")
  if(json_error OR NOT json_type STREQUAL "OBJECT")
    message(FATAL_ERROR "objectsync_add_plugin(${target}): ${metadata} is not a JSON object ${json_error}")
  endif()
  foreach(key id version)
    string(JSON value ERROR_VARIABLE json_error GET "${json}" ${key})
    if(json_error OR value STREQUAL "")
      message(FATAL_ERROR "objectsync_add_plugin(${target}): ${metadata} needs a \"${key}\"")
    endif()
  endforeach()
  string(JSON plugin_id GET "${json}" id)
  if(NOT plugin_id MATCHES "^[A-Za-z0-9][A-Za-z0-9._-]*$")
    message(FATAL_ERROR "objectsync_add_plugin(${target}): id \"${plugin_id}\" may only hold "
                        "letters, digits, '.', '-' and '_'")
  endif()
  string(JSON api_type ERROR_VARIABLE json_error TYPE "${json}" apiVersion)
  if(json_error)
    get_property(api GLOBAL PROPERTY OBJECTSYNC_API_VERSION)
    string(JSON json SET "${json}" apiVersion ${api})
  endif()
  set(generated_dir "${CMAKE_CURRENT_BINARY_DIR}/${target}_metadata")
  file(WRITE "${generated_dir}/objectsync_plugin.json.in" "${json}\n")
  configure_file("${generated_dir}/objectsync_plugin.json.in"
                 "${generated_dir}/objectsync_plugin.json" COPYONLY)

  add_library(${target} MODULE ${ARG_SOURCES} "${metadata}")
  set_target_properties(${target} PROPERTIES
    AUTOMOC ON
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  target_include_directories(${target} PRIVATE "${generated_dir}")
  target_link_libraries(${target} PRIVATE ObjectSync::syncengine ${ARG_LIBS})

  if(ARG_OUTPUT_DIRECTORY)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${ARG_OUTPUT_DIRECTORY}")
  elseif(OBJECTSYNC_PLUGIN_OUTPUT_DIR)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${OBJECTSYNC_PLUGIN_OUTPUT_DIR}")
  endif()

  if(ARG_INSTALL OR ARG_INSTALL_DESTINATION)
    set(destination "${ARG_INSTALL_DESTINATION}")
    if(NOT destination)
      set(destination "${CMAKE_INSTALL_LIBDIR}/objectsync/plugins")
      # lib/objectsync/plugins -> lib, where libobjectsync is.
      set_target_properties(${target} PROPERTIES INSTALL_RPATH "$ORIGIN/../..")
    endif()
    set(component_args)
    if(ARG_INSTALL_COMPONENT)
      set(component_args COMPONENT ${ARG_INSTALL_COMPONENT})
    endif()
    install(TARGETS ${target} LIBRARY DESTINATION "${destination}" ${component_args})
  endif()
endfunction()
