# The Windows build's dependencies (cmake/toolchains/mingw-w64.cmake), without Windows packages:
#   nlohmann/json and doctest are header-only: Debian's headers, copied into the build tree so
#   MinGW never sees the rest of /usr/include (glibc's headers would shadow its own);
#   SQLite is compiled from the amalgamation in OPTGUARD_SQLITE_AMALGAMATION (sqlite3.c and
#   sqlite3.h; scripts/windows-cross.sh unpacks a pinned one);
#   Boost is not used: Boost.Process would need a Windows Boost.Filesystem, and the host's two
#   child processes (os/host_probe, os/notifier) use CreateProcessW there instead (os/win32/).
set(OPTGUARD_HEADER_ONLY_INCLUDE "/usr/include" CACHE PATH "Where nlohmann/ and doctest/ are")
set(OPTGUARD_SQLITE_AMALGAMATION "" CACHE PATH "Folder with sqlite3.c and sqlite3.h")
set(OPTGUARD_THIRD_PARTY_INCLUDE "${CMAKE_BINARY_DIR}/third_party/include")
foreach(dir IN ITEMS nlohmann doctest)
  if(NOT EXISTS "${OPTGUARD_HEADER_ONLY_INCLUDE}/${dir}")
    message(FATAL_ERROR "${OPTGUARD_HEADER_ONLY_INCLUDE}/${dir} missing: apt-get install nlohmann-json3-dev doctest-dev")
  endif()
  file(COPY "${OPTGUARD_HEADER_ONLY_INCLUDE}/${dir}" DESTINATION "${OPTGUARD_THIRD_PARTY_INCLUDE}")
endforeach()
if(NOT EXISTS "${OPTGUARD_SQLITE_AMALGAMATION}/sqlite3.c")
  message(FATAL_ERROR "OPTGUARD_SQLITE_AMALGAMATION must name a folder with sqlite3.c (scripts/windows-cross.sh)")
endif()

add_library(nlohmann_json::nlohmann_json INTERFACE IMPORTED)
target_include_directories(nlohmann_json::nlohmann_json SYSTEM INTERFACE "${OPTGUARD_THIRD_PARTY_INCLUDE}")
add_library(doctest::doctest INTERFACE IMPORTED)
target_include_directories(doctest::doctest SYSTEM INTERFACE "${OPTGUARD_THIRD_PARTY_INCLUDE}")

add_library(optguard_sqlite3 STATIC "${OPTGUARD_SQLITE_AMALGAMATION}/sqlite3.c")
target_include_directories(optguard_sqlite3 SYSTEM PUBLIC "${OPTGUARD_SQLITE_AMALGAMATION}")
# Thread-safe as Debian builds it; no extension loading (the host loads none).
target_compile_definitions(optguard_sqlite3 PRIVATE SQLITE_THREADSAFE=1 SQLITE_OMIT_LOAD_EXTENSION)
add_library(SQLite::SQLite3 ALIAS optguard_sqlite3)
find_package(Threads REQUIRED)
