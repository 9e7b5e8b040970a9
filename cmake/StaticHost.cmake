# optguard-host linked fully static (static-pie): the browser starts the host for every connection,
# and loading and relocating shared libraries (libstdc++, SQLite, libc) was most of a cold `hello`
# (bench figure 1: 1.7x the C echo host with libc still shared, about 1.1x fully static). Position
# independent, so the host keeps address-space randomisation. The price: a security update of the
# distribution's glibc, libstdc++, SQLite or Boost reaches the host with its next build (a package
# upgrade rebuilds it). Off, or where it cannot be (sanitizers, clang, Windows, no static archives),
# the host is linked like any program.
#
# Include before find_package(Boost ...): static Boost archives must be chosen there.
# Sets OPTGUARD_STATIC_HOST_ACTIVE, and the target optguard::sqlite (the archive, or SQLite::SQLite3
# once optguard_sqlite_target() ran after find_package(SQLite3)).

include(CheckLinkerFlag)
option(OPTGUARD_STATIC_HOST "Link optguard-host fully static (static-pie)" ON)
set(OPTGUARD_STATIC_HOST_ACTIVE OFF)
if(OPTGUARD_STATIC_HOST AND NOT OPTGUARD_SANITIZE AND NOT WIN32
   AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  check_linker_flag(CXX "-static-pie" OPTGUARD_HAS_STATIC_PIE)
  find_library(OPTGUARD_SQLITE_ARCHIVE NAMES libsqlite3.a)
  find_library(OPTGUARD_SODIUM_ARCHIVE NAMES libsodium.a)
  if(OPTGUARD_HAS_STATIC_PIE AND OPTGUARD_SQLITE_ARCHIVE AND OPTGUARD_SODIUM_ARCHIVE)
    set(OPTGUARD_STATIC_HOST_ACTIVE ON)
    set(Boost_USE_STATIC_LIBS ON)
  else()
    message(STATUS "optguard-host: not linked statically (no -static-pie, libsqlite3.a or libsodium.a)")
  endif()
endif()

# optguard::sqlite: what the host code links for SQLite.
function(optguard_sqlite_target)
  add_library(optguard_sqlite INTERFACE)
  if(OPTGUARD_STATIC_HOST_ACTIVE)
    target_link_libraries(optguard_sqlite INTERFACE "${OPTGUARD_SQLITE_ARCHIVE}" m)
    target_include_directories(optguard_sqlite INTERFACE ${SQLite3_INCLUDE_DIRS})
  else()
    target_link_libraries(optguard_sqlite INTERFACE SQLite::SQLite3)
  endif()
  add_library(optguard::sqlite ALIAS optguard_sqlite)
endfunction()

# optguard::sodium: libsodium (catalog signatures), the archive when linked statically. Not on
# Windows: Debian has no MinGW build of it, so that build cannot verify signatures and installs no
# catalog update (catalog/minisign.hpp, verification_available).
function(optguard_sodium_target)
  if(WIN32)
    return()
  endif()
  add_library(optguard_sodium INTERFACE)
  if(OPTGUARD_STATIC_HOST_ACTIVE)
    target_link_libraries(optguard_sodium INTERFACE "${OPTGUARD_SODIUM_ARCHIVE}")
    target_include_directories(optguard_sodium INTERFACE ${SODIUM_INCLUDE_DIRS})
  else()
    target_link_libraries(optguard_sodium INTERFACE PkgConfig::SODIUM)
  endif()
  add_library(optguard::sodium ALIAS optguard_sodium)
endfunction()

# Links `target` the way the host is linked (also the C++ echo baseline of bench/).
function(optguard_link_like_host target)
  if(OPTGUARD_STATIC_HOST_ACTIVE)
    # Not with -static-libstdc++/-static-libgcc: GCC then links a dynamic PIE.
    # --gc-sections: of the archives' objects, only the sections the host uses (a fifth less code,
    # and 14 KB less data to relocate at every start).
    target_link_options(${target} PRIVATE -static-pie -Wl,--gc-sections)
  endif()
  optguard_use_host_linker(${target}) # cmake/StartupOrder.cmake
  # Relative relocations packed (DT_RELR): a bitmap of ~1 KB instead of ~140 KB of records that
  # the start of a static-pie host reads and applies one by one (bench figure 1). ld.lld 15 and
  # GNU ld 2.38 spell it -z pack-relative-relocs; ld.lld 14 (Debian 12) --pack-dyn-relocs=relr,
  # which glibc 2.36 applies the same way in a static-pie program. --fatal-warnings: a linker
  # that only warns about an option it does not know must not pass the check.
  set(packs "")
  if(OPTGUARD_STARTUP_ORDER_ACTIVE)
    check_linker_flag(CXX "-fuse-ld=lld;-Wl,--fatal-warnings;-Wl,-z,pack-relative-relocs"
                      OPTGUARD_LLD_PACKS_RELATIVE_RELOCS)
    if(OPTGUARD_LLD_PACKS_RELATIVE_RELOCS)
      set(packs -Wl,-z,pack-relative-relocs)
    elseif(OPTGUARD_STATIC_HOST_ACTIVE)
      check_linker_flag(CXX "-fuse-ld=lld;-static-pie;-Wl,--fatal-warnings;-Wl,--pack-dyn-relocs=relr"
                        OPTGUARD_LLD_PACKS_RELR)
      if(OPTGUARD_LLD_PACKS_RELR)
        set(packs -Wl,--pack-dyn-relocs=relr)
      endif()
    endif()
  else()
    check_linker_flag(CXX "-Wl,--fatal-warnings;-Wl,-z,pack-relative-relocs"
                      OPTGUARD_HAS_PACK_RELATIVE_RELOCS)
    if(OPTGUARD_HAS_PACK_RELATIVE_RELOCS)
      set(packs -Wl,-z,pack-relative-relocs)
    endif()
  endif()
  if(packs AND NOT WIN32)
    target_link_options(${target} PRIVATE ${packs})
    set_property(GLOBAL PROPERTY OPTGUARD_HOST_RELOCATIONS_PACKED ON) # tests/CMakeLists.txt
  endif()
endfunction()
