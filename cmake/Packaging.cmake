# `cpack` (in the build folder) builds optguard_<version>_<arch>.deb:
#   /usr/bin/optguard-host and the /usr/bin/optguard link, /usr/share/optguard/catalog/*.json
#   (the host finds it at <bin>/../share/optguard/catalog), and the system-wide host manifests of
#   the Chromium family and Firefox, all naming /usr/bin/optguard-host.
# tests/package/deb-test.sh installs and removes it and checks that nothing is left behind.
# The manifests are their own install component, left out of a plain `cmake --install`, so
# installing to a prefix never writes to /etc.

set(OPTGUARD_PACKAGE_HOST_PATH "/usr/bin/optguard-host")
set(OPTGUARD_HOST_PATH "${OPTGUARD_PACKAGE_HOST_PATH}")
set(OPTGUARD_PACKAGE_STAGING "${CMAKE_BINARY_DIR}/package")
configure_file("${CMAKE_CURRENT_SOURCE_DIR}/manifests/chromium.json.in"
               "${OPTGUARD_PACKAGE_STAGING}/chromium/${OPTGUARD_HOST_NAME}.json" @ONLY)
configure_file("${CMAKE_CURRENT_SOURCE_DIR}/manifests/firefox.json.in"
               "${OPTGUARD_PACKAGE_STAGING}/firefox/${OPTGUARD_HOST_NAME}.json" @ONLY)
file(CREATE_LINK optguard-host "${OPTGUARD_PACKAGE_STAGING}/optguard" SYMBOLIC)

# The system-wide folders, as in installer/browsers.tsv (linux, system).
foreach(folder IN ITEMS /etc/opt/chrome/native-messaging-hosts /etc/chromium/native-messaging-hosts
                        /etc/opt/edge/native-messaging-hosts)
  install(FILES "${OPTGUARD_PACKAGE_STAGING}/chromium/${OPTGUARD_HOST_NAME}.json"
          DESTINATION "${folder}" COMPONENT system_manifests EXCLUDE_FROM_ALL)
endforeach()
install(FILES "${OPTGUARD_PACKAGE_STAGING}/firefox/${OPTGUARD_HOST_NAME}.json"
        DESTINATION /usr/lib/mozilla/native-messaging-hosts COMPONENT system_manifests EXCLUDE_FROM_ALL)
install(FILES "${OPTGUARD_PACKAGE_STAGING}/optguard" DESTINATION "${CMAKE_INSTALL_BINDIR}"
        COMPONENT system_manifests EXCLUDE_FROM_ALL)

set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "optguard")
set(CPACK_PACKAGE_VENDOR "OptGuard")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Keeps \"don't train AI on my data\" settings switched off (native helper)")
set(CPACK_PACKAGE_CONTACT "OptGuard maintainers <maintainers@optguard.dev>")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_COMPONENTS_ALL Unspecified system_manifests)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_GROUPING ALL_COMPONENTS_IN_ONE) # one package with every component above
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION "utils")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://optguard.dev")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "Keeps \"don't train AI on my data\" settings switched off (native helper)
 The OptGuard browser extension (Chrome, Chromium, Edge, Firefox) uses this helper to record, on
 this machine only, which AI-training settings were verified and when. `optguard doctor` checks
 that every browser can reach it.")
include(CPack)
