#include "catalog/user_config.hpp"

#include "catalog/json_checker.hpp"
#include "domain/url.hpp"
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
