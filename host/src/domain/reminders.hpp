#pragma once
// Pure: what a setting's history, the catalog's policy events and the time say about re-verifying
// it. Time is a parameter; nothing here reads a clock, a file or the database (issue 5).
//
// Every reason a setting is due carries the moment it became true (`since`). An acknowledgement
// silences the reasons that were true when it was given; a snooze silences them until it ends. A
// reason that arises later (a new policy event, a new violation) is new information and is due at
// once. Times are UTC instants and intervals are counted in hours, so daylight-saving changes move
// nothing; a machine asleep for a week gets one reminder per setting, not one per missed day.

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "domain/timestamp.hpp"
#include "domain/verdict.hpp"

namespace optguard::domain {

enum class Reason {
    never_verified,       // no report with a readable state, no filed form, no acknowledgement
    interval_elapsed,     // the last verification is older than the setting's interval
    policy_event,         // a policy event took effect after the last verification
    form_predates_policy, // the filed form (objection) is older than a policy event
    violation,            // last seen in the wrong state
    drift,                // last seen in the wrong state after having been seen right: say it loudly
};
enum class Severity { normal, high, critical };

[[nodiscard]] std::string_view to_string(Reason reason) noexcept;
[[nodiscard]] std::string_view to_string(Severity severity) noexcept;
// critical for violation and drift, high for policy_event and form_predates_policy, else normal.
[[nodiscard]] Severity severity_of(Reason reason) noexcept;

struct PolicyEvent {
    std::string date; // YYYY-MM-DD, as in the catalog
    std::string summary;
    std::string document; // set when the member saw the date on this policy document's page
};

struct Snooze {
    TimePoint set_at;
    TimePoint until;
};

// Everything the rules look at for one setting.
struct SettingHistory {
    std::string platform;
    std::string setting;
    bool watch = true;     // false: never due
    int interval_days = 30; // effective (catalog, global or per-setting override)
    std::vector<PolicyEvent> policy_events;
    std::optional<TimePoint> verified_at;     // newest report whose state was on or off
    std::optional<Verdict> verdict;           // that report judged against today's expected state
    std::optional<TimePoint> last_compliant_at; // newest compliant report before verified_at
    std::optional<std::string> filed_on;      // newest "I filed this form on YYYY-MM-DD"
    std::optional<TimePoint> acknowledged_at;
    std::optional<Snooze> snooze;
};

struct ReasonDetail {
    Reason reason = Reason::never_verified;
    TimePoint since;         // when it became true; the Unix epoch for never_verified
    std::string policy_date; // policy_event, form_predates_policy: the event's date
    std::string summary;     // policy_event, form_predates_policy: the event's summary
    std::string document;    // ... and the document whose page showed the date, if it was seen
};

struct Evaluation {
    bool due = false;
    Severity severity = Severity::normal;
    std::vector<ReasonDetail> reasons;     // the reasons that make it due (empty when not due)
    std::optional<TimePoint> snoozed_until; // set when a snooze is holding back reasons now
    std::optional<TimePoint> next_at;       // when it becomes due next, if not due now and known
};

[[nodiscard]] Evaluation evaluate(const SettingHistory& history, TimePoint now);

struct Reminder {
    std::string platform;
    std::string setting;
    Severity severity = Severity::normal;
    std::vector<ReasonDetail> reasons;
};

// One batch per platform, in the order platforms first appear in `histories`; one reminder per due
// setting, however many reasons or missed intervals it has.
struct PlatformReminders {
    std::string platform;
    Severity severity = Severity::normal; // the highest of its reminders
    std::vector<Reminder> reminders;
};
[[nodiscard]] std::vector<PlatformReminders> due_by_platform(std::span<const SettingHistory> histories,
                                                             TimePoint now);

// The earliest moment a setting that is not due now becomes due (interval end, snooze end, a
// policy event dated in the future); nullopt if none is known.
[[nodiscard]] std::optional<TimePoint> next_due_at(std::span<const SettingHistory> histories,
                                                   TimePoint now);

// A desktop notification for a due reminder is shown again only when it has a reason newer than the
// last one shown, or the last one is at least this old (a daily timer with jitter still nags daily).
inline constexpr std::chrono::hours renotify_after {20};
[[nodiscard]] bool should_notify(const Reminder& reminder, std::optional<TimePoint> last_notified,
                                 TimePoint now) noexcept;

// "2025-11-03" -> 2025-11-03T00:00:00Z; nullopt if not a calendar date.
[[nodiscard]] std::optional<TimePoint> date_start_utc(std::string_view date) noexcept;
// The UTC calendar date of `time`, "YYYY-MM-DD".
[[nodiscard]] std::string format_date_utc(TimePoint time);

} // namespace optguard::domain
