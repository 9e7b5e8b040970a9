#pragma once
// Which catalog is in use: the bundled one (share/optguard/catalog) or a signed release installed
// under $XDG_DATA_HOME/optguard/catalogs/VERSION/ (docs/catalog-format.md, "Signed catalog
// releases"). Every installed release is verified again, signature and validation, each time it is
// chosen; one that fails is passed over with a notice, never used. The newest valid catalog wins;
// the bundled one when no installed release is newer and valid. In storage/ because it reads the
// folders through os/ (trusted reads, XDG paths); what it yields keeps the catalog namespace.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "catalog/catalog.hpp"
#include "catalog/minisign.hpp"
#include "catalog/release.hpp"
#include "domain/timestamp.hpp"
#include "os/paths.hpp"

namespace optguard::catalog {

enum class Origin { bundled, installed };
[[nodiscard]] std::string_view to_string(Origin origin) noexcept;

inline constexpr const char* installed_file_name = "catalog.json";
inline constexpr const char* installed_signature_name = "catalog.json.minisig";

// What the catalog in use is.
struct CatalogInfo {
    std::string version;
    std::string date; // the release's date; for the bundled catalog, its version's date
    Origin origin = Origin::bundled;
    std::string key_id;         // installed: the key id that signed it (minisign's hex)
    std::filesystem::path path; // bundled: its folder; installed: its catalog.json (may be empty)
};

// Where catalogs and keys are.
struct CatalogPlaces {
    std::filesystem::path bundled; // share/optguard/catalog (or $OPTGUARD_CATALOG_DIR)
    std::filesystem::path keys;    // share/optguard/keys, beside it
    std::optional<std::filesystem::path> installed; // nullopt without a home folder
};
[[nodiscard]] CatalogPlaces catalog_places(const os::EnvLookup& env,
                                           const std::filesystem::path& executable);

struct TrustedKey {
    minisign::PublicKey key;
    std::string file; // its file name
};
struct TrustedKeys {
    std::vector<TrustedKey> keys;      // sorted by file name
    std::vector<std::string> problems; // files that are not minisign public keys, and why
};
// Every *.pub file in `dir`; a missing folder holds no keys.
[[nodiscard]] TrustedKeys load_trusted_keys(const std::filesystem::path& dir);

struct VerifiedRelease {
    Release release;
    std::string key_id;
};
// Checks, in this order, size, the signature file, the key, the signature, then parses and
// validates the release. Throws ReleaseRejected; nothing of the file is parsed before its
// signature verified. `keys_dir` only names the folder in messages.
[[nodiscard]] VerifiedRelease verify_release(std::string_view bytes, std::string_view signature,
                                             const TrustedKeys& keys,
                                             const std::filesystem::path& keys_dir);

struct ActiveCatalog {
    CatalogLoad load;                 // the catalog in use, or why none loaded
    CatalogInfo info;                 // meaningful when load.catalog is set
    std::vector<std::string> notices; // installed releases that were not used, and why
};

// A catalog loaded from a folder, as the bundled catalog in use (its date is its version's).
[[nodiscard]] ActiveCatalog bundled_catalog(CatalogLoad load, const std::filesystem::path& folder = {});

// An installed release folder.
struct InstalledRelease {
    std::string version; // the folder's name
    std::filesystem::path folder;
};
// The folders of `dir` named as versions, newest first; empty if `dir` is missing or unreadable.
[[nodiscard]] std::vector<InstalledRelease> installed_releases(const std::filesystem::path& dir);

// Reads and verifies one installed release (signature and validation); its version must be the
// folder's name. Throws ReleaseRejected.
[[nodiscard]] VerifiedRelease read_installed_release(const InstalledRelease& installed,
                                                     const TrustedKeys& keys,
                                                     const std::filesystem::path& keys_dir);

// The catalog to use now. Never throws for a bad file: a refused installed release becomes a
// notice, a broken bundled catalog the load's error.
[[nodiscard]] ActiveCatalog select_catalog(const CatalogPlaces& places);

// Whole days since the catalog's date (0 when it is in the future).
[[nodiscard]] int age_days(const CatalogInfo& info, domain::TimePoint now);
[[nodiscard]] bool is_stale(const CatalogInfo& info, domain::TimePoint now);
// "This catalog is N days old (released DATE): ..." when stale, else empty.
[[nodiscard]] std::string stale_warning(const CatalogInfo& info, domain::TimePoint now);

// The `catalog_info` object of hello, catalog, status and install_catalog (docs/protocol.md).
[[nodiscard]] nlohmann::json info_json(const CatalogInfo& info,
                                       const std::vector<std::string>& notices,
                                       domain::TimePoint now);

} // namespace optguard::catalog
