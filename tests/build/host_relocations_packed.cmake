# The host's relative relocations are packed (DT_RELR, cmake/StaticHost.cmake): every start of a
# static-pie host applies them before main, and as ~7 000 records of 24 bytes (RELA) that was the
# largest piece of a cold start's own code (bench figure 1). Packed, what is left in RELA is a few
# dozen relocations that cannot be packed.
#
#   cmake -DREADELF=<readelf> -DHOST=<optguard-host> -P host_relocations_packed.cmake
execute_process(COMMAND "${READELF}" -W --dynamic --section-headers "${HOST}"
                OUTPUT_VARIABLE elf RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${READELF} ${HOST} failed (${status})")
endif()
if(NOT elf MATCHES "\\(RELR\\)")
  message(FATAL_ERROR "optguard-host has no packed relocations (DT_RELR): is it linked with "
                      "-z pack-relative-relocs or ld.lld's --pack-dyn-relocs=relr?")
endif()
set(rela_bytes 0)
if(elf MATCHES "\\.rela\\.dyn +RELA +[0-9a-f]+ +[0-9a-f]+ +([0-9a-f]+)")
  math(EXPR rela_bytes "0x${CMAKE_MATCH_1}")
endif()
math(EXPR records "${rela_bytes} / 24")
if(records GREATER 1000)
  message(FATAL_ERROR "optguard-host still has ${records} unpacked relocations in .rela.dyn")
endif()
message(STATUS "optguard-host: relative relocations packed, ${records} other relocations")
