#include <fstream>
#include <sstream>
#include <string>

#include <doctest/doctest.h>
#include <sys/stat.h>

#include "catalog/catalog.hpp"
#include "storage/config_file.hpp"
#include "storage/observation_store.hpp"
#include "storage/state_store.hpp"
#include "test_support.hpp"

// This file's own names, apart from other test files' in a unity build (tests/CMakeLists.txt).
namespace OPTGUARD_TEST_FILE {

using namespace optguard;
using json = nlohmann::json;

namespace {

catalog::Choice watch_choice(std::string setting, bool watch)
{
    catalog::Choice c;
    c.platform = "linkedin";
    c.setting = std::move(setting);
    c.watch_edit = catalog::Edit::set;
    c.watch = watch;
    return c;
}

std::string read_text(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

unsigned mode_of(const std::filesystem::path& path)
{
    struct stat info {};
    REQUIRE(::lstat(path.c_str(), &info) == 0);
    return info.st_mode & 07777U;
}

} // namespace

TEST_CASE("save_choice creates a private folder, a 0600 file and a 0600 lock file")
{
    const test::TempDir temp;
    const auto path = temp.path() / "config" / "optguard" / "config.json";
    const catalog::UserConfig config = storage::save_choice(path, watch_choice("a", false));
    CHECK(config.settings.at("linkedin/a").watch == false);
    CHECK(mode_of(path.parent_path()) == 0700U);
    CHECK(mode_of(path) == 0600U);
    CHECK(mode_of(path.string() + ".lock") == 0600U);
    CHECK(json::parse(read_text(path))
          == json::parse(R"({"format":1,"settings":{"linkedin/a":{"watch":false}}})"));
    // Nothing but the file and its lock: no temporary file left behind.
    CHECK(std::distance(std::filesystem::directory_iterator(path.parent_path()),
                        std::filesystem::directory_iterator {})
          == 2);
}

TEST_CASE("save_choice keeps what is in the file, tightens the file and takes a readable folder as it is")
{
    const test::TempDir temp;
    const auto path = temp.write("optguard/config.json",
                                 R"({"format": 1, "interval_days": 9,
                                     "settings": {"linkedin/a": {"interval_days": 3}}})");
    REQUIRE(::chmod(path.parent_path().c_str(), 0755) == 0);
    REQUIRE(::chmod(path.c_str(), 0644) == 0);
    (void)storage::save_choice(path, watch_choice("b", true));
    const json after = json::parse(read_text(path));
    CHECK(after.at("interval_days") == 9);
    CHECK(after.at("settings").at("linkedin/a") == json {{"interval_days", 3}});
    CHECK(after.at("settings").at("linkedin/b") == json {{"watch", true}});
#ifndef _WIN32 // POSIX modes; Windows keeps these folders under the user profile's ACL
    // The private-folder policy (os/private_folder.hpp) judges, never repairs; read bits are no
    // reason to refuse, every file in it is 0600.
    CHECK(mode_of(path.parent_path()) == 0755U);
    CHECK(mode_of(path) == 0600U);
#endif
}

#ifndef _WIN32 // POSIX modes; Windows keeps these folders under the user profile's ACL
TEST_CASE("the config folder and the state folder follow one private-folder policy")
{
    const test::TempDir temp;
    const auto folder = temp.path() / "optguard";
    std::filesystem::create_directories(folder);
    unsigned mode = 0;
    std::string expected;
    SUBCASE("group-writable") { mode = 0770U; }
    SUBCASE("writable by others only") { mode = 0702U; }
    expected = folder.string() + " is writable by group or others; run: chmod 700 " + folder.string();
    REQUIRE(::chmod(folder.c_str(), static_cast<mode_t>(mode)) == 0);

    std::string config_error;
    try {
        (void)storage::save_choice(folder / "config.json", watch_choice("a", false));
    } catch (const storage::StorageError& error) {
        config_error = error.what();
    }
    std::string state_error;
    try {
        (void)storage::StateStore::open(folder);
    } catch (const storage::StorageError& error) {
        state_error = error.what();
    }
    // Both refuse with the same words (each names which folder it is), and leave it as it was.
    CHECK(config_error == "config folder " + expected);
    CHECK(state_error == "state folder " + expected);
    CHECK(mode_of(folder) == mode);
    CHECK(std::filesystem::is_empty(folder));
}
#endif

TEST_CASE("save_choice refuses a broken or untrusted config file and leaves it as it was")
{
    const test::TempDir temp;
    SUBCASE("syntax error names file, line and column")
    {
        const std::string text = "{\"format\": 1,\n \"settings\": [}";
        const auto path = temp.write("optguard/config.json", text);
        std::string message;
        try {
            (void)storage::save_choice(path, watch_choice("a", false));
        } catch (const catalog::CatalogError& error) {
            message = error.what();
        }
        CHECK(message.rfind(path.string() + ":2:", 0) == 0);
        CHECK(read_text(path) == text);
    }
    SUBCASE("a value the loader rejects")
    {
        const std::string text = R"({"format": 2})";
        const auto path = temp.write("optguard/config.json", text);
        CHECK_THROWS_AS((void)storage::save_choice(path, watch_choice("a", false)),
                        catalog::CatalogError);
        CHECK(read_text(path) == text);
    }
    SUBCASE("a symbolic link")
    {
        const auto target = temp.write("elsewhere.json", R"({"format": 1})");
        std::filesystem::create_directories(temp.path() / "optguard");
        const auto path = temp.path() / "optguard" / "config.json";
        std::filesystem::create_symlink(target, path);
        CHECK_THROWS_WITH_AS((void)storage::save_choice(path, watch_choice("a", false)),
                             doctest::Contains("is a symbolic link"), catalog::CatalogError);
        CHECK(read_text(target) == R"({"format": 1})");
        CHECK(std::filesystem::is_symlink(path));
    }
}

TEST_CASE("save_choice reports a folder it cannot create as a storage error")
{
    const test::TempDir temp;
    const auto blocker = temp.write("config", "a file where the folder should be");
    CHECK_THROWS_AS((void)storage::save_choice(blocker / "optguard" / "config.json",
                                               watch_choice("a", false)),
                    storage::StorageError);
}

} // namespace OPTGUARD_TEST_FILE
