// The shared rule vectors (tests/fixtures/rules/*.json) against the host's rules. The extension runs
// the same files (tests/js/rule-vectors.test.mjs), so a rule changed on one side only fails a test.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "domain/reminders.hpp"
#include "domain/timestamp.hpp"
#include "domain/url.hpp"
#include "domain/verdict.hpp"

// This file's own names, apart from other test files' in a unity build (tests/CMakeLists.txt).
namespace OPTGUARD_TEST_FILE {

using namespace optguard::domain;
using json = nlohmann::json;

namespace {

const std::filesystem::path rules = std::filesystem::path(OPTGUARD_TEST_FIXTURES) / "rules";

json vectors(const char* file)
{
    std::ifstream in(rules / file, std::ios::binary);
    REQUIRE(in);
    json document = json::parse(in);
    REQUIRE(document.at("cases").size() > 0);
    return document.at("cases");
}

// "2026-11-23T12:00:00.000Z", the one shape the vectors use.
TimePoint instant(const json& text)
{
    const std::string value = text.get<std::string>();
    REQUIRE(value.size() == 24);
    const auto number = [&](std::size_t from, std::size_t count) {
        return std::stoi(value.substr(from, count));
    };
    const auto day = date_start_utc(value.substr(0, 10));
    REQUIRE(day.has_value());
    return *day + std::chrono::hours(number(11, 2)) + std::chrono::minutes(number(14, 2))
        + std::chrono::seconds(number(17, 2)) + std::chrono::milliseconds(number(20, 3));
}

std::optional<TimePoint> optional_instant(const json& object, const char* key)
{
    if (!object.contains(key) || object.at(key).is_null()) {
        return std::nullopt;
    }
    return instant(object.at(key));
}

json time_or_null(const std::optional<TimePoint>& time)
{
    return time ? json(format_utc_iso8601(*time)) : json(nullptr);
}

SettingHistory history_of(const json& test)
{
    const json& setting = test.at("setting");
    const json& history = test.at("history");
    SettingHistory out;
    // Appended, not assigned: GCC 12 -O3 -Wrestrict false positive (PR 105329).
    out.platform.append("p");
    out.setting.append("s");
    out.watch = setting.at("watch").get<bool>();
    out.interval_days = setting.at("interval_days").get<int>();
    for (const auto& event : setting.at("policy_events")) {
        out.policy_events.push_back({event.at("date").get<std::string>(),
                                     event.value("summary", std::string()), {}});
    }
    out.verified_at = optional_instant(history, "verified_at");
    if (history.contains("verdict")) {
        out.verdict = verdict_from_string(history.at("verdict").get<std::string>());
        REQUIRE(out.verdict.has_value());
    }
    out.last_compliant_at = optional_instant(history, "last_compliant_at");
    out.acknowledged_at = optional_instant(history, "acknowledged_at");
    if (history.contains("snooze")) {
        out.snooze = Snooze {instant(history.at("snooze").at("set_at")),
                             instant(history.at("snooze").at("until"))};
    }
    return out;
}

bool runs_here(const json& test)
{
    return !test.contains("only") || test.at("only") == "host";
}

} // namespace

TEST_CASE("shared vectors: the verdict")
{
    for (const auto& test : vectors("verdict.json")) {
        CAPTURE(test.dump());
        const auto state = state_from_string(test.at("state").get<std::string>());
        const auto expected = expected_from_string(test.at("expected").get<std::string>());
        REQUIRE(state.has_value());
        REQUIRE(expected.has_value());
        CHECK(to_string(compute_verdict(*expected, *state)) == test.at("verdict").get<std::string>());
    }
}

TEST_CASE("shared vectors: is it due")
{
    int ran = 0;
    for (const auto& test : vectors("due.json")) {
        if (!runs_here(test)) {
            continue;
        }
        CAPTURE(test.at("name").get<std::string>());
        const Evaluation evaluation = evaluate(history_of(test), instant(test.at("now")));
        json reasons = json::array();
        for (const auto& reason : evaluation.reasons) {
            reasons.push_back({{"code", to_string(reason.reason)},
                               {"since", reason.reason == Reason::never_verified
                                             ? json(nullptr)
                                             : json(format_utc_iso8601(reason.since))},
                               {"policy_date", reason.policy_date.empty() ? json(nullptr)
                                                                          : json(reason.policy_date)}});
        }
        const json actual = {
            {"due", evaluation.due},
            {"severity", evaluation.due ? json(to_string(evaluation.severity)) : json(nullptr)},
            {"reasons", reasons},
            {"next_due_at", evaluation.due ? json(nullptr) : time_or_null(evaluation.next_at)}};
        CHECK(actual == test.at("expect"));
        ++ran;
    }
    CHECK(ran > 20);
}

TEST_CASE("shared vectors: is this URL one of the setting's pages")
{
    for (const auto& test : vectors("page-match.json")) {
        CAPTURE(test.at("name").get<std::string>());
        CAPTURE(test.at("url").get<std::string>());
        CHECK(matches_page(test.at("pattern").get<std::string>(), test.at("url").get<std::string>())
              == test.at("matches").get<bool>());
    }
}

} // namespace OPTGUARD_TEST_FILE
