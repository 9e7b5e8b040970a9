#include "os/process_mutex.hpp"

#if defined(__linux__)

#include <array>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <fstream>
#include <optional>

#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace optguard::os {

namespace {

constexpr std::array<char, 8> file_magic {'O', 'G', 'M', 'U', 'T', 'E', 'X', '1'};
constexpr std::size_t boot_id_size = 36; // as /proc/sys/kernel/random/boot_id writes it

} // namespace

// The file, as the process that made it laid it out. The mutex size and the magic tell a file of
// another build or program apart; the boot id tells a mutex of an earlier boot, whose state (held
// by a thread that no longer exists) means nothing now. The boot id is written last.
struct ProcessMutex::Shared {
    std::array<char, 8> magic;
    std::uint32_t mutex_size;
    std::array<char, boot_id_size> boot_id;
    pthread_mutex_t mutex;
};

namespace {

using Shared = ProcessMutex::Shared;

std::string describe(const std::filesystem::path& file, const std::string& what)
{
    return "write lock file " + file.string() + ": " + what;
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

// Whether the kernel can wait for a priority-inheritance mutex until a deadline on the monotonic
// clock (FUTEX_LOCK_PI2, Linux 5.14), which lock() asks of it. Asked directly: taking an unowned
// futex word of our own succeeds where the operation exists, and is given back at once.
bool kernel_has_timed_handover()
{
    std::uint32_t word = 0;
    if (::syscall(SYS_futex, &word, FUTEX_LOCK_PI2_PRIVATE, 0, nullptr, nullptr, 0) != 0) {
        return false; // ENOSYS: an older kernel
    }
    (void)::syscall(SYS_futex, &word, FUTEX_UNLOCK_PI_PRIVATE, 0, nullptr, nullptr, 0);
    return true;
}

// Priority inheritance first: its unlock hands the mutex to the first waiter inside the kernel, so
// the turn goes round in the order writers came, and a writer back for its next turn cannot take it
// while the woken one is still getting a CPU (an ordinary futex mutex lets it: with 16 writers, one
// could lose 50 turns in a row). Where the kernel cannot, an ordinary robust mutex.
bool init_mutex(pthread_mutex_t* mutex)
{
    const auto make = [mutex](bool hand_over) {
        pthread_mutexattr_t attributes;
        if (pthread_mutexattr_init(&attributes) != 0) {
            return false;
        }
        const bool ok = pthread_mutexattr_setpshared(&attributes, PTHREAD_PROCESS_SHARED) == 0
            && pthread_mutexattr_setrobust(&attributes, PTHREAD_MUTEX_ROBUST) == 0
            && (!hand_over
                || pthread_mutexattr_setprotocol(&attributes, PTHREAD_PRIO_INHERIT) == 0)
            && pthread_mutex_init(mutex, &attributes) == 0;
        pthread_mutexattr_destroy(&attributes);
        return ok;
    };
    return (kernel_has_timed_handover() && make(true)) || make(false);
}

// Gives back the flock and closes the descriptor. The flock must be given back explicitly: the
// mapping keeps the open file, and with it the flock, alive after close.
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
            ::close(fd_);
        }
    }
    Descriptor(const Descriptor&) = delete;
    Descriptor& operator=(const Descriptor&) = delete;
    Descriptor(Descriptor&&) = delete;
    Descriptor& operator=(Descriptor&&) = delete;
    [[nodiscard]] int get() const noexcept { return fd_; }

private:
    int fd_;
};

} // namespace

ProcessMutex::Opened ProcessMutex::open(const std::filesystem::path& file)
{
    const auto boot_id = current_boot_id();
    if (!boot_id) {
        return {nullptr, describe(file, "cannot read this boot's id from /proc")};
    }
    const Descriptor fd(::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (fd.get() < 0) {
        return {nullptr, describe(file, "cannot open it: " + errno_text())};
    }
    // Whoever checks or makes the mutex holds the flock, so no one sees it half made.
    while (::flock(fd.get(), LOCK_EX) != 0) {
        if (errno != EINTR) {
            return {nullptr, describe(file, "cannot lock it: " + errno_text())};
        }
    }
    struct stat info {};
    if (::fstat(fd.get(), &info) != 0) {
        return {nullptr, describe(file, "cannot read its status: " + errno_text())};
    }
    if (!S_ISREG(info.st_mode) || info.st_uid != ::geteuid()) {
        return {nullptr, describe(file, "not a regular file of this user; left as it is")};
    }
    const bool empty = info.st_size == 0;
    if (!empty && info.st_size != static_cast<off_t>(sizeof(Shared))) {
        return {nullptr, describe(file, std::to_string(info.st_size) + " bytes, not "
                                            + std::to_string(sizeof(Shared))
                                            + " (another version's?); left as it is")};
    }
    if ((info.st_mode & 077U) != 0 && ::fchmod(fd.get(), S_IRUSR | S_IWUSR) != 0) {
        return {nullptr, describe(file, "cannot set mode 0600: " + errno_text())};
    }
    if (empty && ::ftruncate(fd.get(), sizeof(Shared)) != 0) {
        return {nullptr, describe(file, "cannot size it: " + errno_text())};
    }
    void* mapped = ::mmap(nullptr, sizeof(Shared), PROT_READ | PROT_WRITE, MAP_SHARED, fd.get(), 0);
    if (mapped == MAP_FAILED) {
        return {nullptr, describe(file, "cannot map it: " + errno_text())};
    }
    auto* shared = static_cast<Shared*>(mapped);
    const bool unfinished = shared->magic == std::array<char, 8> {}; // its maker died making it
    if (!unfinished
        && (shared->magic != file_magic || shared->mutex_size != sizeof(pthread_mutex_t))) {
        ::munmap(mapped, sizeof(Shared));
        return {nullptr, describe(file, "not a lock file of this version; left as it is")};
    }
    if (unfinished || shared->boot_id != *boot_id) {
        shared->boot_id = {};
        if (!init_mutex(&shared->mutex)) {
            ::munmap(mapped, sizeof(Shared));
            return {nullptr, describe(file, "cannot make a process-shared robust mutex")};
        }
        shared->mutex_size = sizeof(pthread_mutex_t);
        shared->magic = file_magic;
        shared->boot_id = *boot_id;
    }
    return {std::unique_ptr<ProcessMutex>(new ProcessMutex(shared)), {}};
}

ProcessMutex::Lock ProcessMutex::lock(std::chrono::milliseconds limit) noexcept
{
    timespec deadline {};
    ::clock_gettime(CLOCK_MONOTONIC, &deadline);
    const auto nanoseconds = std::chrono::duration_cast<std::chrono::nanoseconds>(limit).count()
        + deadline.tv_nsec;
    deadline.tv_sec += static_cast<time_t>(nanoseconds / 1'000'000'000);
    deadline.tv_nsec = static_cast<long>(nanoseconds % 1'000'000'000);
    const int rc = pthread_mutex_clocklock(&shared_->mutex, CLOCK_MONOTONIC, &deadline);
    if (rc == 0) {
        return Lock::acquired;
    }
    if (rc == EOWNERDEAD) {
        // The holder died in its turn. The mutex guards no data of its own, so it is consistent.
        return pthread_mutex_consistent(&shared_->mutex) == 0 ? Lock::acquired : Lock::unusable;
    }
    return rc == ETIMEDOUT ? Lock::timed_out : Lock::unusable;
}

void ProcessMutex::unlock() noexcept { pthread_mutex_unlock(&shared_->mutex); }

ProcessMutex::~ProcessMutex() { ::munmap(shared_, sizeof(Shared)); }

} // namespace optguard::os

#else // Windows, macOS: no robust process-shared mutex; callers keep their polling waits.

namespace optguard::os {

struct ProcessMutex::Shared {};

ProcessMutex::Opened ProcessMutex::open(const std::filesystem::path& /*file*/) { return {}; }
ProcessMutex::Lock ProcessMutex::lock(std::chrono::milliseconds /*limit*/) noexcept
{
    return Lock::unusable;
}
void ProcessMutex::unlock() noexcept {}
ProcessMutex::~ProcessMutex() { static_cast<void>(shared_); } // never made here

} // namespace optguard::os

#endif
