#include <functional>
#include <string>

#include <doctest/doctest.h>

#include "catalog/catalog.hpp"
#include "domain/url.hpp"
#include "test_support.hpp"

// This file's own names, apart from other test files' in a unity build (tests/CMakeLists.txt).
namespace OPTGUARD_TEST_FILE {

using namespace optguard::catalog;
using optguard::test::TempDir;
using json = nlohmann::json;

namespace {

const std::filesystem::path fixtures = OPTGUARD_TEST_FIXTURES;

json with_changes(json document, const json& changes)
{
    document.update(changes);
    return document;
}

json index_json(const json& platforms = json::array({"linkedin.json"}))
{
    return {{"format", 2}, {"version", "2026.11.23"}, {"platforms", platforms}};
}

json toggle_setting(const std::string& id = "generative-ai-training")
{
    json setting = json::parse(R"({
      "id": "generative-ai-training",
      "title": "Use my data for training content creation AI models",
      "why": "One sentence.",
      "kind": "toggle",
      "pages": ["https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement*"],
      "opt_out_url": "https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement",
      "path": ["Settings & Privacy", "Data privacy"],
      "detect": {"roles": ["switch", "checkbox"], "labels": [{"text": "Use my data", "lang": "en", "source": "https://help.example.com/a", "checked": "2026-11-23"}]},
      "expected": "off",
      "interval_days": 30,
      "policy_events": [{"date": "2025-11-03", "regions": ["EU"], "summary": "On by default.", "source": "https://help.example.com/a"}],
      "source": "https://www.linkedin.com/help/linkedin/answer/a5538339",
      "checked": "2026-11-23"
    })");
    setting["id"] = id;
    return setting;
}

json platform_json()
{
    return {{"platform", "linkedin"},
            {"name", "LinkedIn"},
            {"hosts", {"www.linkedin.com"}},
            {"settings", json::array({toggle_setting()})}};
}

// Loads a catalog made of index + linkedin.json after `change` edited the platform document, and
// returns the error message (or "(loaded)").
std::string load_error(const std::function<void(json&)>& change)
{
    TempDir dir;
    json platform = platform_json();
    change(platform);
    dir.write("index.json", index_json().dump());
    dir.write("linkedin.json", platform.dump(2));
    const CatalogLoad loaded = try_load_catalog(dir.path());
    return loaded.catalog ? std::string("(loaded)") : loaded.error;
}

std::string index_error(const json& index)
{
    TempDir dir;
    dir.write("index.json", index.dump());
    dir.write("linkedin.json", platform_json().dump());
    const CatalogLoad loaded = try_load_catalog(dir.path());
    return loaded.catalog ? std::string("(loaded)") : loaded.error;
}

} // namespace

TEST_CASE("the valid fixture catalog loads with every setting in order")
{
    const Catalog catalog = load_catalog(fixtures / "catalogs" / "valid");
    CHECK(catalog.version == "2026.11.23");
    REQUIRE(catalog.platforms.size() == 2);
    const Platform& example = catalog.platforms[0];
    CHECK(example.id == "example");
    CHECK(example.hosts == std::vector<std::string> {"www.example.com", "*.example.org"});
    REQUIRE(example.settings.size() == 2);
    CHECK(example.settings[0].id == "ai-training");
    CHECK(example.settings[0].kind == Kind::toggle);
    CHECK(example.settings[0].expected == optguard::domain::Expected::off);
    CHECK(example.settings[1].expected == optguard::domain::Expected::on);
    CHECK(example.settings[1].interval_days == 90);
    CHECK(catalog.platforms[1].hosts.empty());
    CHECK(catalog.platforms[1].settings[0].kind == Kind::form);
    CHECK(catalog.find_setting("example", "block-ai-crawlers") == &example.settings[1]);
    CHECK(catalog.find_setting("example", "nope") == nullptr);
    CHECK(catalog.find_setting("nope", "ai-training") == nullptr);
}

TEST_CASE("the catalog shipped in extension/catalog loads")
{
    const CatalogLoad loaded = try_load_catalog(OPTGUARD_TEST_CATALOG_SOURCE);
    CHECK(loaded.error == "");
    REQUIRE(loaded.catalog.has_value());
    CHECK(loaded.catalog->find_setting("linkedin", "generative-ai-training") != nullptr);
}

TEST_CASE("every platform file in extension/catalog passes the host's validation")
{
    // Including files not yet listed in index.json: the host must accept them before they are.
    int files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(OPTGUARD_TEST_CATALOG_SOURCE)) {
        const std::string name = entry.path().filename().string();
        if (entry.path().extension() != ".json" || name == "index.json") {
            continue;
        }
        ++files;
        CAPTURE(name);
        CHECK_NOTHROW((void)parse_platform(read_json_file(entry.path(), name), name));
    }
    CHECK(files >= 1);
}

TEST_CASE("catalog JSON keeps every key of an entry and adds the effective values")
{
    const Catalog catalog = load_catalog(fixtures / "catalogs" / "valid");
    const json out = to_json(catalog);
    CHECK(out.at("version") == "2026.11.23");
    const json& setting = out.at("platforms").at(0).at("settings").at(0);
    CHECK(setting.at("detect").at("labels").at(0).at("text") == "Use my content to train AI");
    CHECK(setting.at("expected") == "off");
    CHECK(setting.at("watch") == true);
    CHECK(setting.at("interval_days") == 30);
    CHECK(out.at("platforms").at(1).at("hosts") == json::array());
}

TEST_CASE("a JSON syntax error names the file, line and column")
{
    const CatalogLoad loaded = try_load_catalog(fixtures / "catalogs" / "syntax-error");
    CHECK(loaded.error == "example.json:3:11: syntax error while parsing value - invalid literal");
}

TEST_CASE("a missing catalog folder or file names the file")
{
    const TempDir dir;
    CHECK(try_load_catalog(dir.path()).error.rfind("index.json: cannot read ", 0) == 0);
    dir.write("index.json", index_json().dump());
    CHECK(try_load_catalog(dir.path()).error.rfind("linkedin.json: cannot read ", 0) == 0);
}

TEST_CASE("index.json is validated key by key")
{
    CHECK(index_error(index_json()) == "(loaded)");
    CHECK(index_error(with_changes(index_json(), {{"format", 1}}))
          == "index.json: format: must be 2 (the catalog format this host reads), got 1");
    CHECK(index_error(with_changes(index_json(), {{"format", "2"}}))
          == "index.json: format: must be 2 (the catalog format this host reads), got \"2\"");
    CHECK(index_error(with_changes(index_json(), {{"version", "2026-11-23"}}))
          == "index.json: version: must be a date written YYYY.MM.DD, got \"2026-11-23\"");
    CHECK(index_error(index_json(json::array({"../linkedin.json"})))
          == "index.json: platforms[0]: must be a file name of [a-z0-9-] ending in .json, got "
             "\"../linkedin.json\"");
    CHECK(index_error(index_json(json::array({"linkedin.json", "linkedin.json"})))
          == "index.json: platforms[1]: lists \"linkedin.json\" twice");
    CHECK(index_error(index_json(json::array()))
          == "index.json: platforms: must hold at least 1 element");
    CHECK(index_error(with_changes(index_json(), {{"extra", 1}})) == "index.json: extra: unknown key");
    json missing = index_json();
    missing.erase("version");
    CHECK(index_error(missing) == "index.json: missing required key \"version\"");
    CHECK(index_error(json::array()) == "index.json: must be a JSON object, got []");
}

TEST_CASE("a platform file is validated key by key, naming file and key path")
{
    CHECK(load_error([](json&) {}) == "(loaded)");

    SUBCASE("unknown keys are errors, at every level")
    {
        CHECK(load_error([](json& p) { p["extra"] = 1; }) == "linkedin.json: extra: unknown key");
        CHECK(load_error([](json& p) { p["settings"][0]["expcted"] = "off"; })
              == "linkedin.json: settings[0].expcted: unknown key");
        CHECK(load_error([](json& p) { p["settings"][0]["detect"]["colour"] = "red"; })
              == "linkedin.json: settings[0].detect.colour: unknown key");
        CHECK(load_error([](json& p) { p["settings"][0]["policy_events"][0]["x y"] = 1; })
              == "linkedin.json: settings[0].policy_events[0][\"x y\"]: unknown key");
    }
    SUBCASE("required keys")
    {
        CHECK(load_error([](json& p) { p.erase("hosts"); })
              == "linkedin.json: missing required key \"hosts\"");
        CHECK(load_error([](json& p) { p["settings"][0].erase("source"); })
              == "linkedin.json: settings[0]: missing required key \"source\"");
    }
    SUBCASE("expected is on or off")
    {
        CHECK(load_error([](json& p) { p["settings"][0]["expected"] = "unknown"; })
              == R"(linkedin.json: settings[0].expected: must be "on" or "off")");
        CHECK(load_error([](json& p) { p["settings"][0]["expected"] = false; })
              == R"(linkedin.json: settings[0].expected: must be "on" or "off")");
    }
    SUBCASE("ids match [a-z0-9-]+")
    {
        CHECK(load_error([](json& p) { p["platform"] = "LinkedIn"; })
              == "linkedin.json: platform: must match [a-z0-9-]+, got \"LinkedIn\"");
        CHECK(load_error([](json& p) { p["settings"][0]["id"] = "ai_training"; })
              == "linkedin.json: settings[0].id: must match [a-z0-9-]+, got \"ai_training\"");
    }
    SUBCASE("setting ids are unique within a platform")
    {
        CHECK(load_error([](json& p) { p["settings"].push_back(toggle_setting()); })
              == "linkedin.json: settings[1].id: duplicate setting id \"generative-ai-training\"");
        CHECK(load_error([](json& p) { p["settings"].push_back(toggle_setting("other")); })
              == "(loaded)");
    }
    SUBCASE("hosts of pages must be in hosts")
    {
        CHECK(load_error([](json& p) {
                  p["settings"][0]["pages"][0] = "https://evil.example/mypreferences*";
              })
              == "linkedin.json: settings[0].pages[0]: host \"evil.example\" is not listed in hosts");
        CHECK(load_error([](json& p) { p["settings"][0]["pages"][0] = "www.linkedin.com/x"; })
              == "linkedin.json: settings[0].pages[0]: must look like https://HOST/PATH, got "
                 "\"www.linkedin.com/x\"");
    }
    SUBCASE("hosts are lower-case host names, optionally with a leading *.")
    {
        CHECK(load_error([](json& p) { p["hosts"].push_back("WWW.example.com"); })
              == "linkedin.json: hosts[1]: must be a lower-case host name, optionally starting "
                 "with \"*.\", got \"WWW.example.com\"");
        CHECK(load_error([](json& p) { p["hosts"].push_back("www.linkedin.com"); })
              == "linkedin.json: hosts[1]: repeats \"www.linkedin.com\"");
        CHECK(load_error([](json& p) { p["hosts"].push_back("*.linkedin.com"); }) == "(loaded)");
    }
    SUBCASE("kind and detect go together")
    {
        CHECK(load_error([](json& p) { p["settings"][0]["kind"] = "switch"; })
              == R"(linkedin.json: settings[0].kind: must be "toggle", "checkbox", "form" or "info")");
        CHECK(load_error([](json& p) { p["settings"][0].erase("detect"); })
              == "linkedin.json: settings[0]: missing required key \"detect\" (toggles and "
                 "checkboxes need it)");
        CHECK(load_error([](json& p) { p["settings"][0]["kind"] = "form"; })
              == "linkedin.json: settings[0].detect: only toggles and checkboxes can be detected");
        CHECK(load_error([](json& p) { p["settings"][0]["detect"]["roles"] = {"button"}; })
              == R"(linkedin.json: settings[0].detect.roles[0]: must be "switch" or "checkbox")");
        CHECK(load_error([](json& p) { p["settings"][0]["detect"]["labels"] = json::array(); })
              == "linkedin.json: settings[0].detect.labels: must hold at least 1 element");
    }
    SUBCASE("readable settings need a page; forms may have none")
    {
        CHECK(load_error([](json& p) { p["settings"][0]["pages"] = json::array(); })
              == "linkedin.json: settings[0].pages: must hold at least 1 element");
        CHECK(load_error([](json& p) {
                  p["settings"][0]["kind"] = "info";
                  p["settings"][0].erase("detect");
                  p["settings"][0]["pages"] = json::array();
              })
              == "(loaded)");
    }
    SUBCASE("interval_days is an integer from 1 to 365")
    {
        CHECK(load_error([](json& p) { p["settings"][0]["interval_days"] = 0; })
              == "linkedin.json: settings[0].interval_days: must be an integer from 1 to 365, got 0");
        CHECK(load_error([](json& p) { p["settings"][0]["interval_days"] = 366; })
              == "linkedin.json: settings[0].interval_days: must be an integer from 1 to 365, got 366");
        CHECK(load_error([](json& p) { p["settings"][0]["interval_days"] = 30.5; })
              == "linkedin.json: settings[0].interval_days: must be an integer from 1 to 365, got 30.5");
        CHECK(load_error([](json& p) { p["settings"][0]["interval_days"] = 365; }) == "(loaded)");
    }
    SUBCASE("URLs are https and dates are real dates")
    {
        CHECK(load_error([](json& p) { p["settings"][0]["opt_out_url"] = "http://x.example/"; })
              == "linkedin.json: settings[0].opt_out_url: must be an https URL, got "
                 "\"http://x.example/\"");
        CHECK(load_error([](json& p) { p["settings"][0]["source"] = "see the help page"; })
              == "linkedin.json: settings[0].source: must be an https URL, got \"see the help page\"");
        CHECK(load_error([](json& p) { p["settings"][0]["checked"] = "2026-02-30"; })
              == "linkedin.json: settings[0].checked: must be a date written YYYY-MM-DD, got "
                 "\"2026-02-30\"");
        CHECK(load_error([](json& p) { p["settings"][0]["policy_events"][0]["date"] = "2025"; })
              == "linkedin.json: settings[0].policy_events[0].date: must be a date written "
                 "YYYY-MM-DD, got \"2025\"");
    }
    SUBCASE("text fields are non-empty strings")
    {
        CHECK(load_error([](json& p) { p["name"] = ""; })
              == "linkedin.json: name: must be a non-empty string, got \"\"");
        CHECK(load_error([](json& p) { p["settings"][0]["why"] = "  "; })
              == "linkedin.json: settings[0].why: must be a non-empty string, got \"  \"");
        CHECK(load_error([](json& p) { p["settings"][0]["title"] = 5; })
              == "linkedin.json: settings[0].title: must be a non-empty string, got 5");
        CHECK(load_error([](json& p) { p["settings"][0]["path"] = json::array(); })
              == "linkedin.json: settings[0].path: must hold at least 1 element");
    }
    SUBCASE("a platform needs at least one setting")
    {
        CHECK(load_error([](json& p) { p["settings"] = json::array(); })
              == "linkedin.json: settings: must hold at least 1 element");
        CHECK(load_error([](json& p) { p["settings"] = json::object(); })
              == "linkedin.json: settings: must be an array, got {}");
    }
}

TEST_CASE("platform ids are unique across the catalog")
{
    const TempDir dir;
    dir.write("index.json", index_json(json::array({"linkedin.json", "other.json"})).dump());
    dir.write("linkedin.json", platform_json().dump());
    dir.write("other.json", platform_json().dump());
    CHECK(try_load_catalog(dir.path()).error
          == "other.json: platform: id \"linkedin\" is already used by another platform file");
}

TEST_CASE("a catalog file nested deeper than 64 levels is refused, not recursed into")
{
    const TempDir dir;
    dir.write("index.json", std::string(100'000, '['));
    CHECK(try_load_catalog(dir.path()).error == "index.json: nested deeper than 64 levels");
}

TEST_CASE("form and info entries: no detect, pages may be empty, hosts may be empty")
{
    const auto form = [](json& p) {
        p["settings"][0]["kind"] = "form";
        p["settings"][0].erase("detect");
        p["settings"][0]["pages"] = json::array();
    };
    CHECK(load_error(form) == "(loaded)");
    CHECK(load_error([&](json& p) {
              form(p);
              p["hosts"] = json::array();
          })
          == "(loaded)");
    CHECK(load_error([&](json& p) {
              form(p);
              p["settings"][0]["detect"] = {{"roles", {"switch"}}, {"labels", {{{"text", "x"}, {"lang", "en"}, {"source", "https://a.example"}, {"checked", "2026-11-23"}}}}};
          })
          == "linkedin.json: settings[0].detect: only toggles and checkboxes can be detected");
    CHECK(load_error([](json& p) { p["settings"][0]["kind"] = "checkbox"; p["settings"][0].erase("detect"); })
          == "linkedin.json: settings[0]: missing required key \"detect\" (toggles and checkboxes need it)");
    CHECK(load_error([](json& p) {
              p["settings"][0]["kind"] = "checkbox";
              p["settings"][0]["pages"] = json::array();
          })
          == "linkedin.json: settings[0].pages: must hold at least 1 element");
    // A toggle's page still needs one of the platform's hosts.
    CHECK(load_error([](json& p) { p["hosts"] = json::array(); })
          != "(loaded)");
}

TEST_CASE("a wildcard host's page patterns load and match the bare domain and subdomains")
{
    TempDir dir;
    json platform = platform_json();
    platform["platform"] = "substack";
    platform["hosts"] = {"*.substack.com"};
    platform["settings"][0]["pages"] = {"https://*.substack.com/publish/settings*"};
    platform["settings"][0]["opt_out_url"] = "https://substack.com/";
    dir.write("index.json", index_json({"substack.json"}).dump());
    dir.write("substack.json", platform.dump(2));
    const CatalogLoad loaded = try_load_catalog(dir.path());
    REQUIRE_MESSAGE(loaded.catalog.has_value(), loaded.error);
    const Setting* setting = loaded.catalog->find_setting("substack", "generative-ai-training");
    REQUIRE(setting != nullptr);
    REQUIRE(setting->pages.size() == 1);
    using optguard::domain::matches_page;
    CHECK(matches_page(setting->pages[0], "https://alice.substack.com/publish/settings?tab=x"));
    CHECK(matches_page(setting->pages[0], "https://substack.com/publish/settings"));
    CHECK_FALSE(matches_page(setting->pages[0], "https://evilsubstack.com/publish/settings"));
    CHECK_FALSE(matches_page(setting->pages[0], "https://alice.substack.com/p/a-post"));
    // The page's host must be the wildcard host itself, not a subdomain the wildcard covers.
    platform["settings"][0]["pages"] = {"https://alice.substack.com/publish/settings*"};
    dir.write("substack.json", platform.dump(2));
    CHECK(try_load_catalog(dir.path()).error != "");
}

TEST_CASE("policy_events regions are ISO 3166-1 alpha-2 codes, EU, EEA, UK or GLOBAL")
{
    for (const char* good : {"CH", "CA", "HK", "EU", "EEA", "UK", "GLOBAL"}) {
        CAPTURE(good);
        CHECK(load_error([&](json& p) { p["settings"][0]["policy_events"][0]["regions"] = {good}; })
              == "(loaded)");
    }
    CHECK(load_error([](json& p) { p["settings"][0]["policy_events"][0]["regions"] = {"EU", "eu"}; })
          == "linkedin.json: settings[0].policy_events[0].regions[1]: must be an ISO 3166-1 alpha-2 "
             "code such as \"CH\", or \"EU\", \"EEA\", \"UK\" or \"GLOBAL\", got \"eu\"");
    for (const char* bad : {"Europe", "CHE", "C", "WORLD", "E1"}) {
        CAPTURE(bad);
        CHECK(load_error([&](json& p) { p["settings"][0]["policy_events"][0]["regions"] = {bad}; })
              != "(loaded)");
    }
}

TEST_CASE("labels carry their language, dates and source, declared rules and facts are checked")
{
    const auto label = [](const char* text, const char* lang) {
        return json {{"text", text}, {"lang", lang}, {"source", "https://help.example.com/a"},
                     {"checked", "2026-11-29"}};
    };
    CHECK(load_error([&](json& p) {
              auto& detect = p["settings"][0]["detect"];
              detect["labels"].push_back(label("Meine Daten verwenden", "de"));
              detect["labels"].push_back(label("Usar meus dados", "pt-BR"));
              detect["labels"][1]["since"] = "2025-09-18";
              detect["labels"][1]["until"] = "2026-01-31";
              detect["labels"][2]["unconfirmed"] = "Reported second-hand only.";
              detect["sole_control"] = true;
              detect["dialog"] = {{"titles", {label("Model improvement", "en")}}};
              detect["state_text"] = {{"on", {"On"}}, {"off", {"Off"}}};
              p["settings"][0]["applies"] = {{"regions", {"EU", "UK"}}, {"min_age", 18}};
              p["settings"][0]["sources"] = {{{"url", "https://ico.org.uk/x"}, {"checked", "2026-11-29"},
                                              {"about", {"regions"}}, {"note", "The UK is in scope."}}};
              p["settings"][0]["unconfirmed"] = {{"opt_out_url", "No source shows the address."}};
          })
          == "(loaded)");
    CHECK(load_error([](json& p) { p["settings"][0]["detect"]["labels"] = {"Use my data"}; })
          == "linkedin.json: settings[0].detect.labels[0]: must be a JSON object, got \"Use my data\"");
    CHECK(load_error([&](json& p) { p["settings"][0]["detect"]["labels"][0]["lang"] = "English"; })
          == "linkedin.json: settings[0].detect.labels[0].lang: must be a language tag such as "
             "\"en\" or \"pt-BR\", got \"English\"");
    CHECK(load_error([&](json& p) { p["settings"][0]["detect"]["labels"][0].erase("source"); })
          == "linkedin.json: settings[0].detect.labels[0]: missing required key \"source\"");
    CHECK(load_error([&](json& p) {
              p["settings"][0]["detect"]["labels"][0]["since"] = "2026-01-02";
              p["settings"][0]["detect"]["labels"][0]["until"] = "2026-01-01";
          })
          == "linkedin.json: settings[0].detect.labels[0].until: is before since");
    CHECK(load_error([&](json& p) {
              p["settings"][0]["detect"]["labels"].push_back(p["settings"][0]["detect"]["labels"][0]);
          })
          == "linkedin.json: settings[0].detect.labels[1]: repeats \"Use my data\"");
    CHECK(load_error([&](json& p) { p["settings"][0]["detect"]["sole_control"] = "yes"; })
          .find("settings[0].detect.sole_control") != std::string::npos);
    CHECK(load_error([&](json& p) {
              p["settings"][0]["detect"]["state_text"] = {{"on", {"On"}}, {"off", {"On"}}};
          })
          == "linkedin.json: settings[0].detect.state_text: names \"On\" both on and off");
    CHECK(load_error([&](json& p) { p["settings"][0]["detect"]["dialog"] = {{"titles", json::array()}}; })
          == "linkedin.json: settings[0].detect.dialog.titles: must hold at least 1 element");
    CHECK(load_error([](json& p) { p["settings"][0]["policy_events"][0].erase("source"); })
          == "linkedin.json: settings[0].policy_events[0]: missing required key \"source\"");
    CHECK(load_error([](json& p) { p["settings"][0]["applies"] = {{"min_age", 0}}; })
          == "linkedin.json: settings[0].applies.min_age: must be a whole number of years from 1 "
             "to 99, got 0");
    CHECK(load_error([](json& p) { p["settings"][0]["unconfirmed"] = {{"colour", "x"}}; })
          == "linkedin.json: settings[0].unconfirmed.colour: unknown key");
    CHECK(load_error([](json& p) { p["settings"][0]["unconfirmed"] = json::object(); })
          == "linkedin.json: settings[0].unconfirmed: must name at least one field");
    CHECK(load_error([](json& p) {
              p["settings"][0]["sources"] = {{{"url", "http://x.example"}, {"checked", "2026-11-29"},
                                              {"about", {"path"}}}};
          })
          == "linkedin.json: settings[0].sources[0].url: must be an https URL, got "
             "\"http://x.example\"");
}

} // namespace OPTGUARD_TEST_FILE
