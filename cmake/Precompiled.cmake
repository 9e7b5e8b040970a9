# Precompiled headers: nlohmann/json and doctest are most of each file's compile time, and every
# build of CI (presets, sanitizers, the build matrix, MinGW) parses them again for each file.
# OPTGUARD_PCH=OFF builds without them, e.g. to find a file that forgot an #include.
option(OPTGUARD_PCH "Precompile the heavy library and standard headers" ON)

# optguard_precompile(<target> [<header>...]): the headers most of our files include, plus extras.
function(optguard_precompile target)
  if(NOT OPTGUARD_PCH)
    return()
  endif()
  target_precompile_headers(${target} PRIVATE
    <nlohmann/json.hpp> <string> <string_view> <vector> <optional> <filesystem> <chrono>
    ${ARGN})
endfunction()
