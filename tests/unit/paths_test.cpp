#include <map>
#include <string>

#include <doctest/doctest.h>

#include "os/paths.hpp"

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

TEST_CASE("the running executable is found through /proc/self/exe")
{
    const fs::path exe = current_executable();
    CHECK(exe.is_absolute());
    CHECK(exe.filename() == "optguard_unit_tests");
}
