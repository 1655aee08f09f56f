# Starts a plugin with the scaffold of an installed SDK and checks the way docs/plugins.md
# describes it:
#   1. cmake --install the SDK alone (library, headers, CMake package, scaffold) into a fresh
#      prefix;
#   2. share/objectsync/new-plugin.sh writes a one-file plugin, a 4-line CMakeLists.txt and a
#      README; for the name "counter" it writes exactly plugins/counter/counter.cpp;
#   3. the plugin builds against the installed SDK, and the build tree's host loads it;
#   4. cmake --install puts it into the SDK's plugin folder, not under the plugin's own prefix;
#   5. a plugin whose source lacks OBJECTSYNC_PLUGIN() fails to link, naming the macro.
# Run with cmake -P; needs BUILD_DIR, SOURCE_DIR, WORK_DIR, HOST, GENERATOR, CXX_COMPILER,
# BUILD_TYPE.
foreach(var BUILD_DIR SOURCE_DIR WORK_DIR HOST GENERATOR CXX_COMPILER)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "scaffold_sdk.cmake: ${var} is not set")
  endif()
endforeach()

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${out}\n${err}")
  endif()
  set(run_out "${out}" PARENT_SCOPE)
endfunction()

function(expect text needle)
  string(FIND "${text}" "${needle}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "expected \"${needle}\" in:\n${text}")
  endif()
endfunction()

function(line_count file out)
  file(STRINGS "${file}" lines)
  list(LENGTH lines n)
  set(${out} ${n} PARENT_SCOPE)
endfunction()

set(prefix "${WORK_DIR}/sdk")
set(elsewhere "${WORK_DIR}/plugin-prefix")
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
set(build_type_arg)
if(BUILD_TYPE)
  set(build_type_arg "-DCMAKE_BUILD_TYPE=${BUILD_TYPE}")
endif()

# 1. The SDK alone: the library and headers (default component) and the package.
foreach(component Unspecified sdk)
  run("installing component ${component}"
      "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${prefix}" --component ${component})
endforeach()
set(scaffold "${prefix}/share/objectsync/new-plugin.sh")
if(NOT EXISTS "${scaffold}")
  message(FATAL_ERROR "the SDK lacks share/objectsync/new-plugin.sh")
endif()

# 2. A new plugin from the installed scaffold.
set(plugin "${WORK_DIR}/tally")
run("the scaffold" "${scaffold}" tally "${plugin}")
foreach(file tally.cpp CMakeLists.txt README.md)
  if(NOT EXISTS "${plugin}/${file}")
    message(FATAL_ERROR "the scaffold did not write ${file}")
  endif()
endforeach()
line_count("${plugin}/tally.cpp" source_lines)
line_count("${plugin}/CMakeLists.txt" cmake_lines)
if(source_lines GREATER 30 OR cmake_lines GREATER 4)
  message(FATAL_ERROR "the scaffold's plugin takes ${source_lines} lines of C++ and "
                      "${cmake_lines} lines of CMake; the guide promises 30 and 4")
endif()
file(READ "${plugin}/README.md" readme)
expect("${readme}" "-DCMAKE_PREFIX_PATH=${prefix}")
# The scaffold's counter is the guide's counter (without the licence line of this repository).
run("the scaffold, again" "${scaffold}" counter "${WORK_DIR}/counter")
file(READ "${WORK_DIR}/counter/counter.cpp" scaffolded)
file(READ "${SOURCE_DIR}/plugins/counter/counter.cpp" example)
string(REGEX REPLACE "^// SPDX-License-Identifier: MIT\n" "" example "${example}")
if(NOT scaffolded STREQUAL example)
  message(FATAL_ERROR "new-plugin.sh counter no longer writes plugins/counter/counter.cpp:\n"
                      "${scaffolded}")
endif()
execute_process(COMMAND "${scaffold}" tally "${plugin}" RESULT_VARIABLE rc
                OUTPUT_QUIET ERROR_VARIABLE err)
if(rc EQUAL 0)
  message(FATAL_ERROR "the scaffold overwrote a plugin")
endif()
expect("${err}" "exists already")

# 3. Built against the installed SDK only, loaded by the host.
run("configuring the plugin"
    "${CMAKE_COMMAND}" -S "${plugin}" -B "${plugin}/build" -G "${GENERATOR}"
    "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}" "-DCMAKE_PREFIX_PATH=${prefix}"
    "-DCMAKE_INSTALL_PREFIX=${elsewhere}" ${build_type_arg})
run("building the plugin" "${CMAKE_COMMAND}" --build "${plugin}/build")
run("listing the plugin" "${HOST}" --no-default-plugins --plugin-dir "${plugin}/build"
    --list-plugins)
expect("${run_out}" "tally 1.0.0 [loaded]")
expect("${run_out}" "types: Tally")

# 4. Installed where the SDK's host looks, whatever the plugin's own prefix.
run("installing the plugin" "${CMAKE_COMMAND}" --install "${plugin}/build")
file(GLOB installed "${prefix}/lib*/objectsync/plugins/*tally*")
if(NOT installed)
  message(FATAL_ERROR "the plugin was not installed into the SDK's plugin folder")
endif()
if(EXISTS "${elsewhere}")
  message(FATAL_ERROR "the plugin was installed under its own prefix ${elsewhere}")
endif()
get_filename_component(installed_dir "${installed}" DIRECTORY)
run("listing the installed plugin" "${HOST}" --no-default-plugins --plugin-dir "${installed_dir}"
    --list-plugins)
expect("${run_out}" "tally 1.0.0 [loaded]")

# 5. Without OBJECTSYNC_PLUGIN() the plugin does not link, and the error names the macro.
set(broken "${WORK_DIR}/nomacro")
file(MAKE_DIRECTORY "${broken}")
file(WRITE "${broken}/nomacro.cpp" "#include <objectsync/plugin.h>\n")
file(WRITE "${broken}/CMakeLists.txt" "cmake_minimum_required(VERSION 3.21)
project(nomacro VERSION 1.0.0 LANGUAGES CXX)
find_package(ObjectSync 0.1 REQUIRED)
objectsync_add_plugin(nomacro SOURCES nomacro.cpp)
")
run("configuring the plugin without a macro"
    "${CMAKE_COMMAND}" -S "${broken}" -B "${broken}/build" -G "${GENERATOR}"
    "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}" "-DCMAKE_PREFIX_PATH=${prefix}" ${build_type_arg})
execute_process(COMMAND "${CMAKE_COMMAND}" --build "${broken}/build"
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(rc EQUAL 0)
  message(FATAL_ERROR "a plugin without OBJECTSYNC_PLUGIN() linked")
endif()
expect("${out}${err}" "createPluginDeclaredWithOBJECTSYNC_PLUGIN")

file(REMOVE_RECURSE "${WORK_DIR}")
message(STATUS "the scaffold's plugin builds against the installed SDK, loads and installs")
