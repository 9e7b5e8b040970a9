#include "app/status_report.hpp"

#include <string>

#include "build_config.hpp"
#include "domain/timestamp.hpp"
#include "domain/verdict.hpp"
#include "app/reminder_service.hpp"

namespace optguard::status {

using json = nlohmann::json;

namespace {

json time_or_null(const std::optional<domain::TimePoint>& time)
{
    return time ? json(domain::format_utc_iso8601(*time)) : json(nullptr);
}

// The newest report judged against today's expected state (a changed choice counts at once).
std::optional<domain::Verdict> verdict_of(const catalog::Setting& setting,
                                          const std::optional<storage::Observation>& latest)
{
    if (!latest) {
        return std::nullopt;
    }
    return domain::compute_verdict(setting.expected, latest->state);
}

json reasons_json(const std::vector<domain::ReasonDetail>& reasons)
{
    json list = json::array();
    for (const auto& reason : reasons) {
        json item = json::object();
        item["code"] = domain::to_string(reason.reason);
        item["since"] = reason.reason == domain::Reason::never_verified
            ? json(nullptr)
            : json(domain::format_utc_iso8601(reason.since));
        item["policy_date"] = reason.policy_date.empty() ? json(nullptr) : json(reason.policy_date);
        list.push_back(std::move(item));
    }
    return list;
}

std::string reason_codes(const std::vector<domain::ReasonDetail>& reasons)
{
    std::string codes;
    for (const auto& reason : reasons) {
        if (!codes.empty()) {
            codes += ',';
        }
        codes += domain::to_string(reason.reason);
    }
    return codes;
}

// One setting's row: what the store says and what is due (the `status` reply, the document).
json row_of(const catalog::Platform& platform, const catalog::Setting& setting,
            const std::optional<storage::Observation>& latest, const domain::Evaluation& evaluation)
{
    const auto verdict = verdict_of(setting, latest);
    // Inserted key by key: an initializer list builds every pair as a two-element array first
    // (bench figure 2).
    json row = json::object();
    row["platform"] = platform.id;
    row["setting"] = setting.id;
    row["title"] = setting.title;
    row["kind"] = catalog::to_string(setting.kind);
    row["watch"] = setting.watch;
    row["expected"] = domain::to_string(setting.expected);
    row["interval_days"] = setting.interval_days;
    row["opt_out_url"] = setting.opt_out_url;
    row["state"] = latest ? json(domain::to_string(latest->state)) : json(nullptr);
    row["verdict"] = verdict ? json(domain::to_string(*verdict)) : json(nullptr);
    row["verified_at"] = latest ? time_or_null(latest->observed_at) : json(nullptr);
    row["due"] = evaluation.due;
    row["severity"] = evaluation.due ? json(domain::to_string(evaluation.severity)) : json(nullptr);
    row["reasons"] = reasons_json(evaluation.reasons);
    row["snoozed_until"] = time_or_null(evaluation.snoozed_until);
    row["next_due_at"] = time_or_null(evaluation.next_at);
    return row;
}

// Calls fn(platform, setting, index) for every catalog setting, in catalog order.
template <typename Fn>
void each_setting(const catalog::Catalog& catalog, Fn&& fn)
{
    std::size_t index = 0;
    for (const auto& platform : catalog.platforms) {
        for (const auto& setting : platform.settings) {
            fn(platform, setting, index++);
        }
    }
}

} // namespace

Snapshot read(const catalog::Catalog& catalog, storage::ReminderStore* store)
{
    Snapshot snapshot;
    // One read transaction: the state shown and the reminder rules see the same history.
    const storage::ReadingScope reading(store);
    each_setting(catalog, [&](const catalog::Platform& platform, const catalog::Setting& setting,
                              std::size_t) {
        // The newest report first: when it is readable, the reminder rules' read is answered
        // from it (SqliteReminderStore's reading scope).
        snapshot.latest.push_back(store != nullptr ? store->latest(platform.id, setting.id)
                                                   : std::nullopt);
        snapshot.histories.push_back(reminders::history_of(platform, setting, store));
    });
    return snapshot;
}

json document(const catalog::Catalog& catalog, const Snapshot& snapshot, domain::TimePoint now)
{
    json settings = json::array();
    json summary = {{"settings", 0},  {"watched", 0}, {"compliant", 0}, {"violation", 0},
                    {"unknown", 0},   {"not_checked", 0}, {"due", 0}};
    const auto count = [&summary](const char* key) { summary[key] = summary[key].get<int>() + 1; };
    each_setting(catalog, [&](const catalog::Platform& platform, const catalog::Setting& setting,
                              std::size_t index) {
        const auto& latest = snapshot.latest.at(index);
        const auto verdict = verdict_of(setting, latest);
        const domain::Evaluation evaluation = domain::evaluate(snapshot.histories.at(index), now);
        json row = row_of(platform, setting, latest, evaluation);
        row["platform_name"] = platform.name;
        settings.push_back(std::move(row));

        count("settings");
        if (!setting.watch) {
            return;
        }
        count("watched");
        count(verdict ? std::string(domain::to_string(*verdict)).c_str() : "not_checked");
        if (evaluation.due) {
            count("due");
        }
    });
    json out = json::object();
    out["schema"] = schema_name;
    out["schema_version"] = schema_version;
    out["generated_at"] = domain::format_utc_iso8601(now);
    out["host_version"] = build_config::version;
    out["catalog_version"] = catalog.version;
    out["summary"] = std::move(summary);
    out["settings"] = std::move(settings);
    return out;
}

json rows(const catalog::Catalog& catalog, const Snapshot& snapshot, domain::TimePoint now)
{
    json list = json::array();
    each_setting(catalog, [&](const catalog::Platform& platform, const catalog::Setting& setting,
                              std::size_t index) {
        list.push_back(row_of(platform, setting, snapshot.latest.at(index),
                              domain::evaluate(snapshot.histories.at(index), now)));
    });
    return list;
}

std::vector<storage::FleetRow> fleet_rows(const catalog::Catalog& catalog,
                                          const Snapshot& snapshot, domain::TimePoint now)
{
    std::vector<storage::FleetRow> rows;
    each_setting(catalog, [&](const catalog::Platform& platform, const catalog::Setting& setting,
                              std::size_t index) {
        const auto& latest = snapshot.latest.at(index);
        const auto verdict = verdict_of(setting, latest);
        const auto& history = snapshot.histories.at(index);
        const domain::Evaluation evaluation = domain::evaluate(history, now);
        storage::FleetRow row;
        row.platform = platform.id;
        row.setting = setting.id;
        row.title = setting.title;
        row.watch = setting.watch;
        row.expected = std::string(domain::to_string(setting.expected));
        if (latest) {
            row.state = std::string(domain::to_string(latest->state));
            row.verified_at = domain::to_unix_ms(latest->observed_at);
        }
        if (verdict) {
            row.verdict = std::string(domain::to_string(*verdict));
        }
        row.due = evaluation.due;
        if (evaluation.due) {
            row.severity = std::string(domain::to_string(evaluation.severity));
            row.reasons = reason_codes(evaluation.reasons);
        } else if (evaluation.next_at) {
            // What it will be due for then, should nothing change before.
            const domain::Evaluation then = domain::evaluate(history, *evaluation.next_at);
            row.due_at = domain::to_unix_ms(*evaluation.next_at);
            if (then.due) {
                row.severity_then = std::string(domain::to_string(then.severity));
                row.reasons_then = reason_codes(then.reasons);
            }
        }
        row.catalog_version = catalog.version;
        rows.push_back(std::move(row));
    });
    return rows;
}

} // namespace optguard::status
