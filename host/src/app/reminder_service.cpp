#include "app/reminder_service.hpp"

#include <algorithm>

#include "app/rejected.hpp"
#include "domain/timestamp.hpp"
#include "app/policy_notices.hpp"
#include "util/json_text.hpp"

namespace optguard::reminders {

using json = nlohmann::json;
using app::Refusal;
using app::Rejected;

domain::SettingHistory history_of(const catalog::Platform& platform, const catalog::Setting& setting,
                                  storage::ReminderStore* store)
{
    domain::SettingHistory history;
    history.platform = platform.id;
    history.setting = setting.id;
    history.watch = setting.watch;
    history.interval_days = setting.interval_days;
    history.policy_events = setting.policy_events;
    if (store != nullptr) {
        if (const auto last = store->latest_readable(platform.id, setting.id)) {
            history.verified_at = last->observed_at;
            // Judged against today's expected state, like status.
            history.verdict = domain::compute_verdict(setting.expected, last->state);
            // Only a violation asks whether it was compliant before (drift); skipping
            // the seek otherwise halves the index pages `due` reads (bench figure 5).
            if (history.verdict == domain::Verdict::violation) {
                history.last_compliant_at
                    = store->last_compliant_before(platform.id, setting.id, last->observed_at);
            }
        }
        history.filed_on = store->filed_on(platform.id, setting.id);
        history.acknowledged_at = store->acknowledged_at(platform.id, setting.id);
        history.snooze = store->snooze(platform.id, setting.id);
    }
    return history;
}

std::vector<domain::SettingHistory> collect(const catalog::Catalog& catalog,
                                            storage::ReminderStore* store)
{
    std::vector<domain::SettingHistory> histories;
    // One snapshot and one read transaction for every setting's five reads.
    const storage::ReadingScope reading(store);
    for (const auto& platform : catalog.platforms) {
        for (const auto& setting : platform.settings) {
            histories.push_back(history_of(platform, setting, store));
        }
    }
    return histories;
}

std::string describe(const domain::ReasonDetail& reason)
{
    switch (reason.reason) {
    case domain::Reason::never_verified: return "never checked";
    case domain::Reason::interval_elapsed:
        return "last check is older than its interval (due since "
            + domain::format_date_utc(reason.since) + ")";
    case domain::Reason::policy_event:
        return "policy change of " + reason.policy_date + " took effect after your last check"
            + (reason.summary.empty() ? "" : ": " + reason.summary);
    case domain::Reason::form_predates_policy:
        return "your filed objection predates the policy change of " + reason.policy_date
            + "; file it again";
    case domain::Reason::violation: return "last seen ON: your data may be used for AI training";
    case domain::Reason::drift:
        return "DRIFT: it was off and is ON again; your data may be used for AI training";
    }
    return "due";
}

json due_json(const catalog::Catalog& catalog, std::span<const domain::SettingHistory> histories,
              domain::TimePoint now)
{
    json platforms = json::array();
    std::size_t count = 0;
    for (const auto& batch : domain::due_by_platform(histories, now)) {
        const catalog::Platform* platform = catalog.find_platform(batch.platform);
        json settings = json::array();
        for (const auto& reminder : batch.reminders) {
            const catalog::Setting* setting = catalog.find_setting(reminder.platform, reminder.setting);
            const auto history = std::find_if(histories.begin(), histories.end(), [&](const auto& h) {
                return h.platform == reminder.platform && h.setting == reminder.setting;
            });
            json reasons = json::array();
            for (const auto& reason : reminder.reasons) {
                json item = {{"code", domain::to_string(reason.reason)},
                             {"since", reason.reason == domain::Reason::never_verified
                                           ? json(nullptr)
                                           : json(domain::format_utc_iso8601(reason.since))},
                             {"policy_date", reason.policy_date.empty() ? json(nullptr)
                                                                        : json(reason.policy_date)},
                             {"message", describe(reason)}};
                if (!reason.document.empty()) {
                    // A date the member saw on the document's page (policy_notices.hpp).
                    const catalog::PolicyDocument* document
                        = platform != nullptr ? platform->find_document(reason.document) : nullptr;
                    item["document"] = reason.document;
                    item["document_kind"] = document != nullptr ? document->kind : "privacy";
                    item["message"] = policy_notices::describe(catalog, reminder.platform, reason);
                }
                reasons.push_back(std::move(item));
            }
            settings.push_back(
                {{"platform", reminder.platform},
                 {"setting", reminder.setting},
                 {"title", setting != nullptr ? setting->title : reminder.setting},
                 {"kind", setting != nullptr ? catalog::to_string(setting->kind) : "toggle"},
                 {"severity", domain::to_string(reminder.severity)},
                 {"reasons", std::move(reasons)},
                 {"opt_out_url", setting != nullptr ? setting->opt_out_url : ""},
                 {"verified_at", history != histories.end() && history->verified_at
                                     ? json(domain::format_utc_iso8601(*history->verified_at))
                                     : json(nullptr)},
                 {"filed_on", history != histories.end() && history->filed_on
                                  ? json(*history->filed_on)
                                  : json(nullptr)}});
            ++count;
        }
        platforms.push_back({{"platform", batch.platform},
                             {"name", platform != nullptr ? platform->name : batch.platform},
                             {"severity", domain::to_string(batch.severity)},
                             {"settings", std::move(settings)}});
    }
    const auto next = domain::next_due_at(histories, now);
    return {{"now", domain::format_utc_iso8601(now)},
            {"count", count},
            {"next_due_at", next ? json(domain::format_utc_iso8601(*next)) : json(nullptr)},
            {"platforms", std::move(platforms)}};
}

const catalog::Setting& require_setting(const catalog::Catalog& catalog,
                                        const std::string& platform, const std::string& setting)
{
    const catalog::Setting* found = catalog.find_setting(platform, setting);
    if (found == nullptr) {
        throw Rejected(Refusal::unknown_setting, "no setting " + util::quote(setting) + " of platform "
                                                     + util::quote(platform) + " in the catalog");
    }
    return *found;
}

json snooze(const catalog::Catalog& catalog, storage::ReminderStore& store,
            const std::string& platform, const std::string& setting,
            std::chrono::milliseconds duration, domain::TimePoint now)
{
    (void)require_setting(catalog, platform, setting);
    const domain::Snooze snooze {now, now + duration};
    store.set_snooze(platform, setting, snooze);
    return {{"platform", platform},
            {"setting", setting},
            {"until", domain::format_utc_iso8601(snooze.until)}};
}

json acknowledge(const catalog::Catalog& catalog, storage::ReminderStore& store,
                 const std::string& platform, const std::string& setting, domain::TimePoint now)
{
    (void)require_setting(catalog, platform, setting);
    store.acknowledge(platform, setting, now);
    return {{"platform", platform},
            {"setting", setting},
            {"acknowledged_at", domain::format_utc_iso8601(now)}};
}

json filed(const catalog::Catalog& catalog, storage::ReminderStore& store,
           const std::string& platform, const std::string& setting, const std::string& date,
           domain::TimePoint now)
{
    (void)require_setting(catalog, platform, setting);
    const auto day = domain::date_start_utc(date);
    if (!day) {
        throw Rejected(Refusal::bad_value,
                       "field 'date' must be a calendar date YYYY-MM-DD, got " + util::quote(date));
    }
    const std::string latest = domain::format_date_utc(now + std::chrono::hours(24));
    if (date > latest) {
        throw Rejected(Refusal::bad_value, "field 'date' is in the future: " + date + " (today is "
                                                 + domain::format_date_utc(now) + ")");
    }
    store.record_filed(platform, setting, date, now);
    return {{"platform", platform}, {"setting", setting}, {"filed_on", date}};
}

} // namespace optguard::reminders
