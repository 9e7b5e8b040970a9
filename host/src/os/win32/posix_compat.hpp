#pragma once
// Windows only: force-included into every file of the host by host/CMakeLists.txt (never on
// Linux/macOS). The storage layer (storage/*.cpp) is written against POSIX file calls; this maps
// the ones it uses onto the C runtime and Win32 so the same code builds for Windows, without an
// #ifdef in it. What differs from POSIX is said at each declaration; in short:
//   - file modes: Windows has ACLs, not mode bits. Files get their ACL from the folder, and the
//     host's folders live in %LOCALAPPDATA%, which only the user (and administrators) can read.
//     stat reports the owner's bits only, chmod/fchmod/umask keep files writable and do nothing
//     else: "private" is not checked on Windows (docs/install.md).
//   - owners: getuid/geteuid return 0 and so does st_uid; the owner is not checked either.
//   - symbolic links: lstat reports any reparse point (symlink, junction) as S_IFLNK, so the
//     storage layer still refuses to follow one.
//   - durability: fsync is _commit (FlushFileBuffers); the rename over the target is MoveFileExW
//     with MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH; a folder cannot be flushed, so
//     open(O_DIRECTORY) + fsync succeed without doing anything.
// std::filesystem::path::c_str() is a wchar_t string on Windows: the overloads below take that.
// Narrow strings are UTF-8, as std::filesystem::path::string() makes them.
#if defined(_WIN32) && defined(__cplusplus)

#include <cstddef>
#include <cstdio>
#include <cstdlib>

#include <fcntl.h>
#include <io.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#if __has_include(<sqlite3.h>)
#include <sqlite3.h>
#define OPTGUARD_POSIX_COMPAT_SQLITE 1
#endif

#ifndef O_CLOEXEC
#define O_CLOEXEC _O_NOINHERIT // not inherited by child processes: the same promise
#endif
#ifndef O_NOFOLLOW
#define O_NOFOLLOW 0 // callers lstat first; CreateFile follows reparse points
#endif
#ifndef O_DIRECTORY
#define O_DIRECTORY 0x01000000 // only for open(folder) + fsync, see above
#endif
#ifndef S_IFLNK
#define S_IFLNK 0xA000
#endif
#ifndef S_ISLNK
#define S_ISLNK(m) (((m)&S_IFMT) == S_IFLNK)
#endif

inline int getuid() noexcept { return 0; }
inline int geteuid() noexcept { return 0; }

// _wstat, the group and other bits cleared, reparse points as S_IFLNK (not followed).
int lstat(const wchar_t* path, struct stat* info) noexcept;
// Like lstat: a reparse point is S_IFLNK, never its target (callers then refuse it).
int stat(const wchar_t* path, struct stat* info) noexcept;
// _wmkdir; the mode is ignored (ACLs are inherited from the parent folder).
int mkdir(const wchar_t* path, mode_t mode) noexcept;
// Keeps the file readable and writable by its owner; nothing else can be expressed.
int chmod(const wchar_t* path, int mode) noexcept;
int fchmod(int fd, mode_t mode) noexcept;
mode_t umask(mode_t mask) noexcept;
// _waccess; X_OK is read as "exists" (Windows runs any file it can read).
int access(const wchar_t* path, int mode) noexcept;
// _wopen, always binary. O_DIRECTORY opens the NUL device (see above).
int open(const wchar_t* path, int flags, int mode = 0) noexcept;
// Replaces the trailing XXXXXX and creates the file exclusively (binary, owner read/write).
int mkostemp(char* pattern, int flags) noexcept;
int fsync(int fd) noexcept;
ssize_t write(int fd, const void* data, std::size_t size) noexcept;
ssize_t read(int fd, void* data, std::size_t size) noexcept;
// rename(temporary, target) replacing an existing target, as POSIX rename does.
int rename(const char* from, const wchar_t* to) noexcept;
#ifdef OPTGUARD_POSIX_COMPAT_SQLITE
int sqlite3_open_v2(const wchar_t* file, sqlite3** db, int flags, const char* vfs);
#endif

#endif
