// The reminder records in a real SQLite file in a temp folder: migration from schema 1, and each
// record's round trip.
#include <doctest/doctest.h>

#include <sqlite3.h>

#include "storage/reminder_store.hpp"
#include "storage/state_store.hpp"
#include "test_support.hpp"

// This file's own names, apart from other test files' in a unity build (tests/CMakeLists.txt).
namespace OPTGUARD_TEST_FILE {

using namespace optguard;
using namespace std::chrono_literals;
using domain::from_unix_ms;
using storage::Channel;
using storage::SqliteReminderStore;
using test::TempDir;

namespace {

std::string query_text(const std::filesystem::path& file, const std::string& sql)
{
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(file.string().c_str(), &db) == SQLITE_OK);
    std::string result;
    sqlite3_exec(
        db, sql.c_str(),
        [](void* out, int columns, char** values, char**) {
            auto* text = static_cast<std::string*>(out);
            for (int i = 0; i < columns; ++i) {
                if (!text->empty()) {
                    *text += '|';
                }
                *text += values[i] != nullptr ? values[i] : "NULL";
            }
            return 0;
        },
        &result, nullptr);
    sqlite3_close(db);
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

storage::Observation observation(std::int64_t ms, domain::State state, domain::Verdict verdict)
{
    storage::Observation row;
    row.platform = "linkedin";
    row.setting = "generative-ai-training";
    row.state = state;
    row.verdict = verdict;
    row.expected = domain::Expected::off;
    row.url = "https://www.linkedin.com/x";
    row.observed_at = from_unix_ms(ms);
    return row;
}

} // namespace

TEST_CASE("a schema 1 database is migrated to 2 in place, keeping its observations")
{
    const TempDir dir;
    std::filesystem::permissions(dir.path(), std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::replace);
    const auto file = dir.path() / "state.sqlite3";
    exec_sql(file, "CREATE TABLE observations (id INTEGER PRIMARY KEY, platform TEXT NOT NULL,"
                   " setting TEXT NOT NULL, state TEXT NOT NULL, verdict TEXT NOT NULL,"
                   " expected TEXT NOT NULL, url TEXT NOT NULL, observed_at INTEGER NOT NULL);"
                   "CREATE INDEX observations_by_setting_time ON observations"
                   " (platform, setting, observed_at);"
                   "INSERT INTO observations VALUES (1, 'linkedin', 'generative-ai-training', 'off',"
                   " 'compliant', 'off', 'https://www.linkedin.com/x', 1000);"
                   "PRAGMA user_version = 1;");
    auto store = SqliteReminderStore::open(dir.path());
    CHECK(query_text(file, "PRAGMA user_version") == "2");
    CHECK(query_text(file, "SELECT group_concat(name) FROM (SELECT name FROM sqlite_master"
                           " WHERE type = 'table' ORDER BY name)")
          == "acknowledgements,filed_forms,fleet_status,fleet_status_record,last_batch,notifications,"
             "observations,snoozes");
    const auto history = store->history();
    REQUIRE(history.size() == 1);
    CHECK(history[0].observed_at == from_unix_ms(1000));
    SUBCASE("opening again changes nothing")
    {
        store.reset();
        auto again = SqliteReminderStore::open(dir.path());
        CHECK(again->history().size() == 1);
        CHECK(query_text(file, "PRAGMA user_version") == "2");
    }
}

TEST_CASE("a database newer than this host is refused with a message saying to update")
{
    const TempDir dir;
    std::filesystem::permissions(dir.path(), std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::replace);
    exec_sql(dir.path() / "state.sqlite3", "PRAGMA user_version = 3;");
    CHECK_THROWS_WITH_AS(SqliteReminderStore::open(dir.path()),
                         "state database has schema version 3, newer than this host understands "
                         "(2); update OptGuard",
                         storage::StorageError);
}

TEST_CASE("reminder records round-trip, and the newest one counts")
{
    const TempDir dir;
    auto observations = storage::StateStore::open(dir.path() / "s");
    auto store = SqliteReminderStore::open(dir.path() / "s"); // the same connection (one per file and process)
    const std::string_view p = "linkedin";
    const std::string_view s = "generative-ai-training";

    SUBCASE("latest readable report skips reports the page could not read")
    {
        observations->record(observation(1000, domain::State::off, domain::Verdict::compliant));
        observations->record(observation(2000, domain::State::on, domain::Verdict::violation));
        observations->record(observation(3000, domain::State::unknown, domain::Verdict::unknown));
        const auto latest = store->latest_readable(p, s);
        REQUIRE(latest);
        CHECK(latest->observed_at == from_unix_ms(2000));
        CHECK(latest->state == domain::State::on);
        CHECK(store->last_compliant_before(p, s, from_unix_ms(2000)) == from_unix_ms(1000));
        CHECK_FALSE(store->last_compliant_before(p, s, from_unix_ms(1000)));
        CHECK(store->history().size() == 3);
        CHECK_FALSE(store->latest_readable(p, "other"));
    }
    SUBCASE("a new snooze replaces the old one")
    {
        CHECK_FALSE(store->snooze(p, s));
        store->set_snooze(p, s, {from_unix_ms(10), from_unix_ms(20)});
        store->set_snooze(p, s, {from_unix_ms(30), from_unix_ms(40)});
        const auto snooze = store->snooze(p, s);
        REQUIRE(snooze);
        CHECK(snooze->set_at == from_unix_ms(30));
        CHECK(snooze->until == from_unix_ms(40));
        CHECK_FALSE(store->snooze(p, "other"));
    }
    SUBCASE("acknowledgements are kept; the newest counts")
    {
        store->acknowledge(p, s, from_unix_ms(50));
        store->acknowledge(p, s, from_unix_ms(40));
        CHECK(store->acknowledged_at(p, s) == from_unix_ms(50));
        CHECK_FALSE(store->acknowledged_at(p, "other"));
    }
    SUBCASE("filed forms: the latest date counts")
    {
        CHECK_FALSE(store->filed_on(p, s));
        store->record_filed(p, s, "2025-11-10", from_unix_ms(1));
        store->record_filed(p, s, "2025-06-01", from_unix_ms(2));
        CHECK(store->filed_on(p, s) == "2025-11-10");
    }
    SUBCASE("a filed date that is not a date is refused by the database itself")
    {
        CHECK_THROWS_AS(store->record_filed(p, s, "yesterday", from_unix_ms(1)),
                        storage::StorageError);
    }
    SUBCASE("notifications are remembered per channel")
    {
        store->record_notified(p, s, Channel::desktop, from_unix_ms(5));
        CHECK(store->last_notified(p, s, Channel::desktop) == from_unix_ms(5));
        CHECK_FALSE(store->last_notified(p, s, Channel::browser));
    }
}

TEST_CASE("in a reading scope every read answers as outside one, and sees the scope's own writes")
{
    const TempDir dir;
    auto observations = storage::StateStore::open(dir.path() / "s");
    auto store = SqliteReminderStore::open(dir.path() / "s");
    const std::string_view p = "linkedin";
    const std::string_view s = "generative-ai-training";
    const std::string_view quiet = "microsoft-affiliate-ads"; // nothing recorded for it
    observations->record(observation(1000, domain::State::off, domain::Verdict::compliant));
    observations->record(observation(2000, domain::State::on, domain::Verdict::violation));
    store->set_snooze(p, s, {from_unix_ms(10), from_unix_ms(20)});
    store->set_snooze("x", "grok", {from_unix_ms(11), from_unix_ms(21)});
    store->acknowledge(p, s, from_unix_ms(50));
    store->acknowledge(p, s, from_unix_ms(60));
    store->record_filed(p, s, "2025-11-10", from_unix_ms(1));
    store->record_filed(p, s, "2025-12-01", from_unix_ms(2));

    // What every read gives outside a scope, asked again inside one.
    const auto outside_latest = store->latest(p, s);
    const auto outside_readable = store->latest_readable(p, s);
    const auto outside_snooze = store->snooze(p, s);
    {
        const storage::ReadingScope reading(store.get());
        for (int pass = 0; pass < 2; ++pass) { // the second pass answers from what the first read
            CAPTURE(pass);
            const auto latest = store->latest(p, s);
            REQUIRE(latest);
            CHECK(latest->observed_at == outside_latest->observed_at);
            const auto readable = store->latest_readable(p, s);
            REQUIRE(readable);
            CHECK(readable->observed_at == outside_readable->observed_at);
            CHECK(store->snooze(p, s)->until == outside_snooze->until);
            CHECK(store->snooze("x", "grok")->until == from_unix_ms(21));
            CHECK(store->acknowledged_at(p, s) == from_unix_ms(60));
            CHECK(store->filed_on(p, s) == "2025-12-01");
            CHECK_FALSE(store->latest(p, quiet));
            CHECK_FALSE(store->latest_readable(p, quiet));
            CHECK_FALSE(store->snooze(p, quiet));
            CHECK_FALSE(store->acknowledged_at(p, quiet));
            CHECK_FALSE(store->filed_on(p, quiet));
        }
        // A write made in the scope is seen by the reads after it.
        store->set_snooze(p, quiet, {from_unix_ms(70), from_unix_ms(80)});
        store->acknowledge(p, quiet, from_unix_ms(90));
        store->record_filed(p, quiet, "2026-01-02", from_unix_ms(3));
        CHECK(store->snooze(p, quiet)->until == from_unix_ms(80));
        CHECK(store->acknowledged_at(p, quiet) == from_unix_ms(90));
        CHECK(store->filed_on(p, quiet) == "2026-01-02");
    }
    SUBCASE("a newest report the page could not read: the readable one is looked up")
    {
        observations->record(observation(3000, domain::State::unknown, domain::Verdict::unknown));
        const storage::ReadingScope reading(store.get());
        CHECK(store->latest(p, s)->state == domain::State::unknown);
        CHECK(store->latest_readable(p, s)->observed_at == from_unix_ms(2000));
    }
    SUBCASE("a new scope reads again what changed since the last")
    {
        {
            const storage::ReadingScope reading(store.get());
            CHECK(store->latest(p, s)->observed_at == from_unix_ms(2000));
        }
        observations->record(observation(4000, domain::State::off, domain::Verdict::compliant));
        const storage::ReadingScope reading(store.get());
        CHECK(store->latest(p, s)->observed_at == from_unix_ms(4000));
        CHECK(store->latest_readable(p, s)->observed_at == from_unix_ms(4000));
    }
}

} // namespace OPTGUARD_TEST_FILE
