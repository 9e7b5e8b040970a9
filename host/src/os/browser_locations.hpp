#pragma once
// Where each browser looks for native-messaging host manifests: the same rows as
// installer/browsers.tsv (the installer's one table; a unit test fails if the two differ), and the
// lookups `optguard doctor` needs. Paths use the table's tokens: `~` is HOME, `$CONFIG` is
// XDG_CONFIG_HOME (default ~/.config); system folders are absolute and taken under a root prefix
// ($OPTGUARD_ROOT, tests only; empty otherwise).

#include <filesystem>
#include <optional>
#include <span>
#include <string_view>

#include "os/paths.hpp"

namespace optguard::os {

struct BrowserLocation {
    std::string_view id;       // e.g. "chrome"; the same id appears once per os and scope
    std::string_view name;     // what people call it
    std::string_view os;       // "linux", "macos" or "windows"
    std::string_view scope;    // "user" or "system"
    std::string_view family;   // manifest template: "chromium" (allowed_origins) or "firefox"
    std::string_view folder;   // manifest folder (Windows: the registry key holding its path)
    std::string_view probe;    // comma-separated paths or commands; any present = installed
    std::string_view note;     // "-" or "unreachable: why. Fix: what to do"
};

// Every row, in the table's order.
[[nodiscard]] std::span<const BrowserLocation> browser_locations();

// "linux", "macos" or "windows": the rows that apply to the system this was built for.
[[nodiscard]] std::string_view current_os();

// True for rows whose sandbox cannot start the host (note starts with "unreachable:").
[[nodiscard]] bool unreachable(const BrowserLocation& location);

// A table path with `~` / `$CONFIG` / a leading `%VARIABLE%` (Windows) expanded, absolute paths
// under `root`.
[[nodiscard]] std::filesystem::path expand_location(std::string_view path, const EnvLookup& env,
                                                    const std::filesystem::path& root);

// Whether any probe entry exists: a path, or a command found on env's PATH. Touches the disk.
[[nodiscard]] bool browser_present(const BrowserLocation& location, const EnvLookup& env,
                                   const std::filesystem::path& root);

// True for a folder that is a registry key (the Windows rows: HKCU\... or HKLM\...).
[[nodiscard]] bool is_registry_key(std::string_view folder);

// Windows: what the browser reads, the default value of the registry key <key>\<host_name> (the
// manifest's path), HKCU or HKLM as the key says, 64-bit view. nullopt when there is no such key
// or value, and always on the other systems.
[[nodiscard]] std::optional<std::string> registered_manifest(std::string_view key,
                                                             std::string_view host_name);

// $OPTGUARD_ROOT when set and absolute, else empty (the real root).
[[nodiscard]] std::filesystem::path system_root(const EnvLookup& env);

} // namespace optguard::os
