#pragma once
// A person's choice for one catalog setting: watch it or not, which state to expect, how often to
// re-check. Plain
// data: the protocol parses it (protocol/request.hpp), the catalog applies it to config.json
// (catalog/choice.hpp).

#include <string>

#include "domain/verdict.hpp"

namespace optguard::domain {

// The re-check interval a catalog entry or a person may set, in days.
inline constexpr int min_interval_days = 1;
inline constexpr int max_interval_days = 365;

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
    Expected expected = Expected::off; // used when expected_edit == set
    Edit interval_edit = Edit::keep;
    int interval_days = 30; // used when interval_edit == set; min/max_interval_days above

    [[nodiscard]] std::string key() const { return platform + "/" + setting; }
};

} // namespace optguard::domain
