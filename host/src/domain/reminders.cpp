#include "domain/reminders.hpp"

#include <algorithm>
#include <cstdio>

namespace optguard::domain {

namespace {

using std::chrono::hours;

std::optional<TimePoint> latest_of(std::initializer_list<std::optional<TimePoint>> times)
{
    std::optional<TimePoint> best;
    for (const auto& time : times) {
        if (time && (!best || *time > *best)) {
            best = time;
        }
    }
    return best;
}

void keep_earliest(std::optional<TimePoint>& current, TimePoint candidate)
{
    if (!current || candidate < *current) {
        current = candidate;
    }
}

} // namespace

std::string_view to_string(Reason reason) noexcept
{
    switch (reason) {
    case Reason::never_verified: return "never_verified";
    case Reason::interval_elapsed: return "interval_elapsed";
    case Reason::policy_event: return "policy_event";
    case Reason::form_predates_policy: return "form_predates_policy";
    case Reason::violation: return "violation";
    case Reason::drift: return "drift";
    }
    return "never_verified";
}

std::string_view to_string(Severity severity) noexcept
{
    switch (severity) {
    case Severity::normal: return "normal";
    case Severity::high: return "high";
    case Severity::critical: return "critical";
    }
    return "normal";
}

Severity severity_of(Reason reason) noexcept
{
    switch (reason) {
    case Reason::violation:
    case Reason::drift: return Severity::critical;
    case Reason::policy_event:
    case Reason::form_predates_policy: return Severity::high;
    case Reason::never_verified:
    case Reason::interval_elapsed: return Severity::normal;
    }
    return Severity::normal;
}

std::optional<TimePoint> date_start_utc(std::string_view date) noexcept
{
    if (!is_calendar_date(date)) {
        return std::nullopt;
    }
    const auto digits = [&](std::size_t from, std::size_t count) {
        int value = 0;
        for (std::size_t i = from; i < from + count; ++i) {
            value = value * 10 + (date[i] - '0');
        }
        return value;
    };
    const std::chrono::year_month_day day {std::chrono::year(digits(0, 4)),
                                           std::chrono::month(static_cast<unsigned>(digits(5, 2))),
                                           std::chrono::day(static_cast<unsigned>(digits(8, 2)))};
    return TimePoint(std::chrono::sys_days(day).time_since_epoch());
}

std::string format_date_utc(TimePoint time)
{
    const std::chrono::year_month_day day(std::chrono::floor<std::chrono::days>(time));
    char text[16];
    const int n = std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(day.year()),
                                static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day()));
    return std::string(text, n > 0 ? static_cast<std::size_t>(n) : 0U);
}

Evaluation evaluate(const SettingHistory& history, TimePoint now)
{
    Evaluation result;
    if (!history.watch) {
        return result;
    }
    const std::optional<TimePoint> filed
        = history.filed_on ? date_start_utc(*history.filed_on) : std::nullopt;
    const std::optional<TimePoint> baseline
        = latest_of({history.verified_at, filed, history.acknowledged_at});

    std::vector<ReasonDetail> reasons;
    std::optional<TimePoint> next;
    if (!baseline) {
        reasons.push_back({Reason::never_verified, from_unix_ms(0), {}, {}, {}});
    } else {
        const TimePoint interval_end = *baseline + hours(24) * history.interval_days;
        if (interval_end <= now) {
            reasons.push_back({Reason::interval_elapsed, interval_end, {}, {}, {}});
        } else {
            keep_earliest(next, interval_end);
        }
    }
    for (const auto& event : history.policy_events) {
        const auto effective = date_start_utc(event.date);
        if (!effective) {
            continue;
        }
        if (*effective > now) {
            // A change announced for later: stale from that day on, unless verified after it.
            keep_earliest(next, *effective);
            continue;
        }
        if (filed && *filed < *effective) {
            reasons.push_back({Reason::form_predates_policy, *effective, event.date, event.summary,
                               event.document});
        } else if (baseline && *effective > *baseline) {
            reasons.push_back({Reason::policy_event, *effective, event.date, event.summary,
                               event.document});
        }
    }
    if (history.verdict == Verdict::violation && history.verified_at) {
        reasons.push_back({history.last_compliant_at ? Reason::drift : Reason::violation,
                           *history.verified_at, {}, {}, {}});
    }

    // An acknowledgement silences what was true when it was given.
    if (history.acknowledged_at) {
        std::erase_if(reasons, [&](const ReasonDetail& reason) {
            return reason.since <= *history.acknowledged_at;
        });
    }

    if (!reasons.empty() && history.snooze) {
        const Snooze& snooze = *history.snooze;
        // The snooze ends at the moment the user was told, whatever the clock did meanwhile.
        const TimePoint until = snooze.until;
        // Only a high or critical reason that arose after the snooze breaks through it.
        const bool breaks_through
            = std::any_of(reasons.begin(), reasons.end(), [&](const ReasonDetail& reason) {
                  return reason.since > snooze.set_at && severity_of(reason.reason) != Severity::normal;
              });
        if (now < until && !breaks_through) {
            result.snoozed_until = until;
            keep_earliest(next, until);
            reasons.clear();
        }
    }

    if (reasons.empty()) {
        result.next_at = next;
        return result;
    }
    result.due = true;
    for (const auto& reason : reasons) {
        result.severity = std::max(result.severity, severity_of(reason.reason));
    }
    result.reasons = std::move(reasons);
    return result;
}

std::vector<PlatformReminders> due_by_platform(std::span<const SettingHistory> histories,
                                               TimePoint now)
{
    std::vector<PlatformReminders> batches;
    for (const auto& history : histories) {
        Evaluation evaluation = evaluate(history, now);
        if (!evaluation.due) {
            continue;
        }
        auto batch = std::find_if(batches.begin(), batches.end(), [&](const PlatformReminders& b) {
            return b.platform == history.platform;
        });
        if (batch == batches.end()) {
            batches.push_back({history.platform, Severity::normal, {}});
            batch = std::prev(batches.end());
        }
        batch->severity = std::max(batch->severity, evaluation.severity);
        batch->reminders.push_back(
            {history.platform, history.setting, evaluation.severity, std::move(evaluation.reasons)});
    }
    return batches;
}

std::optional<TimePoint> next_due_at(std::span<const SettingHistory> histories, TimePoint now)
{
    std::optional<TimePoint> next;
    for (const auto& history : histories) {
        const Evaluation evaluation = evaluate(history, now);
        if (!evaluation.due && evaluation.next_at) {
            keep_earliest(next, *evaluation.next_at);
        }
    }
    return next;
}

bool should_notify(const Reminder& reminder, std::optional<TimePoint> last_notified,
                   TimePoint now) noexcept
{
    if (!last_notified) {
        return true;
    }
    const bool news = std::any_of(reminder.reasons.begin(), reminder.reasons.end(),
                                  [&](const ReasonDetail& reason) { return reason.since > *last_notified; });
    return news || now >= *last_notified + renotify_after;
}

} // namespace optguard::domain
