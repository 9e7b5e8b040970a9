#pragma once
// Restores the process umask when it leaves scope. The host changes it only around creating its
// private folders and files, on one thread at a time.

#include <sys/stat.h>
#include <sys/types.h>

namespace optguard::os {

class ScopedUmask {
public:
    explicit ScopedUmask(mode_t mask)
        : previous_(::umask(mask))
    {
    }
    ~ScopedUmask() { ::umask(previous_); }
    ScopedUmask(const ScopedUmask&) = delete;
    ScopedUmask& operator=(const ScopedUmask&) = delete;
    ScopedUmask(ScopedUmask&&) = delete;
    ScopedUmask& operator=(ScopedUmask&&) = delete;

private:
    mode_t previous_;
};

} // namespace optguard::os
