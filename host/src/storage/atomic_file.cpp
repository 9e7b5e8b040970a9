#include "storage/atomic_file.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "os/fd_io.hpp"
#include "storage/observation_store.hpp"

namespace optguard::storage {

namespace {

[[noreturn]] void fail_on_file(const std::filesystem::path& path, const char* what, int error)
{
    throw StorageError("cannot " + std::string(what) + " " + path.string() + ": "
                       + std::strerror(error));
}

// Closes the descriptor and removes the temporary file unless released.
class TempFile {
public:
    explicit TempFile(std::filesystem::path target)
        : target_(std::move(target))
    {
        std::string pattern = target_.string() + ".tmp-XXXXXX";
        std::vector<char> buffer(pattern.begin(), pattern.end());
        buffer.push_back('\0');
        fd_ = ::mkostemp(buffer.data(), O_CLOEXEC);
        if (fd_ < 0) {
            fail_on_file(target_.parent_path(), "create a temporary file in", errno);
        }
        path_ = buffer.data();
    }
    ~TempFile()
    {
        if (fd_ >= 0) {
            ::close(fd_);
        }
        if (!path_.empty()) {
            ::unlink(path_.c_str());
        }
    }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    TempFile(TempFile&&) = delete;
    TempFile& operator=(TempFile&&) = delete;

    [[nodiscard]] int fd() const { return fd_; }
    [[nodiscard]] const std::string& path() const { return path_; }
    void close_checked()
    {
        const int fd = fd_;
        fd_ = -1;
        if (::close(fd) != 0) {
            fail_on_file(target_, "write", errno);
        }
    }
    void release() { path_.clear(); }

private:
    std::filesystem::path target_;
    std::string path_;
    int fd_ = -1;
};

} // namespace

void write_file_atomically(const std::filesystem::path& path, std::string_view content)
{
    TempFile temp(path);
    // mkostemp creates 0600 already; fchmod states it rather than relying on that.
    if (::fchmod(temp.fd(), S_IRUSR | S_IWUSR) != 0) {
        fail_on_file(path, "set the mode of a temporary file for", errno);
    }
    if (const int error = os::write_all(temp.fd(), content); error != 0) {
        fail_on_file(path, "write", error);
    }
    if (::fsync(temp.fd()) != 0) {
        fail_on_file(path, "flush", errno);
    }
    temp.close_checked();
    if (::rename(temp.path().c_str(), path.c_str()) != 0) {
        fail_on_file(path, "replace", errno);
    }
    temp.release();
    // The rename is durable only once the folder's entry is on disk.
    sync_directory(path.has_parent_path() ? path.parent_path() : ".");
}

void sync_directory(const std::filesystem::path& folder)
{
    const int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0) {
        fail_on_file(folder, "open", errno);
    }
    const int synced = ::fsync(dir);
    const int sync_error = errno;
    ::close(dir);
    if (synced != 0) {
        fail_on_file(folder, "flush", sync_error);
    }
}

} // namespace optguard::storage
