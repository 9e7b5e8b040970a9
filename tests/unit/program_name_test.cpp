#include <doctest/doctest.h>

#include "cli/commands.hpp"

// This file's own names, apart from other test files' in a unity build (tests/CMakeLists.txt).
namespace OPTGUARD_TEST_FILE {

using optguard::cli::program_name;

TEST_CASE("program_name: the name the person started the program as, without its folder")
{
    CHECK(program_name("/usr/bin/optguard") == "optguard");
    CHECK(program_name("/home/me/.local/bin/optguard-host") == "optguard-host");
    CHECK(program_name("optguard") == "optguard");
    CHECK(program_name("./build/host/optguard-host") == "optguard-host");
    CHECK(program_name("") == "optguard-host");
    CHECK(program_name("/usr/bin/") == "optguard-host");
#ifdef _WIN32
    CHECK(program_name("C:\\Program Files\\OptGuard\\optguard-host.exe") == "optguard-host");
    CHECK(program_name("C:/tools/optguard.EXE") == "optguard");
    CHECK(program_name(".exe") == ".exe");
#else
    CHECK(program_name("/opt/optguard.exe") == "optguard.exe"); // only Windows drops .exe
#endif
}

} // namespace OPTGUARD_TEST_FILE
