#pragma once
// The person's $XDG_CONFIG_HOME/optguard/config.json: read through one trusted open file, and
// written under a lock file next to it (config.json.lock), re-read, changed (catalog/choice.hpp),
// validated, replaced atomically.

#include <filesystem>

#include "catalog/choice.hpp"
#include "catalog/user_config.hpp"

namespace optguard::storage {

// Reads and validates the config file (catalog::parse_user_config). A missing file is an empty
// config, not an error; one that is broken or cannot be trusted gives its reason in `error`.
[[nodiscard]] catalog::ConfigLoad load_user_config(const std::filesystem::path& path);

// Applies `choice` to the config file at `path` and returns the configuration now in it.
// The folder is created 0700 or refused (storage/private_directory.hpp), the file and the lock
// file are 0600. Another process's change made meanwhile is kept: the file is re-read under
// the lock. Throws catalog::CatalogError (config_invalid) if the existing file is broken or not a
// private regular file of ours - it is then left exactly as it was - and StorageError if the folder
// or file cannot be created, locked or written.
catalog::UserConfig save_choice(const std::filesystem::path& path, const catalog::Choice& choice);

} // namespace optguard::storage
