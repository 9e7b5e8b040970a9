#pragma once
// The catalog (docs/catalog-format.md): load index.json and the platform files, validate every key,
// and keep the result in plain structs. Loading throws CatalogError; try_load_catalog turns that
// into a value so a broken catalog is reported, not fatal.

#include <filesystem>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/choice.hpp"
#include "domain/reminders.hpp"
#include "domain/verdict.hpp"

namespace optguard::catalog {

// The catalog's format (index.json "format") and the user config's (config.json "format").
inline constexpr int supported_format = 2;
inline constexpr int config_format = 1;
using domain::max_interval_days;
using domain::min_interval_days;

// A catalog or config file failed to load. The message names the file and the key path or the
// line:column, e.g. `linkedin.json: settings[0].expected: must be "on" or "off"`.
class CatalogError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

enum class Kind { toggle, checkbox, form, info };
[[nodiscard]] std::string_view to_string(Kind kind) noexcept;

struct Setting { // NOLINT(bugprone-exception-escape): see .clang-tidy
    std::string id;
    std::string title;
    Kind kind = Kind::toggle;
    std::vector<std::string> pages;
    std::string opt_out_url;
    domain::Expected expected = domain::Expected::off; // effective: catalog value or user override
    int interval_days = 30;                            // effective
    bool watch = true;                                 // effective; only the user config sets it
    std::vector<domain::PolicyEvent> policy_events;    // validated, in catalog order
    nlohmann::json entry;                              // the catalog object as written
};

// A policy document the member may open (privacy policy, terms, AI notice): its date, read on the
// page, can make the platform's settings due (policy_notices.hpp).
struct PolicyDocument {
    std::string id;
    std::string kind; // "privacy", "terms" or "ai"
    std::string title;
    std::vector<std::string> pages;
};

struct Platform { // NOLINT(bugprone-exception-escape): see .clang-tidy
    std::string id;
    std::string name;
    std::vector<std::string> hosts;
    std::vector<Setting> settings;
    std::vector<PolicyDocument> documents; // `policy_documents`, optional
    nlohmann::json documents_entry;        // as written (null when absent)

    [[nodiscard]] const PolicyDocument* find_document(std::string_view document) const noexcept;
};

struct Catalog {
    std::string version;
    std::vector<Platform> platforms;
    // The files it was read from, relative to its folder: index.json, then the platform files.
    std::vector<std::string> files;

    [[nodiscard]] const Platform* find_platform(std::string_view platform) const noexcept;
    [[nodiscard]] const Setting* find_setting(std::string_view platform,
                                              std::string_view setting) const noexcept;
};

// Validates one parsed platform file. `file_name` prefixes every message.
[[nodiscard]] Platform parse_platform(const nlohmann::json& document, const std::string& file_name);

// Validates a parsed index.json; returns the catalog version and the platform file names.
struct Index {
    std::string version;
    std::vector<std::string> platform_files;
};
[[nodiscard]] Index parse_index(const nlohmann::json& document, const std::string& file_name);

// Reads and parses a JSON file; syntax errors name the file and line:column. `display_name` is what
// messages call the file.
[[nodiscard]] nlohmann::json read_json_file(const std::filesystem::path& path,
                                            const std::string& display_name);

// Parses JSON text already read (e.g. by os::read_trusted_file), with the same messages.
[[nodiscard]] nlohmann::json parse_json_document(std::string_view text,
                                                 const std::string& display_name);

// Validates a whole catalog from its parsed index.json and each platform file's parsed document,
// however they were read (a folder, or one release file). Throws CatalogError.
[[nodiscard]] Catalog assemble_catalog(
    const Index& index, const std::function<nlohmann::json(const std::string& file)>& platform_document);

// Loads and validates the whole catalog in `dir`. Throws CatalogError.
[[nodiscard]] Catalog load_catalog(const std::filesystem::path& dir);

struct CatalogLoad {
    std::optional<Catalog> catalog;
    std::string error; // empty when catalog is set
};
[[nodiscard]] CatalogLoad try_load_catalog(const std::filesystem::path& dir);

// The catalog as the `catalog` response carries it: every key of each entry, with the effective
// expected, interval_days and watch.
[[nodiscard]] nlohmann::json to_json(const Catalog& catalog);
[[nodiscard]] nlohmann::json to_json(const Setting& setting);

} // namespace optguard::catalog
