// os::read_trusted_file: the configuration is checked and read through one open file, so it cannot
// be swapped between the check and the read, and a FIFO or device cannot hang the host.
#include <string>

#include <doctest/doctest.h>
#include <sys/stat.h>

#include "os/file_checks.hpp"
#include "os/private_folder.hpp"
#include "test_support.hpp"

// This file's own names, apart from other test files' in a unity build (tests/CMakeLists.txt).
namespace OPTGUARD_TEST_FILE {

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

#ifndef _WIN32 // POSIX modes
TEST_CASE("prepare_private_folder creates 0700 folders and refuses, never repairs, an unsafe one")
{
    const test::TempDir temp;
    SUBCASE("missing: created 0700 with its parents, whatever the umask")
    {
        const auto folder = temp.path() / "a" / "b";
        const mode_t previous = ::umask(0);
        const auto reason = os::prepare_private_folder(folder);
        ::umask(previous);
        CHECK_FALSE(reason.has_value());
        struct stat info {};
        REQUIRE(::stat(folder.c_str(), &info) == 0);
        CHECK((info.st_mode & 0777U) == 0700U);
        REQUIRE(::stat(folder.parent_path().c_str(), &info) == 0);
        CHECK((info.st_mode & 0777U) == 0700U);
    }
    SUBCASE("readable by others: accepted as it is")
    {
        const auto folder = temp.path() / "readable";
        std::filesystem::create_directory(folder);
        REQUIRE(::chmod(folder.c_str(), 0755) == 0);
        CHECK_FALSE(os::prepare_private_folder(folder).has_value());
        struct stat info {};
        REQUIRE(::stat(folder.c_str(), &info) == 0);
        CHECK((info.st_mode & 0777U) == 0755U);
    }
    SUBCASE("group-writable: refused with the fix, and left alone")
    {
        const auto folder = temp.path() / "shared";
        std::filesystem::create_directory(folder);
        REQUIRE(::chmod(folder.c_str(), 0770) == 0);
        CHECK(os::prepare_private_folder(folder)
              == folder.string() + " is writable by group or others; run: chmod 700 "
                  + folder.string());
        struct stat info {};
        REQUIRE(::stat(folder.c_str(), &info) == 0);
        CHECK((info.st_mode & 0777U) == 0770U);
    }
    SUBCASE("a symbolic link or a file: refused")
    {
        const auto target = temp.path() / "target";
        std::filesystem::create_directory(target);
        const auto link = temp.path() / "link";
        std::filesystem::create_directory_symlink(target, link);
        CHECK(os::prepare_private_folder(link).value_or("").find("is a symbolic link")
              != std::string::npos);
        const auto file = temp.write("file", "x");
        CHECK(os::prepare_private_folder(file).value_or("").find("is not a folder")
              != std::string::npos);
    }
}

TEST_CASE("private_folder_refusal judges as prepare_private_folder does, creating and changing nothing")
{
    const test::TempDir temp;
    const auto missing = temp.path() / "not-yet";
    CHECK_FALSE(os::private_folder_refusal(missing).has_value());
    CHECK_FALSE(std::filesystem::exists(missing));
    for (const unsigned mode : {0700U, 0755U, 0770U, 0707U}) {
        const auto folder = temp.path() / ("mode-" + std::to_string(mode));
        std::filesystem::create_directory(folder);
        REQUIRE(::chmod(folder.c_str(), mode) == 0);
        INFO(mode);
        CHECK(os::private_folder_refusal(folder) == os::prepare_private_folder(folder));
        CHECK(os::private_folder_refusal(folder).has_value() == ((mode & 022U) != 0));
        struct stat info {};
        REQUIRE(::stat(folder.c_str(), &info) == 0);
        CHECK((info.st_mode & 0777U) == mode);
    }
    const auto file = temp.write("file", "x");
    CHECK(os::private_folder_refusal(file) == os::prepare_private_folder(file));
}
#endif

} // namespace OPTGUARD_TEST_FILE
