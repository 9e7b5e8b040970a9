#pragma once
// `optguard doctor`: for each browser found, checks what makes "host not found" happen (manifest
// missing, not JSON, wrong name, path, origin/add-on id, a host that does not start or answer
// hello), then the state folder and the catalog. Every failed check prints what is wrong and the
// command that fixes it.

#include <chrono>
#include <filesystem>
#include <iosfwd>

#include "os/paths.hpp"

namespace optguard::cli {

struct DoctorOptions {
    std::chrono::milliseconds hello_timeout {5000}; // per host started
};

// Returns 0 when every check passed, 1 otherwise. Reads $OPTGUARD_ROOT (tests only) as the root
// of the system-wide folders.
[[nodiscard]] int doctor(std::ostream& out, const os::EnvLookup& env,
                         const std::filesystem::path& executable, const DoctorOptions& options = {});

} // namespace optguard::cli
