#pragma once
// Starts a native-messaging host exactly as a browser would (the manifest's path, the browser's
// argv, our environment, pipes on stdin/stdout), sends one `hello` frame and waits, with a
// deadline, for the reply. Used by `optguard doctor`; the only file of the host that starts
// programs (Boost.Process).

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace optguard::os {

struct HostProbe {
    std::optional<nlohmann::json> reply; // the parsed first frame, if one arrived in time
    std::string error;                   // why there is no reply: start failure, exit, timeout, bad frame
};

[[nodiscard]] HostProbe probe_host(const std::filesystem::path& executable,
                                   const std::vector<std::string>& args,
                                   std::chrono::milliseconds timeout);

} // namespace optguard::os
