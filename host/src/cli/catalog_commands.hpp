#pragma once
// `optguard catalog status [--json]` and `optguard catalog install FILE [SIG]`: which catalog is
// in use and how old it is, and installing a signed catalog release (docs/catalog-format.md).

#include <filesystem>
#include <optional>
#include <ostream>
#include <span>
#include <string_view>

#include "storage/active_catalog.hpp"
#include "domain/timestamp.hpp"
#include "os/paths.hpp"

namespace optguard::cli {

inline constexpr std::string_view catalog_usage
    = "  catalog status [--json]        which catalog is in use, how old it is, where it lives\n"
      "  catalog install FILE [SIG]     install a signed catalog release (SIG: FILE.minisig)\n";

// The catalog the CLI commands use (the newest valid one, as the browser's helper chooses it);
// each installed release that was passed over is explained on `err`, after `program`'s name.
[[nodiscard]] catalog::ActiveCatalog active_catalog(const os::EnvLookup& env,
                                                    const std::filesystem::path& executable,
                                                    std::ostream& err,
                                                    std::string_view program);

// The exit status if args[0] is "catalog", nullopt otherwise.
[[nodiscard]] std::optional<int> run_catalog_command(std::span<const std::string_view> args,
                                                     std::ostream& out, std::ostream& err,
                                                     const os::EnvLookup& env,
                                                     const std::filesystem::path& executable,
                                                     domain::TimePoint now,
                                                     std::string_view program);

} // namespace optguard::cli
