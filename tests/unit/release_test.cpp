// Catalog releases (catalog/release.hpp): one file with the whole catalog, its version and date,
// validated by the same rules as a catalog folder; version order; the age rules.
#include <fstream>
#include <sstream>
#include <string>

#include <doctest/doctest.h>

#include "storage/active_catalog.hpp"
#include "catalog/release.hpp"
#include "domain/reminders.hpp"
#include "storage/catalog_install.hpp"

// This file's own names, apart from other test files' in a unity build (tests/CMakeLists.txt).
namespace OPTGUARD_TEST_FILE {

using namespace optguard;
using namespace optguard::catalog;
using json = nlohmann::json;

namespace {

const std::filesystem::path valid = std::filesystem::path(OPTGUARD_TEST_FIXTURES) / "catalogs" / "valid";

json read_json(const std::string& name)
{
    std::ifstream in(valid / name, std::ios::binary);
    return json::parse(in);
}

// The valid fixture catalog as a release of `version` dated `date`.
json release_document(const std::string& version = "2026.12.01", const std::string& date = "2026-12-02")
{
    json index = read_json("index.json");
    index["version"] = version;
    return {{"optguard_catalog_release", 1},
            {"version", version},
            {"date", date},
            {"index", index},
            {"platforms",
             {{"example.json", read_json("example.json")},
              {"forms-only.json", read_json("forms-only.json")}}}};
}

std::string error_of(const std::string& text)
{
    try {
        (void)parse_release(text);
    } catch (const CatalogError& error) {
        return error.what();
    }
    return "(no error)";
}

domain::TimePoint at(const std::string& date, int hour = 12)
{
    return *domain::date_start_utc(date) + std::chrono::hours(hour);
}

} // namespace

TEST_CASE("a release holds the whole catalog, validated as a catalog folder is")
{
    const Release release = parse_release(release_document().dump());
    CHECK(release.version == "2026.12.01");
    CHECK(release.date == "2026-12-02");
    CHECK(release.catalog.version == "2026.12.01");
    REQUIRE(release.catalog.platforms.size() == 2);
    CHECK(release.catalog.platforms[0].id == "example"); // index order, not the object's
    CHECK(release.catalog.find_setting("example", "ai-training") != nullptr);
    // Same date as the version is fine; pretty-printed or compact, it is the same release.
    CHECK(parse_release(release_document("2026.12.01", "2026-12-01").dump(2)).date == "2026-12-01");
}

TEST_CASE("a release that is not exactly a release of a valid catalog is refused, naming the part")
{
    json doc = release_document();
    doc["platforms"]["example.json"]["settings"][0]["expected"] = "maybe";
    CHECK(error_of(doc.dump()) == R"(example.json: settings[0].expected: must be "on" or "off")");

    doc = release_document();
    doc["optguard_catalog_release"] = 2;
    CHECK(error_of(doc.dump())
          == "release: optguard_catalog_release: must be 1 (the release format this host reads), got 2");
    doc = release_document();
    doc["extra"] = true;
    CHECK(error_of(doc.dump()).find("release: ") == 0);
    doc = release_document();
    doc.erase("date");
    CHECK(error_of(doc.dump()).find("release: ") == 0);
    doc = release_document();
    doc["version"] = "2026-12-01";
    CHECK(error_of(doc.dump()) == R"(release: version: must be a date written YYYY.MM.DD, got "2026-12-01")");
    doc = release_document("2026.12.01", "2026-11-30");
    CHECK(error_of(doc.dump()) == R"(release: date: is before the version's date "2026.12.01")");
    doc = release_document();
    doc["index"]["version"] = "2026.12.02";
    CHECK(error_of(doc.dump())
          == R"(release: index.version: is "2026.12.02", the release's version is "2026.12.01")");
    doc = release_document();
    doc["index"]["format"] = 3;
    CHECK(error_of(doc.dump()).find("index.json: format: must be 2") == 0);
    doc = release_document();
    doc["platforms"].erase("forms-only.json");
    CHECK(error_of(doc.dump()) == R"(release: platforms: has no "forms-only.json", which index.json lists)");
    doc = release_document();
    doc["platforms"]["stray.json"] = read_json("example.json");
    CHECK(error_of(doc.dump()) == R"(release: platforms: holds "stray.json", which index.json does not list)");
    doc = release_document();
    doc["platforms"] = json::array();
    CHECK(error_of(doc.dump()).find("release: platforms: must be an object") == 0);
    CHECK(error_of("").find("release:") == 0);
    CHECK(error_of("{\"optguard_catalog_release\": 1,").find("release:1:") == 0);
    CHECK(error_of("[]").find("release: ") == 0);
    CHECK(error_of(std::string(max_release_bytes + 1, ' ')) == "release: larger than 640 KiB");
}

TEST_CASE("versions: dates written YYYY.MM.DD, ordered by date")
{
    CHECK(is_version("2026.11.29"));
    CHECK_FALSE(is_version("2026.11.31"));
    CHECK_FALSE(is_version("2026-11-29"));
    CHECK_FALSE(is_version("2026.11.29.1"));
    CHECK_FALSE(is_version(".lock"));
    CHECK(compare_versions("2026.11.29", "2026.11.30") < 0);
    CHECK(compare_versions("2026.12.01", "2026.11.30") > 0);
    CHECK(compare_versions("2027.01.01", "2026.12.31") > 0);
    CHECK(compare_versions("2026.11.29", "2026.11.29") == 0);
    CHECK(version_date("2026.11.29") == "2026-11-29");
}

TEST_CASE("age: whole days since the catalog's date, stale past 60 days")
{
    CatalogInfo info;
    info.version = "2026.09.01";
    info.date = "2026-09-01";
    CHECK(age_days(info, at("2026-09-01", 0)) == 0);
    CHECK(age_days(info, at("2026-09-01", 23)) == 0);
    CHECK(age_days(info, at("2026-09-02", 0)) == 1);
    CHECK(age_days(info, at("2026-08-01")) == 0); // a date in the future is not a negative age
    CHECK(age_days(info, at("2026-10-31")) == 60);
    CHECK_FALSE(is_stale(info, at("2026-10-31")));
    CHECK(stale_warning(info, at("2026-10-31")).empty());
    CHECK(age_days(info, at("2026-11-01")) == 61);
    CHECK(is_stale(info, at("2026-11-01")));
    CHECK(stale_warning(info, at("2026-11-01")).find("61 days old") != std::string::npos);
    CHECK(stale_warning(info, at("2026-11-01")).find("may be out of date") != std::string::npos);

    const json out = info_json(info, {"a notice"}, at("2026-11-01"));
    CHECK(out.at("version") == "2026.09.01");
    CHECK(out.at("date") == "2026-09-01");
    CHECK(out.at("source") == "bundled");
    CHECK(out.at("key_id").is_null());
    CHECK(out.at("age_days") == 61);
    CHECK(out.at("stale_after_days") == 60);
    CHECK(out.at("stale") == true);
    CHECK(out.at("warning").get<std::string>().find("may be out of date") != std::string::npos);
    CHECK(out.at("notices") == json::array({"a notice"}));
    CHECK(info_json(info, {}, at("2026-09-10")).at("warning").is_null());
}

TEST_CASE("the policy events an update adds are the ones the catalog in use did not have")
{
    const Release before = parse_release(release_document().dump());
    json doc = release_document("2026.12.05", "2026-12-05");
    doc["platforms"]["example.json"]["settings"][0]["policy_events"].push_back(
        {{"date", "2026-12-03"}, {"regions", {"EU"}}, {"summary", "New terms."},
         {"source", "https://help.example.com/terms"}});
    const Release after = parse_release(doc.dump());
    const auto added = storage::new_policy_events(&before.catalog, after.catalog);
    REQUIRE(added.size() == 1);
    CHECK(added[0].platform == "example");
    CHECK(added[0].setting == "ai-training");
    CHECK(added[0].date == "2026-12-03");
    CHECK(added[0].summary == "New terms.");
    CHECK(storage::new_policy_events(&after.catalog, after.catalog).empty());
    CHECK(storage::new_policy_events(nullptr, before.catalog).size() == 1); // the fixture's own
}

} // namespace OPTGUARD_TEST_FILE
