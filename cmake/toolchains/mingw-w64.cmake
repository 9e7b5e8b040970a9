# Cross-compiling the host for 64-bit Windows on Debian: MinGW-w64 GCC with POSIX threads
# (g++-mingw-w64-x86-64-posix; the win32-thread flavour has no std::thread/std::mutex).
# Used by scripts/windows-cross.sh; tests run the result under Wine (CMAKE_CROSSCOMPILING_EMULATOR).
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(OPTGUARD_MINGW_TRIPLET x86_64-w64-mingw32)
set(CMAKE_C_COMPILER ${OPTGUARD_MINGW_TRIPLET}-gcc-posix)
set(CMAKE_CXX_COMPILER ${OPTGUARD_MINGW_TRIPLET}-g++-posix)
set(CMAKE_RC_COMPILER ${OPTGUARD_MINGW_TRIPLET}-windres)
set(CMAKE_FIND_ROOT_PATH /usr/${OPTGUARD_MINGW_TRIPLET})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
# One self-contained .exe: no libstdc++/libgcc/winpthread DLLs to ship or to find under Wine.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")
find_program(OPTGUARD_WINE NAMES wine wine64)
if(OPTGUARD_WINE)
  set(CMAKE_CROSSCOMPILING_EMULATOR "${OPTGUARD_WINE}")
endif()
