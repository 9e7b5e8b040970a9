#pragma once
// The user's configuration ($XDG_CONFIG_HOME/optguard/config.json, docs/catalog-format.md):
// per-setting overrides of expected, watch and interval_days.

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "catalog/catalog.hpp"
#include "domain/verdict.hpp"

namespace optguard::catalog {

struct SettingOverride {
    std::optional<domain::Expected> expected;
    std::optional<bool> watch;
    std::optional<int> interval_days;
};

struct UserConfig {
    // Top-level "interval_days": every setting's interval unless its own override sets one.
    std::optional<int> interval_days;
    // Keyed "platform/setting". Keys naming no catalog setting are kept but have no effect.
    std::map<std::string, SettingOverride> settings;
};

// Validates a parsed config document. Throws CatalogError naming `file_name` and the key path.
[[nodiscard]] UserConfig parse_user_config(const nlohmann::json& document,
                                           const std::string& file_name);

// config.json is a few KB; anything this large is not OptGuard's.
inline constexpr std::size_t max_config_bytes = 1U << 20U;

struct ConfigLoad {
    UserConfig config;
    std::string error; // empty if the file is fine or absent
};

// The catalog with the overrides applied: the effective expected/watch/interval_days.
[[nodiscard]] Catalog apply_user_config(Catalog catalog, const UserConfig& config);

} // namespace optguard::catalog
