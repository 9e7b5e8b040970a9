#pragma once
// An exclusive advisory lock (flock) on a lock file, held for the object's lifetime. Several host
// processes (one per browser connection, plus the CLI) may change the same file at once; each does
// its read-modify-write while holding the lock.

#include <filesystem>

namespace optguard::storage {

class FileLock {
public:
    // Creates `path` (mode 0600, never following a symbolic link) if needed and waits for the lock.
    // Throws StorageError naming the file and the reason.
    explicit FileLock(const std::filesystem::path& path);
    ~FileLock();
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;
    FileLock(FileLock&&) = delete;
    FileLock& operator=(FileLock&&) = delete;

private:
    int fd_ = -1;
};

} // namespace optguard::storage
