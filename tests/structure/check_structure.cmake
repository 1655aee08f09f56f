# Checks the layering of the engine and the size of source files, by reading #include lines.
#   cmake -DROOT=<source tree> [-DMAX_LINES=600] -P check_structure.cmake
# Fails, listing every violation, when
# - a file in syncengine/src/<folder> includes a header of a folder its layer may not use
#   (the allowed graph is below and in docs/architecture.md);
# - a private header (*_p.h) is included from another folder;
# - an internal header or source of syncengine/src exports a symbol (OBJECTSYNC_EXPORT);
# - a public header (syncengine/include/objectsync) includes anything but public headers,
#   Qt and the standard library;
# - app/, inspector/ or plugins/ include an engine header other than the public ones;
# - a source file of syncengine/, app/, inspector/src, plugins/ or tests/ is over MAX_LINES
#   lines.
cmake_minimum_required(VERSION 3.25)
if(NOT DEFINED ROOT)
  message(FATAL_ERROR "usage: cmake -DROOT=<source tree> -P check_structure.cmake")
endif()
if(NOT DEFINED MAX_LINES)
  set(MAX_LINES 600)
endif()

# Which engine folders each folder may include from (besides itself and the public headers).
set(allowed_model "")
set(allowed_protocol "model")
set(allowed_transport "protocol;model;web")
set(allowed_web "")
set(allowed_client "protocol;model")
set(allowed_storage "model")
set(allowed_plugin "")
set(layers model protocol transport web client storage plugin)

set(problems "")
macro(problem text)
  string(APPEND problems "  ${text}\n")
endmacro()

# ---- the engine's folders -----------------------------------------------------------------
foreach(layer IN LISTS layers)
  file(GLOB files "${ROOT}/syncengine/src/${layer}/*.h" "${ROOT}/syncengine/src/${layer}/*.cpp")
  foreach(file IN LISTS files)
    file(RELATIVE_PATH rel "${ROOT}" "${file}")
    file(STRINGS "${file}" includes REGEX "^[ \t]*#[ \t]*include[ \t]+\"")
    foreach(line IN LISTS includes)
      string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]+\"([^\"]+)\".*$" "\\1" header "${line}")
      if(header MATCHES "^([a-z]+)/")
        set(target_layer "${CMAKE_MATCH_1}")
        if(NOT target_layer STREQUAL layer AND NOT target_layer IN_LIST allowed_${layer})
          problem("${rel}: includes \"${header}\": ${layer} may not use ${target_layer}")
        endif()
        if(NOT target_layer STREQUAL layer AND header MATCHES "_p\\.h$")
          problem("${rel}: includes \"${header}\", a header private to ${target_layer}")
        endif()
      endif()
    endforeach()
  endforeach()
endforeach()

# ---- only the public API is exported from the shared library ------------------------------
foreach(layer IN LISTS layers)
  file(GLOB files "${ROOT}/syncengine/src/${layer}/*.h" "${ROOT}/syncengine/src/${layer}/*.cpp")
  foreach(file IN LISTS files)
    file(STRINGS "${file}" exports REGEX "OBJECTSYNC_EXPORT")
    if(exports)
      file(RELATIVE_PATH rel "${ROOT}" "${file}")
      problem("${rel}: exports an internal symbol (OBJECTSYNC_EXPORT outside the public headers)")
    endif()
  endforeach()
endforeach()

# ---- public headers: only public headers, Qt and the standard library -------------------
file(GLOB public_headers "${ROOT}/syncengine/include/objectsync/*.h")
foreach(file IN LISTS public_headers)
  file(RELATIVE_PATH rel "${ROOT}" "${file}")
  file(STRINGS "${file}" includes REGEX "^[ \t]*#[ \t]*include[ \t]+\"")
  foreach(line IN LISTS includes)
    problem("${rel}: a public header includes a private one: ${line}")
  endforeach()
endforeach()

# ---- the host, the inspector and the plugins use the public API only --------------------
foreach(dir app inspector plugins)
  file(GLOB_RECURSE files "${ROOT}/${dir}/*.h" "${ROOT}/${dir}/*.cpp")
  foreach(file IN LISTS files)
    file(RELATIVE_PATH rel "${ROOT}" "${file}")
    file(STRINGS "${file}" includes REGEX "^[ \t]*#[ \t]*include[ \t]+\"(model|protocol|transport|web|client|storage|plugin)/")
    foreach(line IN LISTS includes)
      problem("${rel}: includes an engine header that is not public: ${line}")
    endforeach()
  endforeach()
endforeach()

# ---- file sizes -----------------------------------------------------------------------------
file(GLOB_RECURSE sources
  "${ROOT}/syncengine/*.h" "${ROOT}/syncengine/*.cpp"
  "${ROOT}/app/*.h" "${ROOT}/app/*.cpp"
  "${ROOT}/inspector/src/*.h" "${ROOT}/inspector/src/*.cpp"
  "${ROOT}/plugins/*.h" "${ROOT}/plugins/*.cpp"
  "${ROOT}/tests/*.h" "${ROOT}/tests/*.cpp")
foreach(file IN LISTS sources)
  file(READ "${file}" text)
  string(REGEX MATCHALL "\n" newlines "${text}")
  list(LENGTH newlines count)
  if(count GREATER MAX_LINES)
    file(RELATIVE_PATH rel "${ROOT}" "${file}")
    problem("${rel}: ${count} lines, more than ${MAX_LINES}")
  endif()
endforeach()

if(problems)
  message(FATAL_ERROR "The structure rules are broken:\n${problems}")
endif()
message(STATUS "structure: the layers and file sizes are as documented")
