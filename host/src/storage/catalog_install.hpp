#pragma once
// Installs a signed catalog release (docs/catalog-format.md, "Signed catalog releases"): verify,
// validate, refuse a version not newer than the one in use, then write it atomically as
// <installed>/VERSION/{catalog.json, catalog.json.minisig} in a private folder. Any refusal or
// failure leaves the catalogs on disk as they were.

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "storage/active_catalog.hpp"

namespace optguard::storage {

// A policy event the new catalog has and the one in use before did not.
struct NewPolicyEvent {
    std::string platform;
    std::string setting;
    std::string date;
    std::string summary;
};

struct InstallOutcome {
    catalog::ActiveCatalog active;      // the catalog now in use: the one just installed
    std::string previous_version;       // empty if no catalog loaded before
    catalog::Origin previous_origin = catalog::Origin::bundled;
    std::vector<NewPolicyEvent> new_policy_events;
};

// Throws catalog::ReleaseRejected for a release that is refused and StorageError when it cannot be
// written (no home folder, an unsafe folder, a full disk). Serialised with other installs by a
// lock file in the catalogs folder.
[[nodiscard]] InstallOutcome install_release(const catalog::CatalogPlaces& places,
                                             std::string_view bytes, std::string_view signature);

// Policy events of `after` that `before` does not have (same platform, setting, date and summary).
[[nodiscard]] std::vector<NewPolicyEvent> new_policy_events(const catalog::Catalog* before,
                                                            const catalog::Catalog& after);

[[nodiscard]] nlohmann::json to_json(const std::vector<NewPolicyEvent>& events);

} // namespace optguard::storage
