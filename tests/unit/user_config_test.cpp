#include <string>

#include <doctest/doctest.h>

#include "catalog/user_config.hpp"
#include "storage/config_file.hpp"
#include "test_support.hpp"

// This file's own names, apart from other test files' in a unity build (tests/CMakeLists.txt).
namespace OPTGUARD_TEST_FILE {

using namespace optguard::catalog;
using optguard::domain::Expected;
using optguard::test::TempDir;
using json = nlohmann::json;

namespace {

const std::filesystem::path fixtures = OPTGUARD_TEST_FIXTURES;

std::string config_error(const json& document)
{
    try {
        (void)parse_user_config(document, "config.json");
    } catch (const CatalogError& error) {
        return error.what();
    }
    return "(valid)";
}

} // namespace

TEST_CASE("user config overrides expected, watch and interval_days of the named setting only")
{
    const Catalog catalog = load_catalog(fixtures / "catalogs" / "valid");
    const UserConfig config = parse_user_config(json::parse(R"({
        "format": 1,
        "settings": {
          "example/ai-training": {"expected": "on", "watch": false, "interval_days": 7},
          "example/block-ai-crawlers": {"watch": false},
          "gone/removed-setting": {"expected": "off"}
        }})"),
                                                "config.json");
    const Catalog effective = apply_user_config(catalog, config);
    const Setting* training = effective.find_setting("example", "ai-training");
    REQUIRE(training != nullptr);
    CHECK(training->expected == Expected::on);
    CHECK_FALSE(training->watch);
    CHECK(training->interval_days == 7);
    const Setting* crawlers = effective.find_setting("example", "block-ai-crawlers");
    CHECK(crawlers->expected == Expected::on); // unchanged: only watch was given
    CHECK(crawlers->interval_days == 90);
    CHECK_FALSE(crawlers->watch);
    CHECK(effective.find_setting("forms-only", "objection")->watch);
    // A key naming no catalog setting is kept but has no effect.
    CHECK(config.settings.count("gone/removed-setting") == 1);
    // The catalog reply shows the effective values.
    CHECK(to_json(*training).at("expected") == "on");
    CHECK(to_json(*training).at("watch") == false);
}

TEST_CASE("a global interval_days applies to every setting, a per-setting one wins over it")
{
    const Catalog catalog = load_catalog(fixtures / "catalogs" / "valid");
    const UserConfig config = parse_user_config(json::parse(R"({
        "format": 1, "interval_days": 14,
        "settings": {"example/ai-training": {"interval_days": 7}}})"),
                                                "config.json");
    CHECK(config.interval_days == 14);
    const Catalog effective = apply_user_config(catalog, config);
    CHECK(effective.find_setting("example", "ai-training")->interval_days == 7);
    CHECK(effective.find_setting("example", "block-ai-crawlers")->interval_days == 14);
    CHECK(effective.find_setting("forms-only", "objection")->interval_days == 14);
    CHECK(config_error({{"format", 1}, {"interval_days", 400}})
          == "config.json: interval_days: must be an integer from 1 to 365, got 400");
    CHECK(config_error({{"format", 1}, {"interval_days", "7"}})
          == R"(config.json: interval_days: must be an integer from 1 to 365, got "7")");
}

TEST_CASE("user config is validated key by key")
{
    CHECK(config_error({{"format", 1}}) == "(valid)");
    CHECK(config_error({{"format", 1}, {"settings", json::object()}}) == "(valid)");
    CHECK(config_error(json::object()) == "config.json: missing required key \"format\"");
    CHECK(config_error({{"format", 2}}) == "config.json: format: must be 1, got 2");
    CHECK(config_error({{"format", 1}, {"colour", "red"}}) == "config.json: colour: unknown key");
    CHECK(config_error({{"format", 1}, {"settings", json::array()}})
          == "config.json: settings: must be a JSON object, got []");
    CHECK(config_error({{"format", 1}, {"settings", {{"linkedin", json::object()}}}})
          == "config.json: settings.linkedin: key must be \"platform/setting\" (ids of [a-z0-9-]+)");
    CHECK(config_error({{"format", 1}, {"settings", {{"a/b", {{"expected", "yes"}}}}}})
          == R"(config.json: settings["a/b"].expected: must be "on" or "off")");
    CHECK(config_error({{"format", 1}, {"settings", {{"a/b", {{"watch", "no"}}}}}})
          == R"(config.json: settings["a/b"].watch: must be true or false, got "no")");
    CHECK(config_error({{"format", 1}, {"settings", {{"a/b", {{"interval_days", 0}}}}}})
          == R"(config.json: settings["a/b"].interval_days: must be an integer from 1 to 365, got 0)");
    CHECK(config_error({{"format", 1}, {"settings", {{"a/b", {{"expect", "on"}}}}}})
          == R"(config.json: settings["a/b"].expect: unknown key)");
    CHECK(config_error({{"format", 1}, {"settings", {{"a/b", 1}}}})
          == R"(config.json: settings["a/b"]: must be a JSON object, got 1)");
}

TEST_CASE("a missing config file is an empty config, not an error")
{
    const TempDir dir;
    const ConfigLoad loaded = optguard::storage::load_user_config(dir.path() / "optguard" / "config.json");
    CHECK(loaded.error == "");
    CHECK(loaded.config.settings.empty());
}

TEST_CASE("a broken config file names its full path and the position")
{
    const TempDir dir;
    const auto file = dir.write("optguard/config.json", "{\n  \"format\": 1,\n  \"settings\": {,}\n}");
    CHECK(optguard::storage::load_user_config(file).error
          == file.string() + ":3:16: syntax error while parsing object key - unexpected ','; "
                             "expected string literal");
    dir.write("optguard/config.json", R"({"format": 1, "settings": {"a/b": {"expected": 1}}})");
    CHECK(optguard::storage::load_user_config(file).error
          == file.string() + R"(: settings["a/b"].expected: must be "on" or "off")");
}

} // namespace OPTGUARD_TEST_FILE
