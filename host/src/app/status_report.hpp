#pragma once
// Every catalog setting's status at one moment: the rows of the `status` reply (the extension shows
// their `due` as it is), and for the tools organisations run (docs/fleet.md) the versioned document
// `optguard status --json` prints and the rows of the state database's fleet view
// (storage/fleet_table.hpp). Both come from one read of the store; no I/O of its own.
//
// The document's shape is a contract: a change to a field's name, type or meaning is a new
// schema_version, documented in docs/fleet.md, never a silent edit. tests/unit/status_report_test.cpp
// pins it against docs/fleet/status-v1.example.json, which docs/fleet/status-v1.schema.json describes.

#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "catalog/catalog.hpp"
#include "domain/reminders.hpp"
#include "storage/fleet_table.hpp"
#include "storage/reminder_store.hpp"

namespace optguard::status {

inline constexpr const char* schema_name = "optguard-status";
inline constexpr int schema_version = 1;

// What the store says about every catalog setting, in catalog order, read in one snapshot.
struct Snapshot {
    std::vector<domain::SettingHistory> histories;           // what the reminder rules look at
    std::vector<std::optional<storage::Observation>> latest; // the newest report, any state
};

// `store` may be null: nothing was ever recorded. Throws storage::StorageError.
[[nodiscard]] Snapshot read(const catalog::Catalog& catalog, storage::ReminderStore* store);

// The `status --json` document, schema_version 1 (docs/fleet.md).
[[nodiscard]] nlohmann::json document(const catalog::Catalog& catalog, const Snapshot& snapshot,
                                      domain::TimePoint now);

// The `status` reply's rows (docs/protocol.md): what the store says about every setting and, from
// the same read, whether it is due and why, as `due` judges it (domain::evaluate with the person's
// overrides already in `catalog`), so the extension never judges that itself while the host answers.
[[nodiscard]] nlohmann::json rows(const catalog::Catalog& catalog, const Snapshot& snapshot,
                                  domain::TimePoint now);

// The same evaluation as rows of the fleet table, each with what it will be due for at its
// `due_at` when it is not due now.
[[nodiscard]] std::vector<storage::FleetRow> fleet_rows(const catalog::Catalog& catalog,
                                                        const Snapshot& snapshot,
                                                        domain::TimePoint now);

} // namespace optguard::status
