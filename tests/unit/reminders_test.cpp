// Every reminder rule of issue 5 against a fake clock: times are plain values passed in.
#include <doctest/doctest.h>

#include <vector>

#include "domain/reminders.hpp"

// This file's own names, apart from other test files' in a unity build (tests/CMakeLists.txt).
namespace OPTGUARD_TEST_FILE {

using namespace optguard::domain;
using namespace std::chrono_literals;

namespace {

constexpr auto day = std::chrono::hours(24);

TimePoint at(const char* date, std::chrono::milliseconds offset = {})
{
    return *date_start_utc(date) + offset;
}

SettingHistory verified(const char* date, Verdict verdict = Verdict::compliant)
{
    SettingHistory history;
    history.platform = "linkedin";
    history.setting = "generative-ai-training";
    history.interval_days = 30;
    history.verified_at = at(date, 10h);
    history.verdict = verdict;
    return history;
}

std::vector<Reason> reasons_of(const Evaluation& evaluation)
{
    std::vector<Reason> reasons;
    for (const auto& reason : evaluation.reasons) {
        reasons.push_back(reason.reason);
    }
    return reasons;
}

} // namespace

TEST_CASE("a setting that was never verified is due, with normal severity")
{
    SettingHistory history;
    history.platform = "x";
    history.setting = "grok";
    const Evaluation evaluation = evaluate(history, at("2026-01-01"));
    CHECK(evaluation.due);
    CHECK(reasons_of(evaluation) == std::vector {Reason::never_verified});
    CHECK(evaluation.severity == Severity::normal);
}

TEST_CASE("a setting is due once its last verification is older than its interval")
{
    const SettingHistory history = verified("2026-01-01");
    SUBCASE("one millisecond before the interval ends it is not due, and says when it will be")
    {
        const Evaluation evaluation = evaluate(history, at("2026-01-31", 10h) - 1ms);
        CHECK_FALSE(evaluation.due);
        CHECK(evaluation.next_at == at("2026-01-31", 10h));
    }
    SUBCASE("at the end of the interval it is due, since that moment")
    {
        const Evaluation evaluation = evaluate(history, at("2026-01-31", 10h));
        REQUIRE(evaluation.due);
        CHECK(reasons_of(evaluation) == std::vector {Reason::interval_elapsed});
        CHECK(evaluation.reasons[0].since == at("2026-01-31", 10h));
        CHECK_FALSE(evaluation.next_at);
    }
    SUBCASE("a shorter effective interval (user override) makes it due sooner")
    {
        SettingHistory shorter = history;
        shorter.interval_days = 7;
        CHECK(evaluate(shorter, at("2026-01-08", 10h)).due);
        CHECK_FALSE(evaluate(shorter, at("2026-01-08", 9h)).due);
    }
}

TEST_CASE("a report the page could not read is no verification: the interval runs from the last readable one")
{
    // The service that collects histories keeps verified_at at the last on/off report; an unknown
    // report after it changes nothing here.
    const SettingHistory history = verified("2026-01-01");
    CHECK(evaluate(history, at("2026-02-15")).due);
}

TEST_CASE("a policy event that took effect after the last verification makes the setting due")
{
    SettingHistory history = verified("2025-10-01");
    history.interval_days = 365;
    history.policy_events = {{"2025-11-03", "LinkedIn trains on member data by default", {}}};
    SUBCASE("before the event takes effect it is not due, and the event day is the next due time")
    {
        const Evaluation evaluation = evaluate(history, at("2025-11-02", 23h));
        CHECK_FALSE(evaluation.due);
        CHECK(evaluation.next_at == at("2025-11-03"));
    }
    SUBCASE("from the event day on it is due, high severity, naming the event")
    {
        const Evaluation evaluation = evaluate(history, at("2025-11-03"));
        REQUIRE(evaluation.due);
        CHECK(reasons_of(evaluation) == std::vector {Reason::policy_event});
        CHECK(evaluation.severity == Severity::high);
        CHECK(evaluation.reasons[0].policy_date == "2025-11-03");
        CHECK(evaluation.reasons[0].summary == "LinkedIn trains on member data by default");
    }
    SUBCASE("a verification after the event clears it")
    {
        SettingHistory rechecked = history;
        rechecked.verified_at = at("2025-11-04");
        CHECK_FALSE(evaluate(rechecked, at("2025-11-10")).due);
    }
}

TEST_CASE("a catalog update that brings a new policy event makes an already verified setting due")
{
    SettingHistory history = verified("2026-03-01");
    const TimePoint now = at("2026-03-20");
    CHECK_FALSE(evaluate(history, now).due);
    history.policy_events.push_back({"2026-03-15", "new default", {}});
    const Evaluation evaluation = evaluate(history, now);
    CHECK(evaluation.due);
    CHECK(reasons_of(evaluation) == std::vector {Reason::policy_event});
    SUBCASE("but an event older than the verification does not")
    {
        SettingHistory older = verified("2026-03-01");
        older.policy_events.push_back({"2026-02-01", "old news", {}});
        CHECK_FALSE(evaluate(older, now).due);
    }
}

TEST_CASE("a setting last seen in violation is due at once and critical")
{
    const SettingHistory history = verified("2026-01-01", Verdict::violation);
    const Evaluation evaluation = evaluate(history, at("2026-01-01", 11h));
    REQUIRE(evaluation.due);
    CHECK(reasons_of(evaluation) == std::vector {Reason::violation});
    CHECK(evaluation.severity == Severity::critical);
}

TEST_CASE("drift: compliant before and in violation now is reported as drift, not a plain violation")
{
    SettingHistory history = verified("2026-02-01", Verdict::violation);
    history.last_compliant_at = at("2026-01-01");
    const Evaluation evaluation = evaluate(history, at("2026-02-02"));
    CHECK(reasons_of(evaluation) == std::vector {Reason::drift});
    CHECK(evaluation.severity == Severity::critical);
    CHECK(evaluation.reasons[0].since == at("2026-02-01", 10h));
}

TEST_CASE("a filed form that predates a policy event is due again")
{
    SettingHistory history;
    history.platform = "linkedin";
    history.setting = "objection-form";
    history.interval_days = 365;
    history.filed_on = "2025-06-01";
    history.policy_events = {{"2025-11-03", "new policy", {}}};
    SUBCASE("after the event")
    {
        const Evaluation evaluation = evaluate(history, at("2025-12-01"));
        REQUIRE(evaluation.due);
        CHECK(reasons_of(evaluation) == std::vector {Reason::form_predates_policy});
        CHECK(evaluation.severity == Severity::high);
        CHECK(evaluation.reasons[0].policy_date == "2025-11-03");
    }
    SUBCASE("not before it, and filing counts as a verification for the interval")
    {
        CHECK_FALSE(evaluate(history, at("2025-11-02")).due);
    }
    SUBCASE("a form filed after the event is fine")
    {
        history.filed_on = "2025-11-10";
        CHECK_FALSE(evaluate(history, at("2025-12-01")).due);
    }
}

TEST_CASE("settings the user does not watch are never due")
{
    SettingHistory history = verified("2020-01-01", Verdict::violation);
    history.watch = false;
    history.policy_events = {{"2021-01-01", "x", {}}};
    const Evaluation evaluation = evaluate(history, at("2026-01-01"));
    CHECK_FALSE(evaluation.due);
    CHECK_FALSE(evaluation.next_at);
    const std::vector histories {history};
    CHECK(due_by_platform(histories, at("2026-01-01")).empty());
    CHECK_FALSE(next_due_at(histories, at("2026-01-01")));
}

TEST_CASE("acknowledging silences the reasons known at that moment and restarts the interval")
{
    SettingHistory history = verified("2026-01-01", Verdict::violation);
    history.acknowledged_at = at("2026-01-02");
    SUBCASE("the acknowledged violation is quiet")
    {
        CHECK_FALSE(evaluate(history, at("2026-01-03")).due);
    }
    SUBCASE("the interval counts from the acknowledgement")
    {
        CHECK_FALSE(evaluate(history, at("2026-01-31", 11h)).due);
        const Evaluation evaluation = evaluate(history, at("2026-02-01"));
        CHECK(reasons_of(evaluation) == std::vector {Reason::interval_elapsed});
    }
    SUBCASE("a new violation reported after the acknowledgement is due again")
    {
        history.verified_at = at("2026-01-05");
        CHECK(reasons_of(evaluate(history, at("2026-01-06"))) == std::vector {Reason::violation});
    }
    SUBCASE("a never verified setting, once acknowledged, is quiet for one interval")
    {
        SettingHistory never;
        never.acknowledged_at = at("2026-01-01");
        CHECK_FALSE(evaluate(never, at("2026-01-30")).due);
        CHECK(evaluate(never, at("2026-01-31")).due);
    }
}

TEST_CASE("a snoozed reminder stays quiet until the snooze ends, then comes back")
{
    SettingHistory history = verified("2026-01-01");
    const TimePoint set_at = at("2026-02-05");
    history.snooze = Snooze {set_at, set_at + 7 * day}; // one week
    const Evaluation during = evaluate(history, set_at + 7 * day - 1ms);
    CHECK_FALSE(during.due);
    CHECK(during.snoozed_until == set_at + 7 * day);
    CHECK(during.next_at == set_at + 7 * day);
    const Evaluation after = evaluate(history, set_at + 7 * day);
    CHECK(after.due);
    CHECK(reasons_of(after) == std::vector {Reason::interval_elapsed});
    SUBCASE("one day")
    {
        history.snooze = Snooze {set_at, set_at + day};
        CHECK_FALSE(evaluate(history, set_at + 23h).due);
        CHECK(evaluate(history, set_at + day).due);
    }
}

TEST_CASE("a new violation or policy event breaks through a snooze, an interval ending does not")
{
    SettingHistory history = verified("2026-01-01");
    history.interval_days = 10;
    const TimePoint set_at = at("2026-01-12");
    history.snooze = Snooze {set_at, set_at + 7 * day};
    SUBCASE("new violation")
    {
        history.verified_at = at("2026-01-13");
        history.verdict = Verdict::violation;
        history.last_compliant_at = at("2026-01-01", 10h);
        CHECK(reasons_of(evaluate(history, at("2026-01-14"))) == std::vector {Reason::drift});
    }
    SUBCASE("new policy event")
    {
        history.policy_events = {{"2026-01-14", "new", {}}};
        const Evaluation evaluation = evaluate(history, at("2026-01-15"));
        CHECK(evaluation.due);
        CHECK(evaluation.severity == Severity::high);
    }
    SUBCASE("interval reached during the snooze (a normal reason) waits")
    {
        history.verified_at = at("2026-01-05");
        CHECK_FALSE(evaluate(history, at("2026-01-16")).due);
    }
}

TEST_CASE("daylight-saving changes do not move a due time: intervals are counted in UTC hours")
{
    // Europe switched to summer time on 2026-03-29 at 01:00 UTC, and back on 2026-10-25.
    SettingHistory history = verified("2026-03-28");
    history.interval_days = 1;
    CHECK_FALSE(evaluate(history, at("2026-03-29", 10h) - 1ms).due);
    CHECK(evaluate(history, at("2026-03-29", 10h)).due);
    SettingHistory autumn = verified("2026-10-24");
    autumn.interval_days = 1;
    CHECK_FALSE(evaluate(autumn, at("2026-10-25", 10h) - 1ms).due);
    CHECK(evaluate(autumn, at("2026-10-25", 10h)).due);
}

TEST_CASE("a clock set back makes nothing due")
{
    SUBCASE("verification in the machine's future: not due, next time is still its interval end")
    {
        const SettingHistory history = verified("2026-05-01");
        const Evaluation evaluation = evaluate(history, at("2026-04-01"));
        CHECK_FALSE(evaluation.due);
        CHECK(evaluation.next_at == at("2026-05-31", 10h));
    }
    SUBCASE("a snooze set 'later' still ends at the moment it named, not earlier or later")
    {
        SettingHistory history = verified("2026-01-01");
        const TimePoint set_at = at("2026-06-01");
        history.snooze = Snooze {set_at, set_at + day};
        const Evaluation evaluation = evaluate(history, at("2026-05-20")); // clock went back
        CHECK_FALSE(evaluation.due);
        CHECK(evaluation.snoozed_until == set_at + day);
        CHECK(evaluate(history, set_at + day).due);
    }
}

TEST_CASE("a machine asleep for a week gets one reminder per setting, batched per platform")
{
    std::vector<SettingHistory> histories;
    for (const char* setting : {"a", "b"}) {
        SettingHistory history = verified("2026-01-01");
        history.setting = setting;
        history.interval_days = 1; // seven intervals missed
        history.policy_events = {{"2026-01-03", "p1", {}}, {"2026-01-05", "p2", {}}};
        histories.push_back(history);
    }
    SettingHistory other = verified("2026-01-01", Verdict::violation);
    other.platform = std::string("x"); // not = "x": GCC 12's -O3 -Wrestrict false positive (PR 105329)
    other.setting = "grok";
    histories.push_back(other);
    SettingHistory quiet = verified("2026-01-07");
    quiet.platform = "meta";
    histories.push_back(quiet);

    const auto batches = due_by_platform(histories, at("2026-01-08"));
    REQUIRE(batches.size() == 2);
    CHECK(batches[0].platform == "linkedin");
    REQUIRE(batches[0].reminders.size() == 2);
    CHECK(batches[0].reminders[0].setting == "a");
    CHECK(batches[0].reminders[1].setting == "b");
    // one interval reason however many intervals were missed, one per policy event
    CHECK(batches[0].reminders[0].reasons.size() == 3);
    CHECK(batches[0].severity == Severity::high);
    CHECK(batches[1].platform == "x");
    CHECK(batches[1].severity == Severity::critical);
    CHECK(next_due_at(histories, at("2026-01-08")) == at("2026-02-06", 10h));
}

TEST_CASE("a desktop notification is not repeated until there is news or a day has passed")
{
    Reminder reminder;
    reminder.reasons = {{Reason::interval_elapsed, at("2026-01-31"), {}, {}, {}}};
    const TimePoint shown = at("2026-02-01", 9h);
    CHECK(should_notify(reminder, std::nullopt, shown));
    CHECK_FALSE(should_notify(reminder, shown, shown + 1h));
    CHECK_FALSE(should_notify(reminder, shown, shown + renotify_after - 1ms));
    CHECK(should_notify(reminder, shown, shown + renotify_after));
    SUBCASE("a new reason after the last notification is news")
    {
        reminder.reasons.push_back({Reason::drift, shown + 2h, {}, {}, {}});
        CHECK(should_notify(reminder, shown, shown + 3h));
    }
    SUBCASE("a clock set back does not re-notify")
    {
        CHECK_FALSE(should_notify(reminder, shown, shown - 5h));
    }
}

TEST_CASE("dates convert to the start of their UTC day and back")
{
    CHECK(to_unix_ms(*date_start_utc("1970-01-02")) == 86'400'000);
    CHECK(format_date_utc(at("2025-11-03", 23h)) == "2025-11-03");
    CHECK_FALSE(date_start_utc("2025-02-30"));
    CHECK_FALSE(date_start_utc("2025-11-3"));
}

TEST_CASE("reasons and severities have one wire string each")
{
    CHECK(to_string(Reason::never_verified) == "never_verified");
    CHECK(to_string(Reason::interval_elapsed) == "interval_elapsed");
    CHECK(to_string(Reason::policy_event) == "policy_event");
    CHECK(to_string(Reason::form_predates_policy) == "form_predates_policy");
    CHECK(to_string(Reason::violation) == "violation");
    CHECK(to_string(Reason::drift) == "drift");
    CHECK(to_string(Severity::normal) == "normal");
    CHECK(to_string(Severity::high) == "high");
    CHECK(to_string(Severity::critical) == "critical");
}

} // namespace OPTGUARD_TEST_FILE
