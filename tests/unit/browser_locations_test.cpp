#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "os/browser_locations.hpp"

// This file's own names, apart from other test files' in a unity build (tests/CMakeLists.txt).
namespace OPTGUARD_TEST_FILE {

using namespace optguard::os;
namespace fs = std::filesystem;

namespace {

std::vector<std::vector<std::string>> installer_table()
{
    std::ifstream in(fs::path(OPTGUARD_TEST_DOCS).parent_path() / "installer" / "browsers.tsv");
    REQUIRE(in);
    std::vector<std::vector<std::string>> rows;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') {
            continue;
        }
        std::vector<std::string> cells;
        std::stringstream stream(line);
        std::string cell;
        while (std::getline(stream, cell, '\t')) {
            cells.push_back(cell);
        }
        rows.push_back(cells);
    }
    return rows;
}

EnvLookup fake_env(std::map<std::string, std::string> values)
{
    return [values](std::string_view name) -> std::optional<std::string> {
        const auto it = values.find(std::string(name));
        return it == values.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
}

} // namespace

TEST_CASE("the host's browser table is the installer's browsers.tsv, row for row")
{
    const auto table = installer_table();
    const auto rows = browser_locations();
    REQUIRE(table.size() == rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto& r = rows[i];
        const std::vector<std::string> mine = {std::string(r.id),     std::string(r.name),
                                               std::string(r.os),     std::string(r.scope),
                                               std::string(r.family), std::string(r.folder),
                                               std::string(r.probe),  std::string(r.note)};
        CHECK(mine == table[i]);
    }
}

TEST_CASE("table paths expand against HOME, XDG_CONFIG_HOME and the root prefix")
{
    const auto env = fake_env({{"HOME", "/home/ann"}});
    CHECK(expand_location("~/.mozilla/x", env, {}) == "/home/ann/.mozilla/x");
    CHECK(expand_location("$CONFIG/chromium/x", env, {}) == "/home/ann/.config/chromium/x");
    CHECK(expand_location("/etc/chromium/x", env, {}) == "/etc/chromium/x");
    CHECK(expand_location("/etc/chromium/x", env, "/tmp/root") == "/tmp/root/etc/chromium/x");
    SUBCASE("XDG_CONFIG_HOME when absolute, ignored when relative")
    {
        CHECK(expand_location("$CONFIG/c", fake_env({{"HOME", "/h"}, {"XDG_CONFIG_HOME", "/cfg"}}), {})
              == "/cfg/c");
        CHECK(expand_location("$CONFIG/c", fake_env({{"HOME", "/h"}, {"XDG_CONFIG_HOME", "cfg"}}), {})
              == "/h/.config/c");
    }
}

TEST_CASE("only rows with a sandbox note are unreachable, and every such note says how to fix it")
{
    int count = 0;
    for (const auto& row : browser_locations()) {
        if (unreachable(row)) {
            ++count;
            CHECK(row.note.find(" Fix: ") != std::string_view::npos);
        } else {
            CHECK(row.note == "-");
        }
    }
    CHECK(count >= 1);
}

TEST_CASE("OPTGUARD_ROOT counts only when absolute")
{
    CHECK(system_root(fake_env({{"OPTGUARD_ROOT", "/tmp/r"}})) == "/tmp/r");
    CHECK(system_root(fake_env({{"OPTGUARD_ROOT", "tmp/r"}})).empty());
    CHECK(system_root(fake_env({})).empty());
}

} // namespace OPTGUARD_TEST_FILE
