#pragma once
// Writing to a file descriptor, retrying what a signal interrupts: one loop for the host's
// standard streams, atomic files and the tests' pipes.

#include <string_view>

namespace optguard::os {

// Writes all of `bytes` to `fd`. Returns 0, or the errno of the write that failed (EPIPE: the
// reader is gone; EIO if the system wrote nothing without saying why).
[[nodiscard]] int write_all(int fd, std::string_view bytes) noexcept;

} // namespace optguard::os
