#pragma once
// A mutex the processes of one machine share through a small file. On Linux it is a robust,
// process-shared pthread mutex in a shared mapping of the file: waiters sleep in the kernel's queue
// and the holder's release hands it to the one that waited longest (no polling, no overtaking;
// priority inheritance, where the kernel has it), and a holder that dies while holding it (kill -9)
// blocks no one: the next one is told and takes it over. It guards nothing by itself; callers take
// turns with it around work that something else keeps correct (SQLite's own locks), so any failure
// here costs speed, never data. Elsewhere (Windows, macOS) there is none.

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

namespace optguard::os {

class ProcessMutex {
public:
    struct Opened {
        std::unique_ptr<ProcessMutex> mutex; // null when there is none
        std::string problem;                 // why not, naming the file; empty when simply unsupported
    };
    // Opens `file`, creating it (mode 0600, never following a symbolic link) if needed. A file
    // made in an earlier boot of the machine, or left half made by a process that died making it,
    // is made again (every opener waits on flock for that, so no one uses it meanwhile); any other
    // file that is not one (another size or header, another user's) is left as it is.
    [[nodiscard]] static Opened open(const std::filesystem::path& file);

    enum class Lock {
        acquired,  // also when the previous holder died holding it
        timed_out, // still held by another process after `limit`
        unusable,  // the mutex is broken; do without it
    };
    [[nodiscard]] Lock lock(std::chrono::milliseconds limit) noexcept;
    void unlock() noexcept;

    ~ProcessMutex();
    ProcessMutex(const ProcessMutex&) = delete;
    ProcessMutex& operator=(const ProcessMutex&) = delete;
    ProcessMutex(ProcessMutex&&) = delete;
    ProcessMutex& operator=(ProcessMutex&&) = delete;

    struct Shared; // the file's layout (process_mutex.cpp)

private:
    explicit ProcessMutex(Shared* shared) noexcept
        : shared_(shared)
    {
    }
    Shared* shared_;
};

} // namespace optguard::os
