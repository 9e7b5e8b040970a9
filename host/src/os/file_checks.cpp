#include "os/file_checks.hpp"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace optguard::os {

namespace fs = std::filesystem;

namespace {

// The checks that hold for the file itself, whether it was found by path (lstat) or opened (fstat).
std::optional<std::string> reason_from_stat(const fs::path& path, const struct stat& info)
{
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

} // namespace

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
    return reason_from_stat(path, info);
}

std::optional<std::string> untrusted_folder_reason(const fs::path& path)
{
    struct stat info {};
    if (::lstat(path.c_str(), &info) != 0) {
        if (errno == ENOENT) {
            return std::nullopt;
        }
        return path.string() + ": cannot inspect it: " + std::strerror(errno);
    }
    if (S_ISLNK(info.st_mode)) {
        return path.string() + " is a symbolic link; OptGuard uses only a real folder here";
    }
    if (!S_ISDIR(info.st_mode)) {
        return path.string() + " is not a folder";
    }
    if (info.st_uid != ::geteuid()) {
        return path.string() + " belongs to another user (uid " + std::to_string(info.st_uid) + ")";
    }
    if ((info.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
        return path.string() + " is writable by group or others; run: chmod 700 " + path.string();
    }
    return std::nullopt;
}

TrustedFile read_trusted_file(const fs::path& path, std::size_t max_bytes)
{
    TrustedFile result;
    if (auto reason = untrusted_file_reason(path)) {
        result.refused = std::move(reason);
        return result;
    }
    int flags = O_RDONLY | O_CLOEXEC | O_NOFOLLOW;
#ifdef O_NONBLOCK
    flags |= O_NONBLOCK; // a FIFO put there after the check must not block the open
#endif
    const int fd = ::open(path.c_str(), flags);
    if (fd < 0) {
        const int error = errno;
        if (error == ENOENT) {
            result.missing = true;
        } else if (error == ELOOP) {
            result.refused = path.string() + " became a symbolic link while OptGuard was reading "
                                             "it; replace the link with a copy of the file";
        } else {
            result.refused = path.string() + ": cannot open it: " + std::strerror(error);
        }
        return result;
    }
    struct FdCloser {
        int fd;
        ~FdCloser() { ::close(fd); }
    } closer {fd};
    struct stat info {};
    if (::fstat(fd, &info) != 0) {
        result.refused = path.string() + ": cannot inspect it: " + std::strerror(errno);
        return result;
    }
#ifdef _WIN32
    // The C runtime copies the owner's bits to group and others; Windows has no such bits
    // (os/win32/posix_compat.hpp clears them the same way for lstat).
    info.st_mode = static_cast<decltype(info.st_mode)>(info.st_mode & ~077);
#endif
    if (auto reason = reason_from_stat(path, info)) {
        result.refused = std::move(reason);
        return result;
    }
    char chunk[8192];
    for (;;) {
        const auto n = ::read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            result.refused = path.string() + ": cannot read it: " + std::strerror(errno);
            return result;
        }
        if (n == 0) {
            break;
        }
        result.text.append(chunk, static_cast<std::size_t>(n));
        if (result.text.size() > max_bytes) {
            result.refused = path.string() + " is larger than " + std::to_string(max_bytes)
                + " bytes; it cannot be OptGuard's configuration";
            result.text.clear();
            return result;
        }
    }
    return result;
}

} // namespace optguard::os
