# The host's start-up code lies together (cmake/StartupOrder.cmake, host/startup-order.txt): a
# few functions every start runs, from glibc's entry to the frame loop, within 512 KB of each
# other. Linked in the usual order they lie 2.5 MB apart and a cold start maps three times as
# many code pages (bench figure 1).
#
#   cmake -DNM=<nm> -DHOST=<optguard-host> -P host_startup_layout.cmake
execute_process(COMMAND "${NM}" "${HOST}" OUTPUT_VARIABLE symbols RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${NM} ${HOST} failed (${status})")
endif()
set(run_at_start
  _start                                       # glibc's entry point
  __libc_start_main_impl                       # glibc's start
  main
  _ZN8optguard7Session3runEv                   # optguard::Session::run()
  _ZN8optguard8protocol10read_frameERNS_4util10ByteSourceEj) # optguard::protocol::read_frame
set(lowest "")
set(highest "")
foreach(name IN LISTS run_at_start)
  if(NOT symbols MATCHES "(^|\n)([0-9a-f]+) [tT] ${name}\n")
    message(FATAL_ERROR "optguard-host has no function ${name}: update this test")
  endif()
  math(EXPR address "0x${CMAKE_MATCH_2}")
  if(lowest STREQUAL "" OR address LESS lowest)
    set(lowest ${address})
  endif()
  if(highest STREQUAL "" OR address GREATER highest)
    set(highest ${address})
  endif()
endforeach()
math(EXPR span "(${highest} - ${lowest}) / 1024")
if(span GREATER_EQUAL 512)
  message(FATAL_ERROR "optguard-host's start-up code is spread over ${span} KB: is it linked with "
                      "ld.lld and host/startup-order.txt (scripts/startup-order.sh)?")
endif()
message(STATUS "optguard-host's start-up code lies within ${span} KB")
