#include <array>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "build_config.hpp"
#include "browser/caller_check.hpp"
#include "app/extension_ids.hpp"

// This file's own names, apart from other test files' in a unity build (tests/CMakeLists.txt).
namespace OPTGUARD_TEST_FILE {

using namespace optguard;
using build_config::ExtensionId;

namespace {

// A table with one store id known and one not, as after the first store publishes OptGuard.
constexpr std::array<ExtensionId, 4> published_once = {{
    {"chromium", "unpacked", "the unpacked extension", "cmijejphlnikkmemcggjhadjlmobjaie"},
    {"chromium", "chrome-web-store", "Chrome Web Store", "aaaabbbbccccddddeeeeffffgggghhhh"},
    {"chromium", "edge-add-ons", "Edge Add-ons", ""},
    {"firefox", "gecko", "Firefox", "optguard@optguard.dev"},
}};

} // namespace

TEST_CASE("the allowed origins are every known Chromium id, in table order, unknown ones are left out")
{
    CHECK(extension_ids::chromium_origins(published_once)
          == std::vector<std::string> {"chrome-extension://cmijejphlnikkmemcggjhadjlmobjaie/",
                                       "chrome-extension://aaaabbbbccccddddeeeeffffgggghhhh/"});
    CHECK(extension_ids::firefox_ids(published_once)
          == std::vector<std::string> {"optguard@optguard.dev"});
    CHECK(extension_ids::unknown(published_once) == std::vector<std::string> {"Edge Add-ons"});
    CHECK(extension_ids::unpacked_origin(published_once)
          == "chrome-extension://cmijejphlnikkmemcggjhadjlmobjaie/");
    CHECK(extension_ids::firefox_id(published_once) == "optguard@optguard.dev");
}

TEST_CASE("the host lets in exactly the build's ids, the unpacked extension first")
{
    const AllowList allow = default_allow_list();
    CHECK(allow.chrome_origins == extension_ids::chromium_origins());
    CHECK(allow.firefox_ids == extension_ids::firefox_ids());
    REQUIRE_FALSE(allow.chrome_origins.empty());
    CHECK(allow.chrome_origins.front() == "chrome-extension://cmijejphlnikkmemcggjhadjlmobjaie/");
    CHECK(allow.firefox_ids.front() == "optguard@optguard.dev");
}

TEST_CASE("the host's ids are the table the build staged for the installers, row for row")
{
    // installer/install.sh and install.ps1 fill allowed_origins from this file; the host checks its
    // callers against build_config. Both come from one CMake run (cmake/ExtensionIds.cmake).
    std::ifstream in(OPTGUARD_TEST_STAGED_IDS);
    REQUIRE(in);
    std::vector<std::string> staged;
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line[0] != '#') {
            staged.push_back(line);
        }
    }
    std::vector<std::string> built;
    for (const auto& row : build_config::extension_ids) {
        built.push_back(std::string(row.family) + '\t' + std::string(row.where) + '\t'
                        + std::string(row.name) + '\t'
                        + (row.id.empty() ? std::string("-") : std::string(row.id)));
    }
    CHECK(staged == built);
}

} // namespace OPTGUARD_TEST_FILE
