#include "catalog/user_config.hpp"

#include "catalog/json_checker.hpp"
#include "domain/url.hpp"
#include "os/file_checks.hpp"
#include "util/json_text.hpp"

namespace optguard::catalog {

using json = nlohmann::json;

UserConfig parse_user_config(const json& document, const std::string& file_name)
{
    const JsonChecker check(file_name);
    check.root_object(document, {"format"}, {"format", "interval_days", "settings"});
    const json& format = document.at("format");
    if (!format.is_number_integer() || format.get<std::int64_t>() != config_format) {
        check.fail("format", "must be " + std::to_string(config_format) + ", got "
                                 + util::describe_value(format));
    }
    UserConfig config;
    if (document.contains("interval_days")) {
        config.interval_days = check.interval_days(document.at("interval_days"), "interval_days");
    }
    if (!document.contains("settings")) {
        return config;
    }
    const json& settings = document.at("settings");
    if (!settings.is_object()) {
        check.fail("settings", "must be a JSON object, got " + util::describe_value(settings));
    }
    for (const auto& [key, value] : settings.items()) {
        const std::string path = JsonChecker::key_path("settings", key);
        const std::size_t slash = key.find('/');
        if (slash == std::string::npos || !domain::is_id(std::string_view(key).substr(0, slash))
            || !domain::is_id(std::string_view(key).substr(slash + 1))) {
            check.fail(path, "key must be \"platform/setting\" (ids of [a-z0-9-]+)");
        }
        check.object(value, path, {}, {"expected", "watch", "interval_days"});
        SettingOverride override_entry;
        if (value.contains("expected")) {
            override_entry.expected = check.expected(value.at("expected"), path + ".expected");
        }
        if (value.contains("watch")) {
            override_entry.watch = check.boolean(value.at("watch"), path + ".watch");
        }
        if (value.contains("interval_days")) {
            override_entry.interval_days =
                check.interval_days(value.at("interval_days"), path + ".interval_days");
        }
        config.settings.emplace(key, override_entry);
    }
    return config;
}

ConfigLoad try_load_user_config(const std::filesystem::path& path)
{
    ConfigLoad result;
    // Checked and read through one open file, so it cannot be swapped in between. A missing file
    // is an empty config; a dangling link is refused, not taken for a missing file.
    os::TrustedFile file = os::read_trusted_file(path, max_config_bytes);
    if (file.missing) {
        return result;
    }
    if (file.refused) {
        result.error = std::move(*file.refused);
        return result;
    }
    try {
        // Messages name the full path: the user has to find this file to fix it.
        result.config
            = parse_user_config(parse_json_document(file.text, path.string()), path.string());
    } catch (const CatalogError& error) {
        result.error = error.what();
    } catch (const std::exception& error) {
        result.error = path.string() + ": " + error.what();
    }
    return result;
}

Catalog apply_user_config(Catalog catalog, const UserConfig& config)
{
    for (auto& platform : catalog.platforms) {
        for (auto& setting : platform.settings) {
            if (config.interval_days) {
                setting.interval_days = *config.interval_days;
            }
            const auto found = config.settings.find(platform.id + "/" + setting.id);
            if (found == config.settings.end()) {
                continue;
            }
            const SettingOverride& entry = found->second;
            if (entry.expected) {
                setting.expected = *entry.expected;
            }
            if (entry.watch) {
                setting.watch = *entry.watch;
            }
            if (entry.interval_days) {
                setting.interval_days = *entry.interval_days;
            }
        }
    }
    return catalog;
}

} // namespace optguard::catalog
