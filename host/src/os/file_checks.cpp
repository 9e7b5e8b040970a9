#include "os/file_checks.hpp"

#include <cerrno>
#include <cstring>

#include <sys/stat.h>
#include <unistd.h>

namespace optguard::os {

namespace fs = std::filesystem;

std::optional<std::string> untrusted_file_reason(const fs::path& path)
{
    struct stat info {};
    if (::lstat(path.c_str(), &info) != 0) {
        if (errno == ENOENT) {
            return std::nullopt;
        }
        return path.string() + ": cannot inspect it: " + std::strerror(errno);
    }
    if (S_ISLNK(info.st_mode)) {
        std::error_code ec;
        const fs::path target = fs::read_symlink(path, ec);
        return path.string() + " is a symbolic link" + (ec ? "" : " to " + target.string())
            + "; OptGuard reads its configuration only from a real file, so that nothing can "
              "point it at a file someone else controls. Replace the link with a copy of the file";
    }
    if (!S_ISREG(info.st_mode)) {
        return path.string() + " is not a regular file; replace it with a JSON file";
    }
    if (info.st_uid != ::geteuid()) {
        return path.string() + " belongs to another user (uid " + std::to_string(info.st_uid)
            + "); OptGuard reads only your own configuration";
    }
    if ((info.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
        return path.string() + " is writable by group or others, who could change what OptGuard "
                               "expects; run: chmod 600 " + path.string();
    }
    return std::nullopt;
}

} // namespace optguard::os
