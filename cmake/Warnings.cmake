# One place for the warning flags; every target of ours calls optguard_set_warnings().
# -Werror only with OPTGUARD_WERROR (CMakeLists.txt): on in the presets and CI, off in a plain build.
function(optguard_set_warnings target)
  if(OPTGUARD_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  target_compile_options(${target} PRIVATE
    -Wall
    -Wextra
    -Wpedantic
    -Wshadow                # a local hiding another is a bug waiting to happen
    -Wnon-virtual-dtor
    -Wold-style-cast
    -Wcast-align
    -Wunused
    -Woverloaded-virtual
    -Wconversion            # silent narrowing of frame lengths and sizes is exactly our risk
    -Wsign-conversion
    -Wnull-dereference
    -Wdouble-promotion
    -Wformat=2
    -Wimplicit-fallthrough)
endfunction()
