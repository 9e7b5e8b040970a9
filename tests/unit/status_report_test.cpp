// The status of every setting for fleet tools (status_report.hpp): the versioned `status --json`
// document, pinned field for field against docs/fleet/status-v1.example.json (which
// docs/fleet/status-v1.schema.json describes; tests/js/fleet-docs.test.mjs checks the two agree),
// and the fleet table's rows with what each will be due for later.
//
// If this test fails because the document changed on purpose: that is a new schema_version. Add it
// to docs/fleet.md (what changed, how long version 1 stays), a new schema and example, and keep
// printing version 1 for as long as docs/fleet.md says.
#include <fstream>
#include <sstream>

#include <doctest/doctest.h>

#include "build_config.hpp"
#include "catalog/catalog.hpp"
#include "memory_reminder_store.hpp"
#include "app/status_report.hpp"

// This file's own names, apart from other test files' in a unity build (tests/CMakeLists.txt).
namespace OPTGUARD_TEST_FILE {

using namespace optguard;
using json = nlohmann::json;

namespace {

const std::filesystem::path fixtures = OPTGUARD_TEST_FIXTURES;
const std::filesystem::path docs = OPTGUARD_TEST_DOCS;
const domain::TimePoint now = domain::from_unix_ms(1795435200000); // 2026-11-23T12:00:00.000Z

catalog::Catalog fixture_catalog()
{
    return catalog::load_catalog(fixtures / "catalogs" / "valid");
}

void report(test::MemoryReminderStore& store, const char* platform, const char* setting,
            domain::State state, domain::Verdict verdict, std::int64_t ms)
{
    storage::Observation row;
    row.platform = platform;
    row.setting = setting;
    row.state = state;
    row.verdict = verdict;
    row.url = "https://www.example.com/settings/privacy";
    row.observed_at = domain::from_unix_ms(ms);
    store.rows.push_back(row);
}

// The history of the example: one setting compliant since 2026-11-20, one seen in violation on
// 2026-11-22, the form never filed.
void example_history(test::MemoryReminderStore& store)
{
    report(store, "example", "ai-training", domain::State::off, domain::Verdict::compliant,
           1795167000000); // 2026-11-20T09:30:00.000Z
    report(store, "example", "block-ai-crawlers", domain::State::off, domain::Verdict::violation,
           1795370712345); // 2026-11-22T18:05:12.345Z
}

json read_json(const std::filesystem::path& file)
{
    std::ifstream in(file);
    REQUIRE(in);
    std::ostringstream text;
    text << in.rdbuf();
    return json::parse(text.str());
}

const json& row_of(const json& document, const std::string& setting)
{
    for (const auto& row : document.at("settings")) {
        if (row.at("setting") == setting) {
            return row;
        }
    }
    throw std::runtime_error("no row for " + setting);
}

} // namespace

TEST_CASE("status --json, schema version 1, is exactly the documented example")
{
    const catalog::Catalog catalog = fixture_catalog();
    test::MemoryReminderStore store;
    example_history(store);
    json document = status::document(catalog, status::read(catalog, &store), now);
    // The one field that is not the document's own: the host's version at build time.
    CHECK(document.at("host_version") == build_config::version);
    document["host_version"] = "0.1.0";
    const json example = read_json(docs / "fleet" / "status-v1.example.json");
    INFO(document.dump(2));
    CHECK(document == example);
}

TEST_CASE("status --json with nothing recorded: every watched setting is due, never verified")
{
    const catalog::Catalog catalog = fixture_catalog();
    const json document = status::document(catalog, status::read(catalog, nullptr), now);
    CHECK(document.at("schema") == "optguard-status");
    CHECK(document.at("schema_version") == 1);
    CHECK(document.at("summary")
          == json {{"settings", 3}, {"watched", 3}, {"compliant", 0}, {"violation", 0},
                   {"unknown", 0}, {"not_checked", 3}, {"due", 3}});
    for (const auto& row : document.at("settings")) {
        CHECK(row.at("state").is_null());
        CHECK(row.at("verdict").is_null());
        CHECK(row.at("due") == true);
        CHECK(row.at("reasons") == json::parse(R"([{"code":"never_verified","since":null,"policy_date":null}])"));
    }
}

TEST_CASE("the summary counts watched settings only, an ignored setting is never due")
{
    catalog::Catalog catalog = fixture_catalog();
    catalog.platforms.at(0).settings.at(1).watch = false; // example/block-ai-crawlers
    test::MemoryReminderStore store;
    example_history(store);
    const json document = status::document(catalog, status::read(catalog, &store), now);
    const json& ignored = row_of(document, "block-ai-crawlers");
    CHECK(ignored.at("watch") == false);
    CHECK(ignored.at("verdict") == "violation"); // still shown as it is
    CHECK(ignored.at("due") == false);
    CHECK(document.at("summary")
          == json {{"settings", 3}, {"watched", 2}, {"compliant", 1}, {"violation", 0},
                   {"unknown", 0}, {"not_checked", 1}, {"due", 1}});
}

TEST_CASE("the verdict follows today's expected state, the state is the newest report, even unknown")
{
    catalog::Catalog catalog = fixture_catalog();
    catalog.platforms.at(0).settings.at(0).expected = domain::Expected::on; // the person changed it
    test::MemoryReminderStore store;
    example_history(store);
    report(store, "example", "block-ai-crawlers", domain::State::unknown, domain::Verdict::unknown,
           1795371000000);
    const json document = status::document(catalog, status::read(catalog, &store), now);
    CHECK(row_of(document, "ai-training").at("verdict") == "violation");
    const json& unreadable = row_of(document, "block-ai-crawlers");
    CHECK(unreadable.at("state") == "unknown");
    CHECK(unreadable.at("verdict") == "unknown");
    CHECK(unreadable.at("verified_at") == "2026-11-22T18:10:00.000Z");
    // Due still judges the last readable report: the violation stands.
    CHECK(unreadable.at("reasons").at(0).at("code") == "violation");
}

TEST_CASE("fleet rows: what is due now, and for what the others will be due and when")
{
    const catalog::Catalog catalog = fixture_catalog();
    test::MemoryReminderStore store;
    example_history(store);
    const auto rows = status::fleet_rows(catalog, status::read(catalog, &store), now);
    REQUIRE(rows.size() == 3);

    const storage::FleetRow& compliant = rows[0];
    CHECK(compliant.platform == "example");
    CHECK(compliant.setting == "ai-training");
    CHECK(compliant.title == "Use my content to train AI");
    CHECK(compliant.watch);
    CHECK(compliant.expected == "off");
    CHECK(compliant.state == "off");
    CHECK(compliant.verdict == "compliant");
    CHECK(compliant.verified_at == 1795167000000);
    CHECK_FALSE(compliant.due);
    CHECK_FALSE(compliant.severity);
    CHECK(compliant.reasons.empty());
    // 30 days after the check, the interval ends: due then, for that reason.
    CHECK(compliant.due_at == 1795167000000 + 30LL * 24 * 3600 * 1000);
    CHECK(compliant.severity_then == "normal");
    CHECK(compliant.reasons_then == "interval_elapsed");
    CHECK(compliant.catalog_version == "2026.11.23");

    const storage::FleetRow& violation = rows[1];
    CHECK(violation.due);
    CHECK(violation.severity == "critical");
    CHECK(violation.reasons == "violation");
    CHECK_FALSE(violation.due_at);

    const storage::FleetRow& never = rows[2];
    CHECK(never.platform == "forms-only");
    CHECK_FALSE(never.state);
    CHECK_FALSE(never.verdict);
    CHECK_FALSE(never.verified_at);
    CHECK(never.due);
    CHECK(never.reasons == "never_verified");
}

} // namespace OPTGUARD_TEST_FILE
