// The definitions behind os/win32/posix_compat.hpp and include/sys/file.h (Windows only).
#include "os/win32/posix_compat.hpp"

#include <cerrno>
#include <random>
#include <string>

#include <sys/file.h>
#include <windows.h>

#include "os/win32/process.hpp"

using optguard::os::win32::narrow;
using optguard::os::win32::widen;

namespace {

constexpr int owner_read_write = _S_IREAD | _S_IWRITE;

int fail_with(int error) noexcept
{
    errno = error;
    return -1;
}

} // namespace

int lstat(const wchar_t* path, struct stat* info) noexcept
{
    const DWORD attributes = GetFileAttributesW(path);
    if (attributes == INVALID_FILE_ATTRIBUTES) {
        const DWORD error = GetLastError();
        return fail_with(error == ERROR_FILE_NOT_FOUND || error == ERROR_PATH_NOT_FOUND ? ENOENT
                                                                                          : EACCES);
    }
    struct _stat64 full {};
    if (_wstat64(path, &full) != 0 && (attributes & FILE_ATTRIBUTE_REPARSE_POINT) == 0) {
        return -1; // a reparse point whose target is gone is still reported below
    }
    *info = {};
    info->st_dev = full.st_dev;
    info->st_ino = full.st_ino;
    info->st_nlink = full.st_nlink;
    info->st_size = static_cast<decltype(info->st_size)>(full.st_size);
    info->st_atime = static_cast<decltype(info->st_atime)>(full.st_atime);
    info->st_mtime = static_cast<decltype(info->st_mtime)>(full.st_mtime);
    info->st_ctime = static_cast<decltype(info->st_ctime)>(full.st_ctime);
    // The C runtime copies the owner's bits to group and others; Windows has no such bits.
    info->st_mode = static_cast<unsigned short>(full.st_mode & ~077);
    if ((attributes & FILE_ATTRIBUTE_REPARSE_POINT) != 0) {
        info->st_mode = static_cast<unsigned short>((info->st_mode & ~S_IFMT) | S_IFLNK);
    }
    return 0;
}

int stat(const wchar_t* path, struct stat* info) noexcept { return lstat(path, info); }

int mkdir(const wchar_t* path, mode_t /*mode*/) noexcept { return _wmkdir(path); }

int chmod(const wchar_t* path, int /*mode*/) noexcept { return _wchmod(path, owner_read_write); }

int fchmod(int fd, mode_t /*mode*/) noexcept
{
    return _get_osfhandle(fd) == -1 ? fail_with(EBADF) : 0;
}

mode_t umask(mode_t mask) noexcept
{
    int previous = 0;
    (void)_umask_s(mask & ~owner_read_write, &previous); // never take the owner's rights away
    return static_cast<mode_t>(previous);
}

int access(const wchar_t* path, int mode) noexcept { return _waccess(path, mode & ~X_OK); }

int open(const wchar_t* path, int flags, int mode) noexcept
{
    if ((flags & O_DIRECTORY) != 0) {
        const DWORD attributes = GetFileAttributesW(path);
        if (attributes == INVALID_FILE_ATTRIBUTES || (attributes & FILE_ATTRIBUTE_DIRECTORY) == 0) {
            return fail_with(attributes == INVALID_FILE_ATTRIBUTES ? ENOENT : ENOTDIR);
        }
        return _wopen(L"NUL", _O_RDONLY | _O_NOINHERIT);
    }
    (void)mode; // the ACL comes from the folder
    return _wopen(path, flags | _O_BINARY, owner_read_write);
}

int mkostemp(char* pattern, int flags) noexcept
{
    std::string text(pattern);
    if (text.size() < 6 || text.compare(text.size() - 6, 6, "XXXXXX") != 0) {
        return fail_with(EINVAL);
    }
    static constexpr char letters[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    std::random_device random;
    for (int attempt = 0; attempt < 100; ++attempt) {
        for (std::size_t i = text.size() - 6; i < text.size(); ++i) {
            text[i] = letters[random() % (sizeof letters - 1)];
        }
        const int fd = _wopen(widen(text).c_str(),
                              _O_RDWR | _O_CREAT | _O_EXCL | _O_BINARY | (flags & _O_NOINHERIT),
                              owner_read_write);
        if (fd >= 0) {
            text.copy(pattern, text.size());
            return fd;
        }
        if (errno != EEXIST) {
            return -1;
        }
    }
    return fail_with(EEXIST);
}

int fsync(int fd) noexcept
{
    const auto handle = reinterpret_cast<HANDLE>(_get_osfhandle(fd));
    if (handle == INVALID_HANDLE_VALUE) {
        return fail_with(EBADF);
    }
    if (GetFileType(handle) != FILE_TYPE_DISK) {
        return 0; // NUL (a folder, see open) and pipes: nothing to flush
    }
    return _commit(fd);
}

ssize_t write(int fd, const void* data, std::size_t size) noexcept
{
    const auto chunk = static_cast<unsigned int>(size < 0x40000000U ? size : 0x40000000U);
    return _write(fd, data, chunk);
}

ssize_t read(int fd, void* data, std::size_t size) noexcept
{
    const auto chunk = static_cast<unsigned int>(size < 0x40000000U ? size : 0x40000000U);
    return _read(fd, data, chunk);
}

int rename(const char* from, const wchar_t* to) noexcept
{
    if (MoveFileExW(widen(from).c_str(), to, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)
        == 0) {
        return fail_with(GetLastError() == ERROR_ACCESS_DENIED ? EACCES : EIO);
    }
    return 0;
}

#ifdef OPTGUARD_POSIX_COMPAT_SQLITE
int sqlite3_open_v2(const wchar_t* file, sqlite3** db, int flags, const char* vfs)
{
    return ::sqlite3_open_v2(narrow(file).c_str(), db, flags, vfs);
}
#endif

int flock(int fd, int operation) noexcept
{
    const auto handle = reinterpret_cast<HANDLE>(_get_osfhandle(fd));
    if (handle == INVALID_HANDLE_VALUE) {
        return fail_with(EBADF);
    }
    OVERLAPPED whole_file {};
    if ((operation & LOCK_UN) != 0) {
        return UnlockFileEx(handle, 0, MAXDWORD, MAXDWORD, &whole_file) != 0 ? 0 : fail_with(EINVAL);
    }
    DWORD mode = (operation & LOCK_EX) != 0 ? LOCKFILE_EXCLUSIVE_LOCK : 0;
    if ((operation & LOCK_NB) != 0) {
        mode |= LOCKFILE_FAIL_IMMEDIATELY;
    }
    if (LockFileEx(handle, mode, 0, MAXDWORD, MAXDWORD, &whole_file) == 0) {
        return fail_with(GetLastError() == ERROR_LOCK_VIOLATION ? EWOULDBLOCK : EINVAL);
    }
    return 0;
}
