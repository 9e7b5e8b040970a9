#pragma once
// Reminders between the catalog, the store and the pure rules (issue 5): gathers each setting's
// history, asks domain/reminders what is due, and shapes the replies that both the `due`/`snooze`/
// `ack`/`filed` requests and the CLI use. No I/O of its own beyond the ReminderStore it is given.

#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "catalog/catalog.hpp"
#include "domain/reminders.hpp"
#include "storage/reminder_store.hpp"

namespace optguard::reminders {

// One setting's history. `store` may be null (nothing recorded yet). Throws storage::StorageError.
// Callers reading many settings wrap the calls in one storage::ReadingScope.
[[nodiscard]] domain::SettingHistory history_of(const catalog::Platform& platform,
                                                const catalog::Setting& setting,
                                                storage::ReminderStore* store);

// One history per catalog setting, in catalog order, read in one snapshot. `store` may be null
// (nothing recorded yet). Throws storage::StorageError.
[[nodiscard]] std::vector<domain::SettingHistory> collect(const catalog::Catalog& catalog,
                                                          storage::ReminderStore* store);

// The `due` reply's fields (docs/protocol.md): now, count, next_due_at, platforms[].
[[nodiscard]] nlohmann::json due_json(const catalog::Catalog& catalog,
                                      std::span<const domain::SettingHistory> histories,
                                      domain::TimePoint now);

// The catalog setting named by platform/setting; throws app::Rejected (unknown_setting).
const catalog::Setting& require_setting(const catalog::Catalog& catalog,
                                        const std::string& platform, const std::string& setting);

// The actions, each validated against the catalog and recorded durably before it returns its reply
// fields. Throw app::Rejected (app/rejected.hpp) or storage::StorageError.
[[nodiscard]] nlohmann::json snooze(const catalog::Catalog& catalog, storage::ReminderStore& store,
                                    const std::string& platform, const std::string& setting,
                                    std::chrono::milliseconds duration, domain::TimePoint now);
[[nodiscard]] nlohmann::json acknowledge(const catalog::Catalog& catalog,
                                         storage::ReminderStore& store, const std::string& platform,
                                         const std::string& setting, domain::TimePoint now);
// `date` must not be later than tomorrow (UTC): the user may be a time zone ahead.
[[nodiscard]] nlohmann::json filed(const catalog::Catalog& catalog, storage::ReminderStore& store,
                                   const std::string& platform, const std::string& setting,
                                   const std::string& date, domain::TimePoint now);

// A human sentence for one reason, e.g. "LinkedIn's policy change of 2025-11-03 took effect after
// your last check".
[[nodiscard]] std::string describe(const domain::ReasonDetail& reason);

} // namespace optguard::reminders
