#pragma once
// Writing to and locking a file descriptor, retrying what a signal interrupts: one loop each for
// the host's standard streams, atomic files, lock files, shared files and the tests' pipes.

#include <string_view>

namespace optguard::os {

// Writes all of `bytes` to `fd`. Returns 0, or the errno of the write that failed (EPIPE: the
// reader is gone; EIO if the system wrote nothing without saying why).
[[nodiscard]] int write_all(int fd, std::string_view bytes) noexcept;

// Takes an exclusive flock on `fd`, waiting as long as another open file holds one. Returns 0, or
// the errno of the flock that failed.
[[nodiscard]] int lock_exclusive(int fd) noexcept;

} // namespace optguard::os
