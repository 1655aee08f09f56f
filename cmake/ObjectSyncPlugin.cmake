# objectsync_add_plugin(): builds an ObjectSync object-type plugin.
#
# Used inside the ObjectSync source tree and, installed with the SDK, by plugins built on
# their own with find_package(ObjectSync). See docs/plugins.md.
#
#   objectsync_add_plugin(<target>
#     SOURCES <file>...            the plugin's sources and headers
#     [ID <id>]                    its id (default: <target>)
#     [VERSION <version>]          its version (default: PROJECT_VERSION)
#     [DESCRIPTION <text>]         one line for people (default: PROJECT_DESCRIPTION)
#     [METADATA <file.json>]       instead of ID, VERSION and DESCRIPTION: the explicit form
#     [LIBS <lib>...]              more libraries to link (privately)
#     [OUTPUT_DIRECTORY <dir>]     where the library goes (default: OBJECTSYNC_PLUGIN_OUTPUT_DIR
#                                  when set, else the current binary directory)
#     [INSTALL]                    install it where the SDK's objectsync-host looks for plugins
#     [INSTALL_DESTINATION <dir>]  install it there instead (implies INSTALL)
#     [INSTALL_COMPONENT <name>]   install component (default: the default component)
#   )
#
# Without METADATA the sources declare the plugin with OBJECTSYNC_PLUGIN() (or
# OBJECTSYNC_PLUGIN_CLASS()) from <objectsync/plugin.h>, and this function generates the rest:
# the Qt plugin class (QObject, Q_PLUGIN_METADATA, Q_INTERFACES) and its metadata file from
# ID, VERSION and DESCRIPTION.
#
# With METADATA (a JSON object with "id", "version" and "description") the sources hold the
# plugin class themselves, naming Q_PLUGIN_METADATA(... FILE "objectsync_plugin.json"); that
# file is generated from METADATA.
#
# Either way the metadata gets the engine API version the plugin is compiled for
# ("apiVersion"; an explicit "apiVersion" in METADATA is kept as it is), and the host checks
# it before loading the library.
#
# INSTALL puts the plugin into OBJECTSYNC_PLUGIN_INSTALL_DIR, the SDK's own plugin folder,
# whatever this project's CMAKE_INSTALL_PREFIX (inside the ObjectSync source tree:
# <libdir>/objectsync/plugins under the install prefix).
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

# The template of the generated plugin class lies next to this file, in the source tree and
# in an installed SDK alike. (A global property: this file is read once, from one directory.)
set_property(GLOBAL PROPERTY OBJECTSYNC_PLUGIN_CLASS_TEMPLATE
             "${CMAKE_CURRENT_LIST_DIR}/ObjectSyncPluginClass.cpp.in")

# Sets <out> to <text> as a JSON string (quoted, escaped).
function(_objectsync_json_string out text)
  string(REPLACE "\\" "\\\\" text "${text}")
  string(REPLACE "\"" "\\\"" text "${text}")
  string(REPLACE "\n" "\\n" text "${text}")
  string(REPLACE "\t" "\\t" text "${text}")
  set(${out} "\"${text}\"" PARENT_SCOPE)
endfunction()

function(objectsync_add_plugin target)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "INSTALL"
    "ID;VERSION;DESCRIPTION;METADATA;OUTPUT_DIRECTORY;INSTALL_DESTINATION;INSTALL_COMPONENT"
    "SOURCES;LIBS")
  set(where "objectsync_add_plugin(${target})")
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "${where}: unknown arguments: ${ARG_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "${where}: SOURCES is required")
  endif()
  if(NOT TARGET ObjectSync::syncengine)
    message(FATAL_ERROR "${where}: ObjectSync::syncengine is not known; "
                        "call find_package(ObjectSync) first")
  endif()

  set(generated_dir "${CMAKE_CURRENT_BINARY_DIR}/${target}_plugin")
  set(extra_sources)
  if(ARG_METADATA)
    # The explicit form: the metadata comes from a file, the sources hold the plugin class.
    foreach(key ID VERSION DESCRIPTION)
      if(DEFINED ARG_${key})
        message(FATAL_ERROR "${where}: give either METADATA or ${key}, not both")
      endif()
    endforeach()
    get_filename_component(metadata "${ARG_METADATA}" ABSOLUTE)
    if(NOT EXISTS "${metadata}")
      message(FATAL_ERROR "${where}: ${metadata} does not exist")
    endif()
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${metadata}")
    file(READ "${metadata}" json)
    list(APPEND extra_sources "${metadata}")
  else()
    # The one-file form: the metadata comes from the arguments, the plugin class is generated.
    set(metadata "the arguments")
    set(id "${ARG_ID}")
    if(NOT DEFINED ARG_ID)
      set(id "${target}")
    endif()
    set(version "${ARG_VERSION}")
    if(NOT DEFINED ARG_VERSION)
      set(version "${PROJECT_VERSION}")
    endif()
    set(description "${ARG_DESCRIPTION}")
    if(NOT DEFINED ARG_DESCRIPTION)
      set(description "${PROJECT_DESCRIPTION}")
    endif()
    if(version STREQUAL "")
      message(FATAL_ERROR "${where}: needs a VERSION (or a version in project())")
    endif()
    set(json "{}")
    foreach(key id version description)
      _objectsync_json_string(value "${${key}}")
      string(JSON json SET "${json}" ${key} "${value}")
    endforeach()

    string(MAKE_C_IDENTIFIER "ObjectSyncPlugin_${target}" OBJECTSYNC_CLASS)
    set(OBJECTSYNC_TARGET "${target}")
    set(class_source "${generated_dir}/${target}_pluginclass.cpp")
    set(OBJECTSYNC_MOC "${target}_pluginclass.moc")
    get_property(class_template GLOBAL PROPERTY OBJECTSYNC_PLUGIN_CLASS_TEMPLATE)
    configure_file("${class_template}" "${class_source}" @ONLY)
    list(APPEND extra_sources "${class_source}")
  endif()

  # Check the metadata now rather than when the host refuses the plugin.
  string(JSON json_type ERROR_VARIABLE json_error TYPE "${json}")
  if(json_error OR NOT json_type STREQUAL "OBJECT")
    message(FATAL_ERROR "${where}: ${metadata} is not a JSON object ${json_error}")
  endif()
  foreach(key id version)
    string(JSON value ERROR_VARIABLE json_error GET "${json}" ${key})
    if(json_error OR value STREQUAL "")
      message(FATAL_ERROR "${where}: ${metadata} needs a \"${key}\"")
    endif()
  endforeach()
  string(JSON plugin_id GET "${json}" id)
  if(NOT plugin_id MATCHES "^[A-Za-z0-9][A-Za-z0-9._-]*$")
    message(FATAL_ERROR "${where}: id \"${plugin_id}\" may only hold "
                        "letters, digits, '.', '-' and '_'")
  endif()
  string(JSON api_type ERROR_VARIABLE json_error TYPE "${json}" apiVersion)
  if(json_error)
    get_property(api GLOBAL PROPERTY OBJECTSYNC_API_VERSION)
    string(JSON json SET "${json}" apiVersion ${api})
  endif()
  # Written only when it changes, so that an unchanged plugin is not rebuilt.
  file(WRITE "${generated_dir}/objectsync_plugin.json.in" "${json}\n")
  configure_file("${generated_dir}/objectsync_plugin.json.in"
                 "${generated_dir}/objectsync_plugin.json" COPYONLY)

  add_library(${target} MODULE ${ARG_SOURCES} ${extra_sources})
  set_target_properties(${target} PROPERTIES
    AUTOMOC ON
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  # The engine's headers are C++20.
  target_compile_features(${target} PRIVATE cxx_std_20)
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
      if(IS_ABSOLUTE "${OBJECTSYNC_PLUGIN_INSTALL_DIR}")
        # An installed SDK (ObjectSyncConfig.cmake): its own plugin folder, where its host looks.
        set(destination "${OBJECTSYNC_PLUGIN_INSTALL_DIR}")
      else()
        # The ObjectSync source tree: the plugin folder under the install prefix.
        set(destination "${CMAKE_INSTALL_LIBDIR}/objectsync/plugins")
      endif()
      # <libdir>/objectsync/plugins -> <libdir>, where libobjectsync is.
      set_target_properties(${target} PROPERTIES INSTALL_RPATH "$ORIGIN/../..")
    endif()
    set(component_args)
    if(ARG_INSTALL_COMPONENT)
      set(component_args COMPONENT ${ARG_INSTALL_COMPONENT})
    endif()
    install(TARGETS ${target} LIBRARY DESTINATION "${destination}" ${component_args})
  endif()
endfunction()
