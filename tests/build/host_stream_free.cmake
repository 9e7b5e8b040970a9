# The host must not set up C++'s standard streams when it starts. <iostream> does that in every
# program that includes it anywhere (a static std::ios_base::Init per file, GCC 12), and the
# locale it builds was a fifth of a cold `hello` (bench figure 1). Browser mode speaks through
# os/standard_streams.hpp; the CLI makes its own streams when a command runs (cli/commands.cpp).
#
#   cmake -DNM=<nm> -DHOST=<optguard-host> -P host_stream_free.cmake
execute_process(COMMAND "${NM}" "${HOST}" OUTPUT_VARIABLE symbols RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${NM} ${HOST} failed (${status})")
endif()
# std::ios_base::Init::Init(), defined (static host) or imported (shared libstdc++).
if(symbols MATCHES "_ZNSt8ios_base4InitC[12]Ev")
  message(FATAL_ERROR "optguard-host sets up the standard streams at start: a file of the host "
                      "includes <iostream> (use os/standard_streams.hpp or a stream of its own)")
endif()
message(STATUS "optguard-host does not set up the standard streams at start")
