// The reminder requests (due, snooze, ack, filed) from parsing to reply, over the fixture catalog
// and an in-memory store, at a fixed time.
#include <doctest/doctest.h>

#include "browser/dispatcher.hpp"
#include "memory_reminder_store.hpp"
#include "memory_store.hpp"
#include "protocol/error_code.hpp"

// This file's own names, apart from other test files' in a unity build (tests/CMakeLists.txt).
namespace OPTGUARD_TEST_FILE {

using namespace optguard;
using json = nlohmann::json;
using protocol::ErrorCode;

namespace {

const std::filesystem::path fixtures = OPTGUARD_TEST_FIXTURES;
const domain::TimePoint noon = domain::from_unix_ms(1795432502123); // 2026-11-23T11:15:02.123Z

struct Fixture {
    test::MemoryReminderStore* reminders = new test::MemoryReminderStore;
    std::unique_ptr<storage::ReminderStore> owned {reminders};
    Dispatcher dispatcher;

    Fixture()
        : dispatcher(catalog::try_load_catalog(fixtures / "catalogs" / "valid"), {},
                     []() -> std::unique_ptr<storage::ObservationStore> {
                         return std::make_unique<test::MemoryStore>();
                     },
                     [this]() -> std::unique_ptr<storage::ReminderStore> { return std::move(owned); })
    {
    }

    json send(const json& message, domain::TimePoint now = noon)
    {
        const std::string type = protocol::parse_type(message);
        return dispatcher.handle(protocol::parse_request(type, message), 1, now);
    }

    void report(const char* setting, domain::State state, domain::Verdict verdict, std::int64_t ms)
    {
        storage::Observation row;
        row.platform = "example";
        row.setting = setting;
        row.state = state;
        row.verdict = verdict;
        row.url = "https://www.example.com/settings/privacy";
        row.observed_at = domain::from_unix_ms(ms);
        reminders->rows.push_back(row);
    }
};

std::optional<ErrorCode> code_of(Fixture& fixture, const json& message)
{
    try {
        (void)fixture.send(message);
    } catch (const protocol::ProtocolError& error) {
        return error.code();
    }
    return std::nullopt;
}

const json& find_setting(const json& due, const std::string& platform, const std::string& setting)
{
    for (const auto& batch : due.at("platforms")) {
        for (const auto& row : batch.at("settings")) {
            if (batch.at("platform") == platform && row.at("setting") == setting) {
                return row;
            }
        }
    }
    throw std::runtime_error("not due: " + platform + "/" + setting);
}

} // namespace

TEST_CASE("due lists never verified settings per platform with reasons, severity and the opt-out page")
{
    Fixture fixture;
    const json due = fixture.send({{"id", 1}, {"type", "due"}});
    CHECK(due.at("ok") == true);
    CHECK(due.at("type") == "due");
    CHECK(due.at("now") == "2026-11-23T11:15:02.123Z");
    CHECK(due.at("count") == 3);
    REQUIRE(due.at("platforms").size() == 2);
    CHECK(due.at("platforms")[0].at("platform") == "example");
    CHECK(due.at("platforms")[0].at("name") == "Example");
    const json& row = find_setting(due, "example", "ai-training");
    CHECK(row.at("severity") == "normal");
    CHECK(row.at("reasons") == json::parse(R"([{"code":"never_verified","since":null,
        "policy_date":null,"message":"never checked"}])"));
    CHECK(row.at("opt_out_url") == "https://www.example.com/settings/privacy");
    CHECK(row.at("verified_at") == nullptr);
    CHECK(due.at("next_due_at") == nullptr);
}

TEST_CASE("due reports drift loudly and a recent compliant check as not due, with the next due time")
{
    Fixture fixture;
    const std::int64_t day = 86'400'000;
    const std::int64_t now = domain::to_unix_ms(noon);
    fixture.report("ai-training", domain::State::off, domain::Verdict::compliant, now - 10 * day);
    fixture.report("ai-training", domain::State::on, domain::Verdict::violation, now - day);
    fixture.report("block-ai-crawlers", domain::State::on, domain::Verdict::compliant, now - day);
    const json due = fixture.send({{"id", 1}, {"type", "due"}});
    const json& row = find_setting(due, "example", "ai-training");
    CHECK(row.at("severity") == "critical");
    CHECK(row.at("reasons")[0].at("code") == "drift");
    CHECK(row.at("verified_at") == "2026-11-22T11:15:02.123Z");
    CHECK(due.at("count") == 2); // drift + the never-filed form
    CHECK(due.at("next_due_at") == "2027-02-20T11:15:02.123Z"); // crawlers: 90 days
}

TEST_CASE("due publishes the same evaluation for fleet tools, one row per catalog setting")
{
    Fixture fixture;
    const std::int64_t day = 86'400'000;
    fixture.report("ai-training", domain::State::on, domain::Verdict::violation,
                   domain::to_unix_ms(noon) - day);
    const json due = fixture.send({{"id", 1}, {"type", "due"}});
    CHECK(fixture.reminders->publications == 1);
    REQUIRE(fixture.reminders->fleet.size() == 3);
    const storage::FleetRow& row = fixture.reminders->fleet[0];
    CHECK(row.setting == "ai-training");
    CHECK(row.state == "on");
    CHECK(row.verdict == "violation");
    CHECK(row.due);
    CHECK(row.reasons == "violation");
    CHECK(find_setting(due, "example", "ai-training").at("reasons")[0].at("code") == "violation");
}

TEST_CASE("a fleet record that cannot be written does not stop the person's reminders")
{
    Fixture fixture;
    fixture.reminders->fail_writes = true; // e.g. the disk is full
    const json due = fixture.send({{"id", 1}, {"type", "due"}});
    CHECK(due.at("ok") == true);
    CHECK(due.at("count") == 3);
    CHECK(fixture.reminders->publications == 0); // the view's recorded_at shows it is stale
}

TEST_CASE("snooze, ack and filed are recorded and change what is due")
{
    Fixture fixture;
    SUBCASE("snooze 1w hides the setting until then")
    {
        const json reply = fixture.send(
            {{"id", 1}, {"type", "snooze"}, {"platform", "example"}, {"setting", "ai-training"},
             {"duration", "1w"}});
        CHECK(reply.at("until") == "2026-11-30T11:15:02.123Z");
        const json due = fixture.send({{"id", 2}, {"type", "due"}});
        CHECK(due.at("count") == 2);
        CHECK(due.at("next_due_at") == "2026-11-30T11:15:02.123Z");
    }
    SUBCASE("ack silences the current reasons")
    {
        const json reply = fixture.send(
            {{"id", 1}, {"type", "ack"}, {"platform", "example"}, {"setting", "ai-training"}});
        CHECK(reply.at("acknowledged_at") == "2026-11-23T11:15:02.123Z");
        CHECK(fixture.send({{"id", 2}, {"type", "due"}}).at("count") == 2);
    }
    SUBCASE("filed counts as the form's verification")
    {
        const json reply = fixture.send({{"id", 1}, {"type", "filed"}, {"platform", "forms-only"},
                                         {"setting", "objection"}, {"date", "2026-11-20"}});
        CHECK(reply.at("filed_on") == "2026-11-20");
        CHECK(fixture.reminders->filed.at({"forms-only", "objection"}) == "2026-11-20");
        CHECK(fixture.send({{"id", 2}, {"type", "due"}}).at("count") == 2);
    }
}

TEST_CASE("reminder requests are validated: fields, duration, date, known setting, storage")
{
    Fixture fixture;
    const json base = {{"id", 1}, {"platform", "example"}, {"setting", "ai-training"}};
    auto with = [&](json extra) {
        json message = base;
        message.update(extra);
        return message;
    };
    CHECK(code_of(fixture, with({{"type", "snooze"}, {"duration", "7 days"}}))
          == ErrorCode::bad_request);
    CHECK(code_of(fixture, with({{"type", "snooze"}})) == ErrorCode::bad_request);
    CHECK(code_of(fixture, with({{"type", "snooze"}, {"duration", "7d"}, {"setting", "nope"}}))
          == ErrorCode::unknown_setting);
    CHECK(code_of(fixture, with({{"type", "ack"}, {"platform", 3}})) == ErrorCode::bad_request);
    CHECK(code_of(fixture, with({{"type", "filed"}, {"date", "2026-02-30"}}))
          == ErrorCode::bad_request);
    CHECK(code_of(fixture, with({{"type", "filed"}, {"date", "2026-11-25"}}))
          == ErrorCode::bad_request); // the day after tomorrow
    CHECK_FALSE(code_of(fixture, with({{"type", "filed"}, {"date", "2026-11-24"}})));
    try {
        (void)fixture.send(with({{"type", "snooze"}, {"duration", "0d"}}));
        FAIL("no error");
    } catch (const protocol::ProtocolError& error) {
        CHECK(std::string(error.what())
              == "field 'duration' must be a number and a unit m, h, d or w (for example 12h, 1d, "
                 "7d, 1w), from 1 minute to 365 days, got \"0d\"");
    }
    fixture.reminders->fail_writes = true;
    CHECK(code_of(fixture, with({{"type", "ack"}})) == ErrorCode::storage_error);
}

TEST_CASE("without a reminder store opener reminder requests are storage errors, not crashes")
{
    Dispatcher dispatcher(catalog::try_load_catalog(fixtures / "catalogs" / "valid"), {},
                          []() -> std::unique_ptr<storage::ObservationStore> { return nullptr; });
    try {
        (void)dispatcher.handle(protocol::DueRequest {}, 1, noon);
        FAIL("no error");
    } catch (const protocol::ProtocolError& error) {
        CHECK(error.code() == ErrorCode::storage_error);
    }
}

} // namespace OPTGUARD_TEST_FILE
