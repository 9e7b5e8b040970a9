#include <map>
#include <string>

#include <doctest/doctest.h>

#include "os/paths.hpp"

// This file's own names, apart from other test files' in a unity build (tests/CMakeLists.txt).
namespace OPTGUARD_TEST_FILE {

using namespace optguard::os;
namespace fs = std::filesystem;

namespace {

EnvLookup fake_env(std::map<std::string, std::string> values)
{
    return [values = std::move(values)](std::string_view name) -> std::optional<std::string> {
        const auto found = values.find(std::string(name));
        if (found == values.end()) {
            return std::nullopt;
        }
        return found->second;
    };
}

} // namespace

TEST_CASE("state folder follows XDG_STATE_HOME and falls back to ~/.local/state")
{
    CHECK(state_dir(fake_env({{"XDG_STATE_HOME", "/x/state"}, {"HOME", "/home/u"}}))
          == fs::path("/x/state/optguard"));
    CHECK(state_dir(fake_env({{"HOME", "/home/u"}})) == fs::path("/home/u/.local/state/optguard"));
    // The XDG spec says relative values are invalid and must be ignored.
    CHECK(state_dir(fake_env({{"XDG_STATE_HOME", "rel"}, {"HOME", "/home/u"}}))
          == fs::path("/home/u/.local/state/optguard"));
    CHECK(state_dir(fake_env({{"XDG_STATE_HOME", ""}, {"HOME", "/home/u"}}))
          == fs::path("/home/u/.local/state/optguard"));
}

TEST_CASE("config file follows XDG_CONFIG_HOME and falls back to ~/.config")
{
    CHECK(config_file(fake_env({{"XDG_CONFIG_HOME", "/x/cfg"}, {"HOME", "/home/u"}}))
          == fs::path("/x/cfg/optguard/config.json"));
    CHECK(config_file(fake_env({{"HOME", "/home/u"}}))
          == fs::path("/home/u/.config/optguard/config.json"));
}

TEST_CASE("catalog folder is OPTGUARD_CATALOG_DIR or share/optguard/catalog beside the binary")
{
    CHECK(catalog_dir(fake_env({{"OPTGUARD_CATALOG_DIR", "/fixtures/cat"}}), "/b/host/optguard-host")
          == fs::path("/fixtures/cat"));
    CHECK(catalog_dir(fake_env({}), "/src/build/host/optguard-host")
          == fs::path("/src/build/share/optguard/catalog"));
    CHECK(catalog_dir(fake_env({}), "/usr/local/bin/optguard-host")
          == fs::path("/usr/local/share/optguard/catalog"));
}

TEST_CASE("installed catalogs live under XDG_DATA_HOME (default ~/.local/share), keys beside the catalog")
{
#if !defined(_WIN32)
    CHECK(data_dir(fake_env({{"XDG_DATA_HOME", "/x/data"}, {"HOME", "/home/u"}}))
          == fs::path("/x/data/optguard"));
    CHECK(installed_catalogs_dir(fake_env({{"HOME", "/home/u"}}))
          == fs::path("/home/u/.local/share/optguard/catalogs"));
    CHECK(installed_catalogs_dir(fake_env({{"XDG_DATA_HOME", "rel"}, {"HOME", "/home/u"}}))
          == fs::path("/home/u/.local/share/optguard/catalogs"));
    CHECK(keys_dir("/usr/share/optguard/catalog") == fs::path("/usr/share/optguard/keys"));
    CHECK(keys_dir("/usr/share/optguard/catalog/") == fs::path("/usr/share/optguard/keys"));
    CHECK(keys_dir("/src/build/host/../share/optguard/catalog")
          == fs::path("/src/build/share/optguard/keys"));
#else
    CHECK(installed_catalogs_dir(fake_env({{"LOCALAPPDATA", "C:\\Users\\u\\AppData\\Local"}}))
          == fs::path("C:\\Users\\u\\AppData\\Local") / "OptGuard" / "data" / "catalogs");
#endif
}

TEST_CASE("the running executable is found through /proc/self/exe")
{
    const fs::path exe = current_executable();
    CHECK(exe.is_absolute());
    CHECK(exe.filename() == "optguard_unit_tests");
}

TEST_CASE("the home folder from /etc/passwd text, for the fallback when HOME is not set")
{
    const std::string passwd = "root:x:0:0:root:/root:/bin/bash\n"
                               "# a comment line is not an entry\n"
                               "broken:x:1000\n"
                               "ann:x:1000:1000:Ann Lee,,,:/home/ann:/bin/bash\n"
                               "rel:x:1001:1001::home/rel:/bin/sh\n"
                               "bob:x:10000:10000::/home/bob:/usr/sbin/nologin";
    CHECK(optguard::os::home_in_passwd(passwd, 0) == std::filesystem::path("/root"));
    CHECK(optguard::os::home_in_passwd(passwd, 1000) == std::filesystem::path("/home/ann"));
    CHECK(optguard::os::home_in_passwd(passwd, 10000) == std::filesystem::path("/home/bob"));
    CHECK_FALSE(optguard::os::home_in_passwd(passwd, 100).has_value()); // a uid prefix is no match
    CHECK_FALSE(optguard::os::home_in_passwd(passwd, 1001).has_value()); // not absolute
    CHECK_FALSE(optguard::os::home_in_passwd("", 0).has_value());
    CHECK_FALSE(optguard::os::home_in_passwd("x:x:abc:0::/home/x:/bin/sh", 0).has_value());
}

TEST_CASE("cache folder follows XDG_CACHE_HOME and falls back to ~/.cache")
{
    CHECK(cache_dir(fake_env({{"XDG_CACHE_HOME", "/x/cache"}, {"HOME", "/home/u"}}))
          == fs::path("/x/cache/optguard"));
    CHECK(cache_dir(fake_env({{"XDG_CACHE_HOME", "rel"}, {"HOME", "/home/u"}}))
          == fs::path("/home/u/.cache/optguard"));
    CHECK(cache_dir(fake_env({{"HOME", "/home/u"}})) == fs::path("/home/u/.cache/optguard"));
}

} // namespace OPTGUARD_TEST_FILE
