#pragma once
// A person's choice for one catalog setting (the `set_choice` request) and how it changes the
// config.json document. Pure: no I/O, no time; storage/config_file.cpp does the reading and writing.

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "domain/verdict.hpp"

namespace optguard::catalog {

// What to do with one key of a setting's override.
enum class Edit {
    keep,  // the field was absent from the request: leave the override as it is
    set,   // store the given value
    reset, // the field was null: remove the override, back to the catalog's value
};

struct Choice {
    std::string platform;
    std::string setting;
    Edit watch_edit = Edit::keep;
    bool watch = true; // used when watch_edit == set
    Edit expected_edit = Edit::keep;
    domain::Expected expected = domain::Expected::off; // used when expected_edit == set
    Edit interval_edit = Edit::keep;
    int interval_days = 30; // used when interval_edit == set; min/max_interval_days (catalog.hpp)

    [[nodiscard]] std::string key() const { return platform + "/" + setting; }
};

// `document` is the parsed config.json (null when there is none). Returns the document with the
// choice applied: every other top-level key and every other setting is kept as it was (including
// keys this version does not know), an override left empty is removed, and a missing document
// becomes {"format": 1, "settings": {...}}. The caller validates the result with
// parse_user_config before writing it.
[[nodiscard]] nlohmann::json apply_choice(nlohmann::json document, const Choice& choice);

} // namespace optguard::catalog
