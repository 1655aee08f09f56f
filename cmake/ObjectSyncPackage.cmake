# The Debian package: `cmake --build build --target package` makes build/objectsync_<version>_<arch>.deb
# with the host, the bundled plugins, the web client and its npm tarball, the SDK (headers,
# library, CMake package files), a systemd unit that runs the host as its own user, and its
# configuration file /etc/objectsync/host.conf. Included at the end of the top-level
# CMakeLists.txt, once every install rule exists.
set(_pkg_dir "${PROJECT_SOURCE_DIR}/resources/packaging")

# The service: its unit, and its configuration file in /etc. The file goes to /etc when the
# prefix is /usr (the package), and under the prefix otherwise, so that a `cmake --install`
# into a folder of one's own never writes to /etc.
install(FILES "${_pkg_dir}/objectsync-host.service"
  DESTINATION "${CMAKE_INSTALL_LIBDIR}/systemd/system" COMPONENT service)
install(CODE "
  if(CMAKE_INSTALL_PREFIX STREQUAL \"/usr\")
    set(_objectsync_etc \"/etc/objectsync\")
  else()
    set(_objectsync_etc \"\${CMAKE_INSTALL_PREFIX}/etc/objectsync\")
  endif()
  file(INSTALL DESTINATION \"\${_objectsync_etc}\" TYPE FILE FILES \"${_pkg_dir}/host.conf\")
" COMPONENT service)
set(_doc_dir "${CMAKE_INSTALL_DATADIR}/doc/objectsync")
install(FILES "${PROJECT_SOURCE_DIR}/README.md" DESTINATION "${_doc_dir}" COMPONENT host)
install(DIRECTORY "${PROJECT_SOURCE_DIR}/docs/" DESTINATION "${_doc_dir}/docs"
  COMPONENT host PATTERN "images" EXCLUDE)

# The web client as an npm tarball, so that a front end can `npm install` it from the
# installed files (share/objectsync/objectsync-client-<version>.tgz).
if(OBJECTSYNC_BUILD_WEBCLIENT AND TARGET webclient)
  file(READ "${PROJECT_SOURCE_DIR}/webclient/package.json" _wc_package)
  string(JSON _wc_version GET "${_wc_package}" version)
  string(JSON _wc_name GET "${_wc_package}" name)
  set(_wc_tarball "${CMAKE_BINARY_DIR}/webclient/${_wc_name}-${_wc_version}.tgz")
  add_custom_command(
    OUTPUT "${_wc_tarball}"
    COMMAND "${NPM_EXECUTABLE}" pack --silent --pack-destination "${CMAKE_BINARY_DIR}/webclient"
    DEPENDS webclient "${PROJECT_SOURCE_DIR}/webclient/package.json"
    WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}/webclient"
    COMMENT "webclient: npm pack"
    VERBATIM)
  add_custom_target(webclient-tarball ALL DEPENDS "${_wc_tarball}")
  install(FILES "${_wc_tarball}" DESTINATION "${CMAKE_INSTALL_DATADIR}/objectsync" COMPONENT host)
endif()

set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "objectsync")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_CONTACT "ObjectSync maintainers <objectsync@localhost>")
set(CPACK_PACKAGE_DIRECTORY "${CMAKE_BINARY_DIR}")
# DESTDIR staging with the real prefix: the install rules above see /usr and put the
# configuration file in /etc.
set(CPACK_SET_DESTDIR ON)
set(CPACK_INSTALL_PREFIX "/usr")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION "net")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "objectsync-host keeps a tree of objects in sync, in real time, between one host and many
web and C++ clients over WebSockets. Object types come from plugins. The package holds the
host (with a systemd service and /etc/objectsync/host.conf), the bundled plugins, the
browser demo and web client, and the SDK for plugin authors.")
# Binaries without their debug information (the build keeps it).
set(CPACK_STRIP_FILES ON)
# The libraries it needs, as dpkg-shlibdeps finds them; useradd comes from passwd.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "passwd")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
  "${_pkg_dir}/postinst;${_pkg_dir}/prerm;${_pkg_dir}/postrm;${_pkg_dir}/conffiles")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# Tests, benchmarks and the like install nothing; everything else goes into one package.
include(CPack)
