#include "catalog/choice.hpp"

#include "catalog/catalog.hpp"

namespace optguard::catalog {

using json = nlohmann::json;

namespace {

void apply_edit(json& entry, const char* name, Edit edit, const json& value)
{
    switch (edit) {
    case Edit::keep:
        return;
    case Edit::set:
        entry[name] = value;
        return;
    case Edit::reset:
        entry.erase(name);
        return;
    }
}

} // namespace

json apply_choice(json document, const Choice& choice)
{
    if (document.is_null()) {
        document = json {{"format", config_format}};
    }
    json& settings = document["settings"];
    if (settings.is_null()) {
        settings = json::object();
    }
    const std::string key = choice.key();
    json entry = settings.contains(key) ? settings.at(key) : json::object();
    apply_edit(entry, "watch", choice.watch_edit, json(choice.watch));
    apply_edit(entry, "expected", choice.expected_edit,
               json(std::string(domain::to_string(choice.expected))));
    apply_edit(entry, "interval_days", choice.interval_edit, json(choice.interval_days));
    if (entry.empty()) {
        settings.erase(key);
    } else {
        settings[key] = std::move(entry);
    }
    if (settings.empty()) {
        document.erase("settings");
    }
    return document;
}

} // namespace optguard::catalog
