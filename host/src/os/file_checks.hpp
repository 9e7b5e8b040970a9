#pragma once
// Whether a file the user controls (the configuration) may be trusted before it is read.

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>

namespace optguard::os {

// nullopt if `path` does not exist (a missing config is no error) or is a regular file of ours
// that no one else can write. Otherwise why not, naming the file and the fix: a symbolic link (it
// could point OptGuard at a file someone else controls, or at a device or pipe that never ends),
// not a regular file, owned by another user, or writable by group or others. Does not follow links.
[[nodiscard]] std::optional<std::string> untrusted_file_reason(const std::filesystem::path& path);

// nullopt if `path` does not exist or is a real folder of ours that no one else can write;
// otherwise why not (a symbolic link, not a folder, another user's, writable by group or others).
[[nodiscard]] std::optional<std::string> untrusted_folder_reason(const std::filesystem::path& path);

struct TrustedFile {
    bool missing = false;               // no such file: no error
    std::string text;                   // the bytes, when neither missing nor refused
    std::optional<std::string> refused; // why it was not read, as untrusted_file_reason says it
};

// Reads a file the user controls, checking the file it actually opened: the checks above on the
// path, then the open refuses a link (O_NOFOLLOW) and does not block on a FIFO, and fstat of the
// open file is checked again before its bytes are read. So nothing can swap the file between the
// check and the read. At most `max_bytes`; a larger file is refused.
[[nodiscard]] TrustedFile read_trusted_file(const std::filesystem::path& path, std::size_t max_bytes);

} // namespace optguard::os
