#include "storage/file_lock.hpp"

#include <cerrno>
#include <cstring>
#include <string>

#include <fcntl.h>
#include <unistd.h>

#include "os/fd_io.hpp"
#include "storage/observation_store.hpp"

namespace optguard::storage {

FileLock::FileLock(const std::filesystem::path& path)
{
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd_ < 0) {
        throw StorageError("cannot open the lock file " + path.string() + ": "
                           + std::strerror(errno));
    }
    if (const int error = os::lock_exclusive(fd_); error != 0) {
        ::close(fd_);
        fd_ = -1;
        throw StorageError("cannot lock " + path.string() + ": " + std::strerror(error));
    }
}

FileLock::~FileLock()
{
    if (fd_ >= 0) {
        ::close(fd_); // releases the lock
    }
}

} // namespace optguard::storage
