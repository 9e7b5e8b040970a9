#pragma once
// An in-memory ReminderStore for dispatcher tests.

#include <algorithm>
#include <map>
#include <tuple>
#include <vector>

#include "storage/reminder_store.hpp"

namespace optguard::test {

class MemoryReminderStore final : public storage::ReminderStore {
public:
    using Key = std::pair<std::string, std::string>;

    std::optional<storage::Observation> latest(std::string_view p, std::string_view s) override
    {
        std::optional<storage::Observation> best;
        for (const auto& row : rows) {
            if (row.platform == p && row.setting == s
                && (!best || row.observed_at >= best->observed_at)) {
                best = row;
            }
        }
        return best;
    }
    std::optional<storage::Observation> latest_readable(std::string_view p, std::string_view s) override
    {
        std::optional<storage::Observation> best;
        for (const auto& row : rows) {
            if (row.platform == p && row.setting == s && row.state != domain::State::unknown
                && (!best || row.observed_at >= best->observed_at)) {
                best = row;
            }
        }
        return best;
    }
    std::optional<domain::TimePoint> last_compliant_before(std::string_view p, std::string_view s,
                                                           domain::TimePoint before) override
    {
        std::optional<domain::TimePoint> best;
        for (const auto& row : rows) {
            if (row.platform == p && row.setting == s && row.verdict == domain::Verdict::compliant
                && row.observed_at < before && (!best || row.observed_at > *best)) {
                best = row.observed_at;
            }
        }
        return best;
    }
    std::optional<domain::Snooze> snooze(std::string_view p, std::string_view s) override
    {
        const auto found = snoozes.find(key(p, s));
        return found == snoozes.end() ? std::nullopt : std::optional(found->second);
    }
    void set_snooze(std::string_view p, std::string_view s, const domain::Snooze& value) override
    {
        fail_if_asked();
        snoozes[key(p, s)] = value;
    }
    std::optional<domain::TimePoint> acknowledged_at(std::string_view p, std::string_view s) override
    {
        const auto found = acks.find(key(p, s));
        return found == acks.end() ? std::nullopt : std::optional(found->second);
    }
    void acknowledge(std::string_view p, std::string_view s, domain::TimePoint at) override
    {
        fail_if_asked();
        acks[key(p, s)] = at;
    }
    std::optional<std::string> filed_on(std::string_view p, std::string_view s) override
    {
        const auto found = filed.find(key(p, s));
        return found == filed.end() ? std::nullopt : std::optional(found->second);
    }
    void record_filed(std::string_view p, std::string_view s, std::string_view date,
                      domain::TimePoint) override
    {
        fail_if_asked();
        filed[key(p, s)] = std::string(date);
    }
    std::optional<domain::TimePoint> last_notified(std::string_view p, std::string_view s,
                                                   storage::Channel) override
    {
        const auto found = notified.find(key(p, s));
        return found == notified.end() ? std::nullopt : std::optional(found->second);
    }
    void record_notified(std::string_view p, std::string_view s, storage::Channel,
                         domain::TimePoint at) override
    {
        notified[key(p, s)] = at;
    }
    std::vector<storage::Observation> history() override { return rows; }
    bool publish_status(std::span<const storage::FleetRow> published, domain::TimePoint) override
    {
        fail_if_asked();
        fleet.assign(published.begin(), published.end());
        ++publications;
        return true;
    }

    std::vector<storage::Observation> rows;
    std::map<Key, domain::Snooze> snoozes;
    std::map<Key, domain::TimePoint> acks;
    std::map<Key, std::string> filed;
    std::map<Key, domain::TimePoint> notified;
    std::vector<storage::FleetRow> fleet; // the last rows published
    int publications = 0;
    bool fail_writes = false;

private:
    static Key key(std::string_view p, std::string_view s) { return {std::string(p), std::string(s)}; }
    void fail_if_asked() const
    {
        if (fail_writes) {
            throw storage::StorageError("disk full");
        }
    }
};

} // namespace optguard::test
