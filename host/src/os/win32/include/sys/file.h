#pragma once
// Windows only (host/CMakeLists.txt adds this folder to the include path there): flock() as
// storage/file_lock.cpp uses it, through LockFileEx on the descriptor's handle. Like flock, the
// lock is released when the descriptor is closed. Defined in os/win32/posix_compat.cpp.
#define LOCK_SH 1
#define LOCK_EX 2
#define LOCK_NB 4
#define LOCK_UN 8

#ifdef __cplusplus
int flock(int fd, int operation) noexcept;
#endif
