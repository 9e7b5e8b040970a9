#include "app/status_rows.hpp"

#include "domain/timestamp.hpp"
#include "domain/verdict.hpp"

namespace optguard {

using json = nlohmann::json;

json status_rows(const catalog::Catalog& catalog, storage::ObservationStore* store)
{
    json rows = json::array();
    auto& items = rows.get_ref<json::array_t&>();
    std::size_t count = 0;
    for (const auto& platform : catalog.platforms) {
        count += platform.settings.size();
    }
    items.reserve(count);
    // One snapshot and one read transaction for all rows, not one per row.
    const storage::ReadingScope reading(store);
    for (const auto& platform : catalog.platforms) {
        for (const auto& setting : platform.settings) {
            // Inserted key by key: an initializer list builds every pair as a two-element array
            // first, which was most of a `status` reply's cost (bench figure 2).
            json& row = items.emplace_back(json::object());
            row["platform"] = platform.id;
            row["setting"] = setting.id;
            row["title"] = setting.title;
            row["kind"] = catalog::to_string(setting.kind);
            row["expected"] = domain::to_string(setting.expected);
            row["watch"] = setting.watch;
            row["interval_days"] = setting.interval_days;
            row["opt_out_url"] = setting.opt_out_url;
            const auto last = store != nullptr ? store->latest(platform.id, setting.id)
                                               : std::nullopt;
            if (last) {
                // Judged against today's expected state, so a changed override takes effect at
                // once; the verdict stored with the row is the one given when it was reported.
                row["state"] = domain::to_string(last->state);
                row["verdict"] = domain::to_string(domain::compute_verdict(setting.expected,
                                                                           last->state));
                row["verified_at"] = domain::format_utc_iso8601(last->observed_at);
            } else {
                row["state"] = nullptr;
                row["verdict"] = nullptr;
                row["verified_at"] = nullptr;
            }
        }
    }
    return rows;
}

} // namespace optguard
