#pragma once
// A mutex the processes of one machine share through a small file (os/shared_file.hpp). On Linux it
// is a robust, process-shared pthread mutex in the file's shared mapping: waiters sleep in the
// kernel's queue and the holder's release hands it to the one that waited longest (no polling, no
// overtaking; priority inheritance, where the kernel has it), and a holder that dies while holding
// it (kill -9) blocks no one: the next one is told and takes it over. It guards nothing by itself;
// callers take turns with it around work that something else keeps correct (SQLite's own locks),
// so any failure here costs speed, never data. Elsewhere (Windows, macOS) there is none.

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include "os/shared_file.hpp"

namespace optguard::os {

class ProcessMutex {
public:
    struct Opened {
        std::unique_ptr<ProcessMutex> mutex; // null when there is none
        std::string problem;                 // why not, naming the file; empty when simply unsupported
    };
    // Opens `file`, creating or remaking it as os/shared_file.hpp says.
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

private:
    explicit ProcessMutex(std::unique_ptr<SharedFile> file) noexcept;
    std::unique_ptr<SharedFile> file_;
    void* mutex_; // a pthread_mutex_t in the file's body
};

} // namespace optguard::os
