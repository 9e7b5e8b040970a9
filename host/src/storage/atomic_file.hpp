#pragma once
// Replaces a file so that readers see the old content or the new, never half of it: a temporary
// file in the same folder, written, fsynced, renamed over the target, then the folder fsynced.

#include <filesystem>
#include <string_view>

namespace optguard::storage {

// Writes `content` to `path` atomically with mode 0600 (whatever the umask). Throws StorageError
// naming the file and the system's reason; on failure the old file is untouched and no temporary
// file is left behind.
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

// Makes the folder's entries (a rename into it, a removal) durable: fsync of the folder. Throws
// StorageError.
void sync_directory(const std::filesystem::path& folder);

} // namespace optguard::storage
