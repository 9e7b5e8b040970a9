#include "os/fd_io.hpp"

#include <cerrno>
#include <cstddef>

#include <sys/file.h> // on Windows, os/win32/include/sys/file.h

#ifndef _WIN32
#include <unistd.h>
#endif // on Windows, os/win32/posix_compat.hpp (force-included) declares write

namespace optguard::os {

int write_all(int fd, std::string_view bytes) noexcept
{
    while (!bytes.empty()) {
        const auto n = ::write(fd, bytes.data(), bytes.size());
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            return errno;
        }
        if (n == 0) {
            return EIO;
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return 0;
}

int lock_exclusive(int fd) noexcept
{
    while (::flock(fd, LOCK_EX) != 0) {
        if (errno != EINTR) {
            return errno;
        }
    }
    return 0;
}

} // namespace optguard::os
