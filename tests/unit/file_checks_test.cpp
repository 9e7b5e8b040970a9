// os::read_trusted_file: the configuration is checked and read through one open file, so it cannot
// be swapped between the check and the read, and a FIFO or device cannot hang the host.
#include <string>

#include <doctest/doctest.h>
#include <sys/stat.h>

#include "os/file_checks.hpp"
#include "test_support.hpp"

using namespace optguard;

TEST_CASE("read_trusted_file reads a private file and says plainly why it refuses one")
{
    const test::TempDir temp;
    SUBCASE("a private regular file is read whole")
    {
        const auto path = temp.write("config.json", R"({"format": 1})");
        ::chmod(path.c_str(), 0600);
        const os::TrustedFile file = os::read_trusted_file(path, 1024);
        CHECK_FALSE(file.missing);
        CHECK_FALSE(file.refused.has_value());
        CHECK(file.text == R"({"format": 1})");
    }
    SUBCASE("a missing file is no error")
    {
        const os::TrustedFile file = os::read_trusted_file(temp.path() / "none.json", 1024);
        CHECK(file.missing);
        CHECK_FALSE(file.refused.has_value());
    }
    SUBCASE("a file larger than the limit is refused, not read")
    {
        const auto path = temp.write("big.json", std::string(5000, ' '));
        ::chmod(path.c_str(), 0600);
        const os::TrustedFile file = os::read_trusted_file(path, 4096);
        REQUIRE(file.refused.has_value());
        CHECK(file.refused->find("is larger than 4096 bytes") != std::string::npos);
        CHECK(file.text.empty());
    }
#ifndef _WIN32 // Windows has no group or other bits (os/win32/posix_compat.hpp)
    SUBCASE("a file others can write is refused with the fix")
    {
        const auto path = temp.write("open.json", "{}");
        ::chmod(path.c_str(), 0666);
        const os::TrustedFile file = os::read_trusted_file(path, 1024);
        REQUIRE(file.refused.has_value());
        CHECK(file.refused->find("chmod 600") != std::string::npos);
    }
    SUBCASE("a FIFO is refused at once instead of blocking the host")
    {
        const auto path = temp.path() / "fifo.json";
        REQUIRE(::mkfifo(path.c_str(), 0600) == 0);
        const os::TrustedFile file = os::read_trusted_file(path, 1024);
        REQUIRE(file.refused.has_value());
        CHECK(file.refused->find("is not a regular file") != std::string::npos);
    }
#endif
}
