# libFuzzer targets (tests/fuzz, issue 8). Clang only; configure them in their own build folder:
#   CC=clang CXX=clang++ cmake -S . -B build-fuzz -DOPTGUARD_FUZZ=ON -DOPTGUARD_BUILD_TESTS=OFF
# Everything is built with coverage instrumentation plus ASan and UBSan, so a memory error or
# undefined behaviour anywhere in the host's code stops the fuzzer with a reproducer.
if(OPTGUARD_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "OPTGUARD_FUZZ needs clang (libFuzzer): CC=clang CXX=clang++ cmake ...")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=all)
  add_link_options(-fsanitize=address,undefined)
endif()
