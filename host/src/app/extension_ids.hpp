#pragma once
// The extensions allowed to start the host, from the build's table (installer/extension-ids.tsv,
// build_config::extension_ids): the unpacked extension, the store builds whose ids are known, and
// the Firefox add-on. The caller check, `optguard doctor` and the tests all ask here.

#include <span>
#include <string>
#include <vector>

#include "build_config.hpp"

namespace optguard::extension_ids {

using Rows = std::span<const build_config::ExtensionId>;

// "chrome-extension://ID/" for every Chromium-family row with a known id, in table order: the
// host manifest's allowed_origins.
[[nodiscard]] std::vector<std::string> chromium_origins(Rows rows = build_config::extension_ids);

// Every Firefox-family id, in table order: the host manifest's allowed_extensions.
[[nodiscard]] std::vector<std::string> firefox_ids(Rows rows = build_config::extension_ids);

// The names of the rows whose id is not known yet (a store that has not published OptGuard).
[[nodiscard]] std::vector<std::string> unknown(Rows rows = build_config::extension_ids);

// What a browser passes as the caller for the unpacked extension (the first Chromium row) and the
// Firefox add-on: `optguard doctor` starts the host the same way.
[[nodiscard]] std::string unpacked_origin(Rows rows = build_config::extension_ids);
[[nodiscard]] std::string firefox_id(Rows rows = build_config::extension_ids);

} // namespace optguard::extension_ids
