#include "os/process_mutex.hpp"

#if defined(__linux__)

#include <array>
#include <cerrno>
#include <cstdint>
#include <ctime>

#include <linux/futex.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace optguard::os {

namespace {

constexpr std::array<char, 8> file_magic {'O', 'G', 'M', 'U', 'T', 'E', 'X', '1'};

pthread_mutex_t* mutex_of(void* body) noexcept { return static_cast<pthread_mutex_t*>(body); }

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

} // namespace

ProcessMutex::Opened ProcessMutex::open(const std::filesystem::path& file)
{
    auto opened = SharedFile::open(file, file_magic, sizeof(pthread_mutex_t),
                                   [](void* body) { return init_mutex(mutex_of(body)); });
    if (!opened.file) {
        return {nullptr, std::move(opened.problem)};
    }
    return {std::unique_ptr<ProcessMutex>(new ProcessMutex(std::move(opened.file))), {}};
}

ProcessMutex::ProcessMutex(std::unique_ptr<SharedFile> file) noexcept
    : file_(std::move(file))
    , mutex_(file_->body())
{
}

ProcessMutex::Lock ProcessMutex::lock(std::chrono::milliseconds limit) noexcept
{
    timespec deadline {};
    ::clock_gettime(CLOCK_MONOTONIC, &deadline);
    const auto nanoseconds = std::chrono::duration_cast<std::chrono::nanoseconds>(limit).count()
        + deadline.tv_nsec;
    deadline.tv_sec += static_cast<time_t>(nanoseconds / 1'000'000'000);
    deadline.tv_nsec = static_cast<long>(nanoseconds % 1'000'000'000);
    const int rc = pthread_mutex_clocklock(mutex_of(mutex_), CLOCK_MONOTONIC, &deadline);
    if (rc == 0) {
        return Lock::acquired;
    }
    if (rc == EOWNERDEAD) {
        // The holder died in its turn. The mutex guards no data of its own, so it is consistent.
        return pthread_mutex_consistent(mutex_of(mutex_)) == 0 ? Lock::acquired : Lock::unusable;
    }
    return rc == ETIMEDOUT ? Lock::timed_out : Lock::unusable;
}

void ProcessMutex::unlock() noexcept { pthread_mutex_unlock(mutex_of(mutex_)); }

ProcessMutex::~ProcessMutex() = default;

} // namespace optguard::os

#else // Windows, macOS: no robust process-shared mutex; callers keep their polling waits.

namespace optguard::os {

ProcessMutex::Opened ProcessMutex::open(const std::filesystem::path& /*file*/) { return {}; }
ProcessMutex::Lock ProcessMutex::lock(std::chrono::milliseconds /*limit*/) noexcept
{
    return Lock::unusable;
}
void ProcessMutex::unlock() noexcept {}
ProcessMutex::~ProcessMutex() { static_cast<void>(mutex_); } // never made here

} // namespace optguard::os

#endif
