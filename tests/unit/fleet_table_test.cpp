// The fleet table and its view (storage/fleet_table.hpp) in a real SQLite file: added to a database
// an older host made, written only when something changed or an hour passed, and read through the
// view as fleet tools read it, with `due` decided at the moment of reading.
#include <doctest/doctest.h>

#include <sqlite3.h>

#include "storage/fleet_table.hpp"
#include "storage/reminder_store.hpp"
#include "storage/state_store.hpp"
#include "test_support.hpp"

// This file's own names, apart from other test files' in a unity build (tests/CMakeLists.txt).
namespace OPTGUARD_TEST_FILE {

using namespace optguard;
using namespace std::chrono_literals;
using domain::from_unix_ms;
using storage::FleetRow;
using storage::SqliteReminderStore;
using test::TempDir;

namespace {

// One SQL result: columns joined by '|', rows by '\n'; NULL as "NULL".
std::string query_text(const std::filesystem::path& file, const std::string& sql)
{
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(file.string().c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    std::string result;
    char* error = nullptr;
    const int rc = sqlite3_exec(
        db, sql.c_str(),
        [](void* out, int columns, char** values, char**) {
            auto* text = static_cast<std::string*>(out);
            if (!text->empty()) {
                *text += '\n';
            }
            for (int i = 0; i < columns; ++i) {
                // Appended apart: GCC 12's -O3 -Wrestrict false positive on `"|" + std::string`.
                text->append(i == 0 ? "" : "|").append(values[i] ? values[i] : "NULL");
            }
            return 0;
        },
        &result, &error);
    const std::string message = error ? error : "";
    sqlite3_free(error);
    sqlite3_close(db);
    REQUIRE_MESSAGE(rc == SQLITE_OK, message);
    return result;
}

void exec_sql(const std::filesystem::path& file, const char* sql)
{
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(file.string().c_str(), &db) == SQLITE_OK);
    char* error = nullptr;
    const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &error);
    const std::string message = error ? error : "";
    sqlite3_free(error);
    sqlite3_close(db);
    REQUIRE_MESSAGE(rc == SQLITE_OK, message);
}

std::filesystem::path private_dir(const TempDir& dir)
{
    std::filesystem::permissions(dir.path(), std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::replace);
    return dir.path() / "state.sqlite3";
}

FleetRow compliant_row()
{
    FleetRow row;
    row.platform = "linkedin";
    row.setting = "generative-ai-training";
    row.title = "Use my data for training content creation AI models";
    row.watch = true;
    row.expected = "off";
    row.state = "off";
    row.verdict = "compliant";
    row.verified_at = 1795167000123; // 2026-11-20T09:30:00.123Z
    row.due_at = 1797759000123;      // 30 days later
    row.severity_then = "normal";
    row.reasons_then = "interval_elapsed";
    row.catalog_version = "2026.11.23";
    return row;
}

FleetRow never_checked_row()
{
    FleetRow row;
    row.platform = "quora";
    row.setting = "llm-training";
    row.title = "Allow large language models to be trained on your content";
    row.expected = "off";
    row.due = true;
    row.severity = "normal";
    row.reasons = "never_verified";
    row.catalog_version = "2026.11.23";
    return row;
}

const domain::TimePoint now = from_unix_ms(1795435200000); // 2026-11-23T12:00:00.000Z

constexpr const char* view_query
    = "SELECT platform, setting, title, watch, expected, state, verdict, verified_at, due, severity,"
      " reasons, catalog_version, recorded_at FROM optguard_fleet_v1";

} // namespace

TEST_CASE("a database an older host made (schema 2, no fleet table) gains the table and view, "
          "without a version bump")
{
    const TempDir dir;
    const auto file = private_dir(dir);
    {
        auto store = SqliteReminderStore::open(dir.path());
    }
    exec_sql(file, "DROP VIEW optguard_fleet_v1; DROP TABLE fleet_status; DROP TABLE fleet_status_record;");
    auto store = SqliteReminderStore::open(dir.path());
    CHECK(query_text(file, "PRAGMA user_version") == "2"); // an older host still opens it
    CHECK(query_text(file, "SELECT count(*) FROM sqlite_master WHERE name IN ('fleet_status',"
                           " 'fleet_status_record', 'optguard_fleet_v1')")
          == "3");
    CHECK(query_text(file, view_query).empty());
}

TEST_CASE("the view shows what was published, in the order given, times as on the wire")
{
    const TempDir dir;
    const auto file = private_dir(dir);
    auto store = SqliteReminderStore::open(dir.path());
    const std::vector<FleetRow> rows = {compliant_row(), never_checked_row()};
    CHECK(store->publish_status(rows, now));
    CHECK(query_text(file, view_query)
          == "linkedin|generative-ai-training|Use my data for training content creation AI models|1|"
             "off|off|compliant|2026-11-20T09:30:00.123Z|0|NULL||2026.11.23|2026-11-23T12:00:00.000Z\n"
             "quora|llm-training|Allow large language models to be trained on your content|1|off|NULL|"
             "NULL|NULL|1|normal|never_verified|2026.11.23|2026-11-23T12:00:00.000Z");
}

TEST_CASE("a row is due from its due_at on, with the reasons evaluated for then, when nothing "
          "evaluates in between")
{
    const TempDir dir;
    const auto file = private_dir(dir);
    auto store = SqliteReminderStore::open(dir.path());
    FleetRow past = compliant_row();
    past.due_at = 1000; // long ago: the view compares with the clock when it is read
    FleetRow future = compliant_row();
    future.setting = "other";
    future.due_at = 4102444800000; // 2100-01-01
    CHECK(store->publish_status(std::vector<FleetRow> {past, future}, now));
    CHECK(query_text(file, "SELECT setting, due, severity, reasons FROM optguard_fleet_v1")
          == "generative-ai-training|1|normal|interval_elapsed\nother|0|NULL|");
}

TEST_CASE("publishing writes only what changed, or after an hour")
{
    const TempDir dir;
    const auto file = private_dir(dir);
    auto store = SqliteReminderStore::open(dir.path());
    std::vector<FleetRow> rows = {compliant_row(), never_checked_row()};
    CHECK(store->publish_status(rows, now));
    CHECK_FALSE(store->publish_status(rows, now + 10min)); // the same evaluation: nothing written
    CHECK(query_text(file, "SELECT recorded_at FROM fleet_status_record") == "1795435200000");
    CHECK(store->publish_status(rows, now + 61min)); // an hour on: written again, recorded_at fresh
    CHECK(query_text(file, "SELECT recorded_at FROM fleet_status_record")
          == std::to_string(1795435200000 + 61 * 60 * 1000));
    rows[1].state = "on"; // any field that changes
    rows[1].verdict = "violation";
    CHECK(store->publish_status(rows, now + 62min));
    CHECK(query_text(file, "SELECT state, verdict FROM optguard_fleet_v1 WHERE platform = 'quora'")
          == "on|violation");
    CHECK(store->publish_status(std::vector<FleetRow> {rows[0]}, now + 63min)); // a setting gone
    CHECK(query_text(file, "SELECT count(*) FROM optguard_fleet_v1") == "1");
    CHECK(store->publish_status(std::vector<FleetRow> {}, now + 64min)); // an empty catalog
    CHECK(query_text(file, "SELECT count(*) FROM optguard_fleet_v1") == "0");
    CHECK(query_text(file, "SELECT count(*) FROM fleet_status_record") == "1");
}

TEST_CASE("the view is read-only")
{
    const TempDir dir;
    const auto file = private_dir(dir);
    auto store = SqliteReminderStore::open(dir.path());
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(file.string().c_str(), &db) == SQLITE_OK);
    CHECK(sqlite3_exec(db, "DELETE FROM optguard_fleet_v1", nullptr, nullptr, nullptr) == SQLITE_ERROR);
    CHECK(sqlite3_exec(db, "UPDATE optguard_fleet_v1 SET due = 0", nullptr, nullptr, nullptr)
          == SQLITE_ERROR);
    sqlite3_close(db);
}

} // namespace OPTGUARD_TEST_FILE
