#pragma once
// The last verified state of every catalog setting: the `status` reply's `settings` and the
// rows of `optguard status`.

#include <nlohmann/json.hpp>

#include "catalog/catalog.hpp"
#include "storage/observation_store.hpp"

namespace optguard {

// One row per catalog setting, in catalog order. `store` may be null: nothing was ever reported.
// Throws storage::StorageError.
[[nodiscard]] nlohmann::json status_rows(const catalog::Catalog& catalog,
                                         storage::ObservationStore* store);

} // namespace optguard
