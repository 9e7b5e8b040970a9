#pragma once
// How a person's choice for one catalog setting (domain/choice.hpp, the `set_choice` request)
// changes the config.json document. Pure: no I/O, no time; storage/config_file.cpp does the
// reading and writing.

#include <nlohmann/json.hpp>

#include "domain/choice.hpp"

namespace optguard::catalog {

using Edit = domain::Edit;
using Choice = domain::Choice;

// `document` is the parsed config.json (null when there is none). Returns the document with the
// choice applied: every other top-level key and every other setting is kept as it was (including
// keys this version does not know), an override left empty is removed, and a missing document
// becomes {"format": 1, "settings": {...}}. The caller validates the result with
// parse_user_config before writing it.
[[nodiscard]] nlohmann::json apply_choice(nlohmann::json document, const Choice& choice);

} // namespace optguard::catalog
