# The web pages a host serves on its port: the path rules and content types of static files
# (used by the transport's HTTP door) and the built-in demo pages (resources/web, compiled in
# under :/objectsync/web).
target_sources(objectsync_web PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/staticfiles.h
  ${CMAKE_CURRENT_LIST_DIR}/staticfiles.cpp
)

# The demo pages. The web client bundle is not compiled in: it is served from its directory
# (see Server::defaultWebRoots()).
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
