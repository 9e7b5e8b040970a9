#pragma once
// Whether a file the user controls (the configuration) may be trusted before it is read.

#include <filesystem>
#include <optional>
#include <string>

namespace optguard::os {

// nullopt if `path` does not exist (a missing config is no error) or is a regular file of ours
// that no one else can write. Otherwise why not, naming the file and the fix: a symbolic link (it
// could point OptGuard at a file someone else controls, or at a device or pipe that never ends),
// not a regular file, owned by another user, or writable by group or others. Does not follow links.
[[nodiscard]] std::optional<std::string> untrusted_file_reason(const std::filesystem::path& path);

} // namespace optguard::os
