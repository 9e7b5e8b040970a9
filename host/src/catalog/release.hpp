#pragma once
// A catalog release: the whole catalog in one JSON file, with its version and date
// (docs/catalog-format.md, "Signed catalog releases"), and the rules for accepting one.
//
//   {"optguard_catalog_release": 1, "version": "2026.12.05", "date": "2026-12-05",
//    "index": {...index.json...}, "platforms": {"linkedin.json": {...}, ...}}

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

#include "catalog/catalog.hpp"

namespace optguard::catalog {

inline constexpr int release_format = 1;
// The largest release file accepted (the catalog is about 130 KB). Sent base64-encoded in one
// native-messaging frame it stays under the host's 1 MiB request limit (docs/protocol.md).
inline constexpr std::size_t max_release_bytes = std::size_t {640} * 1024U;
// Past this many days since its date, the catalog in use may be out of date.
inline constexpr int stale_after_days = 60;

struct Release {
    std::string version; // YYYY.MM.DD, the index's version
    std::string date;    // YYYY-MM-DD, the day it was released (not before the version's date)
    Catalog catalog;
};

// Parses and validates the whole release (the same validator as a catalog folder). Throws
// CatalogError with the part named, e.g. `linkedin.json: settings[0].expected: must be ...`.
[[nodiscard]] Release parse_release(std::string_view text);

// Versions are dates written YYYY.MM.DD (domain::is_calendar_date with '.').
[[nodiscard]] bool is_version(std::string_view text) noexcept;
// <0, 0, >0 as `a` is older than, the same as or newer than `b`; both must be versions.
[[nodiscard]] int compare_versions(std::string_view a, std::string_view b) noexcept;
// "2026.12.05" -> "2026-12-05".
[[nodiscard]] std::string version_date(std::string_view version);

// Why a release was not installed; the wire's error.reason (docs/protocol.md, install_catalog).
enum class RejectReason {
    too_large,          // over max_release_bytes
    bad_signature_file, // the signature is not a minisign signature file
    untrusted_key,      // signed with a key that is not among the trusted keys (or there are none)
    bad_signature,      // the signature does not match the file (tampered, damaged, truncated)
    invalid,            // not a valid release or catalog
    not_newer,          // its version is not newer than the catalog in use
    unsupported,        // this build cannot verify signatures
};
[[nodiscard]] std::string_view to_string(RejectReason reason) noexcept;

class ReleaseRejected : public std::runtime_error {
public:
    ReleaseRejected(RejectReason reason, const std::string& message)
        : std::runtime_error(message)
        , reason_(reason)
    {
    }
    [[nodiscard]] RejectReason reason() const noexcept { return reason_; }

private:
    RejectReason reason_;
};

} // namespace optguard::catalog
