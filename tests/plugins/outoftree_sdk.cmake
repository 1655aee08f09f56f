# Builds the example plugin in tests/plugins/outoftree/ (the sticky notes of docs/plugins.md)
# against an installed SDK, the way a plugin author would, and checks that the host loads it:
#   1. cmake --install the build tree into a fresh prefix (library, headers, package config,
#      host and example plugins);
#   2. configure and build the example with find_package(ObjectSync) from that prefix, and
#      install it there;
#   3. the build tree's host loads the new plugin from its build directory; the installed host
#      finds the installed plugins by itself.
# Run with cmake -P; needs BUILD_DIR, SOURCE_DIR, WORK_DIR, HOST, GENERATOR, CXX_COMPILER,
# BUILD_TYPE.
foreach(var BUILD_DIR SOURCE_DIR WORK_DIR HOST GENERATOR CXX_COMPILER)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "outoftree_sdk.cmake: ${var} is not set")
  endif()
endforeach()

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${out}\n${err}")
  endif()
  set(run_out "${out}" PARENT_SCOPE)
  set(run_err "${err}" PARENT_SCOPE)
endfunction()

function(expect text needle)
  string(FIND "${text}" "${needle}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "expected \"${needle}\" in:\n${text}")
  endif()
endfunction()

set(prefix "${WORK_DIR}/prefix")
set(example_build "${WORK_DIR}/build")
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

# 1. The SDK (library and headers are in the default component), the host and its plugins.
foreach(component Unspecified sdk host plugins)
  run("installing component ${component}"
      "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${prefix}" --component ${component})
endforeach()
foreach(file include/objectsync/plugin.h include/objectsync/engine.h)
  if(NOT EXISTS "${prefix}/${file}")
    message(FATAL_ERROR "the SDK lacks ${file}")
  endif()
endforeach()
file(GLOB_RECURSE config "${prefix}/*/ObjectSyncConfig.cmake")
if(NOT config)
  message(FATAL_ERROR "the SDK lacks ObjectSyncConfig.cmake")
endif()

# 2. The example, from its own source folder, against the installed SDK only.
set(build_type_arg)
if(BUILD_TYPE)
  set(build_type_arg "-DCMAKE_BUILD_TYPE=${BUILD_TYPE}")
endif()
run("configuring the example"
    "${CMAKE_COMMAND}" -S "${SOURCE_DIR}/tests/plugins/outoftree" -B "${example_build}"
    -G "${GENERATOR}" "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}" "-DCMAKE_PREFIX_PATH=${prefix}"
    "-DCMAKE_INSTALL_PREFIX=${prefix}" ${build_type_arg})
run("building the example" "${CMAKE_COMMAND}" --build "${example_build}" -j 2)
run("installing the example" "${CMAKE_COMMAND}" --install "${example_build}")

# 3a. The host's loader takes the plugin from the example's build directory.
run("listing plugins" "${HOST}" --no-default-plugins --plugin-dir "${example_build}/plugins" --list-plugins)
expect("${run_out}" "stickynotes 1.0.0 [loaded]")
expect("${run_out}" "types: StickyNote")
expect("${run_out}" "notes (stickynotes): three sticky notes")

# 3b. The installed host finds the installed plugins, the example's among them.
file(GLOB installed_host "${prefix}/bin/objectsync-host")
if(NOT installed_host)
  message(FATAL_ERROR "the host was not installed")
endif()
run("listing installed plugins" "${installed_host}" --list-plugins)
expect("${run_out}" "stickynotes 1.0.0 [loaded]")
expect("${run_out}" "dom 1.0.0 [loaded]")
expect("${run_out}" "taskboard 1.0.0 [loaded]")
expect("${run_out}" "counter 1.0.0 [loaded]")
expect("${run_out}" "${prefix}/")

file(REMOVE_RECURSE "${WORK_DIR}")
message(STATUS "the example plugin builds against the installed SDK and loads")
