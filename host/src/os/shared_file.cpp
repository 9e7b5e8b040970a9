#include "os/shared_file.hpp"

#if defined(__linux__)

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <optional>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "os/fd_io.hpp"

namespace optguard::os {

namespace {

constexpr std::size_t boot_id_size = 36; // as /proc/sys/kernel/random/boot_id writes it

// The header, as the process that made the file laid it out. The boot id is written last.
struct Header {
    std::array<char, 8> magic;
    std::uint32_t body_size;
    std::array<char, boot_id_size> boot_id;
};

std::string describe(const std::filesystem::path& file, const std::string& what)
{
    return "shared file " + file.string() + ": " + what;
}

std::string errno_text() { return std::strerror(errno); }

// The kernel's id of this boot.
std::optional<std::array<char, boot_id_size>> current_boot_id()
{
    std::array<char, boot_id_size> id {};
    std::ifstream in("/proc/sys/kernel/random/boot_id");
    if (!in.read(id.data(), id.size())) {
        return std::nullopt;
    }
    return id;
}

// Closes the descriptor unless it is kept, and gives back the flock either way: the mapping keeps
// the open file, and with it the flock, alive after close.
class Descriptor {
public:
    explicit Descriptor(int fd) noexcept
        : fd_(fd)
    {
    }
    ~Descriptor()
    {
        if (fd_ >= 0) {
            ::flock(fd_, LOCK_UN);
            if (!kept_) {
                ::close(fd_);
            }
        }
    }
    Descriptor(const Descriptor&) = delete;
    Descriptor& operator=(const Descriptor&) = delete;
    Descriptor(Descriptor&&) = delete;
    Descriptor& operator=(Descriptor&&) = delete;
    [[nodiscard]] int get() const noexcept { return fd_; }
    int keep() noexcept
    {
        kept_ = true;
        return fd_;
    }

private:
    int fd_;
    bool kept_ = false;
};

} // namespace

static_assert(sizeof(Header) == 48, "the body starts where SharedFile says");

SharedFile::Opened SharedFile::open(const std::filesystem::path& path,
                                    const std::array<char, 8>& magic, std::size_t body_size,
                                    const std::function<bool(void* body)>& make_body)
{
    const auto boot_id = current_boot_id();
    if (!boot_id) {
        return {nullptr, describe(path, "cannot read this boot's id from /proc")};
    }
    Descriptor fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (fd.get() < 0) {
        return {nullptr, describe(path, "cannot open it: " + errno_text())};
    }
    // Whoever checks or makes the file holds the flock, so no one sees it half made.
    if (const int error = lock_exclusive(fd.get()); error != 0) {
        return {nullptr, describe(path, "cannot lock it: " + std::string(std::strerror(error)))};
    }
    struct stat info {};
    if (::fstat(fd.get(), &info) != 0) {
        return {nullptr, describe(path, "cannot read its status: " + errno_text())};
    }
    if (!S_ISREG(info.st_mode) || info.st_uid != ::geteuid()) {
        return {nullptr, describe(path, "not a regular file of this user; left as it is")};
    }
    const std::size_t size = header_size + body_size;
    const bool empty = info.st_size == 0;
    if (!empty && info.st_size != static_cast<off_t>(size)) {
        return {nullptr, describe(path, std::to_string(info.st_size) + " bytes, not "
                                            + std::to_string(size)
                                            + " (another version's?); left as it is")};
    }
    if ((info.st_mode & 077U) != 0 && ::fchmod(fd.get(), S_IRUSR | S_IWUSR) != 0) {
        return {nullptr, describe(path, "cannot set mode 0600: " + errno_text())};
    }
    // Its blocks are allocated now, not when a page of the mapping is first written: on a full
    // disk that write would kill the process (SIGBUS); here it is a clear error instead.
    if (const int rc = ::posix_fallocate(fd.get(), 0, static_cast<off_t>(size)); rc != 0) {
        return {nullptr, describe(path, "cannot make room for it: " + std::string(std::strerror(rc)))};
    }
    void* mapped = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd.get(), 0);
    if (mapped == MAP_FAILED) {
        return {nullptr, describe(path, "cannot map it: " + errno_text())};
    }
    auto* header = static_cast<Header*>(mapped);
    void* body = static_cast<char*>(mapped) + header_size;
    const bool unfinished = header->magic == std::array<char, 8> {}; // its maker died making it
    if (!unfinished && (header->magic != magic || header->body_size != body_size)) {
        ::munmap(mapped, size);
        return {nullptr, describe(path, "not a file of this version; left as it is")};
    }
    if (unfinished || header->boot_id != *boot_id) {
        header->boot_id = {};
        std::memset(body, 0, body_size);
        if (!make_body(body)) {
            ::munmap(mapped, size);
            return {nullptr, describe(path, "cannot lay out what it shares")};
        }
        header->body_size = static_cast<std::uint32_t>(body_size);
        header->magic = magic;
        header->boot_id = *boot_id;
    }
    return {std::unique_ptr<SharedFile>(new SharedFile(mapped, size, fd.keep())), {}};
}

SharedFile::~SharedFile()
{
    ::munmap(mapping_, size_);
    ::close(fd_);
}

} // namespace optguard::os

#else // Windows, macOS: no shared files of this kind.

namespace optguard::os {

SharedFile::Opened SharedFile::open(const std::filesystem::path& /*path*/,
                                    const std::array<char, 8>& /*magic*/, std::size_t /*body_size*/,
                                    const std::function<bool(void* body)>& /*make_body*/)
{
    return {};
}

SharedFile::~SharedFile() { static_cast<void>(mapping_); } // never made here

} // namespace optguard::os

#endif
