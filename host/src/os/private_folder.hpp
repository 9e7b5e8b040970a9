#pragma once
// The one private-folder policy (docs/security.md, "Private folders"): every folder OptGuard keeps
// something in (state, config, installed catalogs, catalog cache) goes through here.

#include <filesystem>
#include <optional>
#include <string>

namespace optguard::os {

// Creates `path` and any missing parents with mode 0700 (umask 077 while creating). A folder that
// already exists is never repaired, only judged, as untrusted_folder_reason (os/file_checks.hpp)
// judges it: a symbolic link, not a folder, another user's, or writable by group or others is
// refused, the last with "run: chmod 700 <path>". Whoever could write there could have changed
// what is in it, so OptGuard does not quietly take it over. Read bits are no reason: every file
// kept there is 0600. Returns nullopt when the folder is ready, else why not, naming the path.
[[nodiscard]] std::optional<std::string> prepare_private_folder(const std::filesystem::path& path);

// The same judgement of a folder that may exist, creating and changing nothing (the doctor's
// check): nullopt when it is missing or would be used as it is, else the refusal in the words
// prepare_private_folder gives.
[[nodiscard]] std::optional<std::string> private_folder_refusal(const std::filesystem::path& path);

} // namespace optguard::os
