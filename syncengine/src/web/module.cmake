# HTTP and WebSockets on one port: objectsync::WebFrontend serves the built-in demo pages
# (resources/web, compiled in under :/objectsync/web) and the web client bundle, and hands
# WebSocket upgrades to the protocol server.
find_package(Qt6 REQUIRED COMPONENTS Network WebSockets)
target_sources(syncengine PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/weblog.h
  ${CMAKE_CURRENT_LIST_DIR}/httprequest.h
  ${CMAKE_CURRENT_LIST_DIR}/httprequest.cpp
  ${CMAKE_CURRENT_LIST_DIR}/httpresponse.h
  ${CMAKE_CURRENT_LIST_DIR}/httpresponse.cpp
  ${CMAKE_CURRENT_LIST_DIR}/staticfiles.h
  ${CMAKE_CURRENT_LIST_DIR}/staticfiles.cpp
  ${CMAKE_CURRENT_LIST_DIR}/httpconnection.h
  ${CMAKE_CURRENT_LIST_DIR}/httpconnection.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tcprelay.h
  ${CMAKE_CURRENT_LIST_DIR}/tcprelay.cpp
  ${CMAKE_CURRENT_LIST_DIR}/webfrontend.cpp
)
list(APPEND OBJECTSYNC_PUBLIC_HEADERS include/objectsync/webfrontend.h)
target_link_libraries(syncengine PUBLIC Qt6::Network PRIVATE Qt6::WebSockets)

# The demo pages. The web client bundle is not compiled in: it is served from its directory
# (see WebFrontend::defaultRoots()).
set(_objectsync_web_dir "${PROJECT_SOURCE_DIR}/resources/web")
file(GLOB _objectsync_web_files CONFIGURE_DEPENDS
  "${_objectsync_web_dir}/*.html" "${_objectsync_web_dir}/*.js" "${_objectsync_web_dir}/*.css"
  "${_objectsync_web_dir}/*.svg" "${_objectsync_web_dir}/*.png")
if(_objectsync_web_files)
  qt_add_resources(syncengine objectsync_web
    PREFIX "/objectsync/web"
    BASE "${_objectsync_web_dir}"
    FILES ${_objectsync_web_files})
endif()
