# optguard-host's start-up code laid out together. A start maps the host's code 64 KB at a time as
# it first runs it; a cold `hello` ran code in 27 such windows spread over 3.4 MB (glibc's start,
# libstdc++, our own), each a page fault with 16 page-table entries, which cost a virtual machine
# dearly (bench figure 1). host/startup-order.txt (scripts/startup-order.sh) lists the functions a
# start runs; LLVM's linker, given every function in a section of its own, puts them first. Only
# for the static host (cmake/StaticHost.cmake), which links glibc's and libstdc++'s archives whose
# functions it can move; elsewhere, or without ld.lld, the host is linked as usual.
#
# Include after StaticHost. Sets OPTGUARD_STARTUP_ORDER_ACTIVE.

include(CheckLinkerFlag)
option(OPTGUARD_STARTUP_ORDER "Lay out optguard-host's start-up code together (needs ld.lld)" ON)
set(OPTGUARD_STARTUP_ORDER_FILE "${PROJECT_SOURCE_DIR}/host/startup-order.txt")
set(OPTGUARD_STARTUP_ORDER_ACTIVE OFF)
if(OPTGUARD_STARTUP_ORDER AND OPTGUARD_STATIC_HOST_ACTIVE)
  check_linker_flag(CXX "-fuse-ld=lld" OPTGUARD_HAS_LLD)
  if(OPTGUARD_HAS_LLD)
    set(OPTGUARD_STARTUP_ORDER_ACTIVE ON)
    # Every function of ours in a section of its own, so the linker can place it by name.
    add_compile_options(-ffunction-sections)
  else()
    message(STATUS "optguard-host: start-up code not laid out together (no ld.lld; apt install lld)")
  endif()
endif()

# The linker the host is linked with (optguard_link_like_host, cmake/StaticHost.cmake).
function(optguard_use_host_linker target)
  if(OPTGUARD_STARTUP_ORDER_ACTIVE)
    target_link_options(${target} PRIVATE -fuse-ld=lld)
  endif()
endfunction()

# Lays out `target`'s start-up code as host/startup-order.txt lists it.
function(optguard_order_startup target)
  if(NOT OPTGUARD_STARTUP_ORDER_ACTIVE)
    return()
  endif()
  target_link_options(${target} PRIVATE
    "-Wl,--symbol-ordering-file=${OPTGUARD_STARTUP_ORDER_FILE}"
    -Wl,--no-warn-symbol-ordering) # names this build lacks (another glibc, a stale list) are fine
  set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS "${OPTGUARD_STARTUP_ORDER_FILE}")
endfunction()
