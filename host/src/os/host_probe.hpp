#pragma once
// Starts a native-messaging host exactly as a browser would (the manifest's path, the browser's
// argv, our environment, pipes on stdin/stdout), writes the request bytes it is given and waits,
// with a deadline, for the reply, read by the reader it is given. Used by `optguard doctor`, which
// brings the protocol (a framed `hello`, protocol/probe_reply.hpp): this layer knows no frames.
// The only file of the host that starts programs (Boost.Process).

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace optguard::os {

struct HostProbe {
    std::optional<nlohmann::json> reply; // the parsed first frame, if one arrived in time
    std::string error;                   // why there is no reply: start failure, exit, timeout, bad frame
};

// Reads exactly `size` bytes into `out` before the probe's deadline; "" on success, else why not
// ("timed out", "closed its output", ...).
using ReadExactly = std::function<std::string(std::string& out, std::size_t size)>;
// Reads the whole reply with `read_exactly`; "" and sets `reply`, or what went wrong in words.
using ReadReply
    = std::function<std::string(const ReadExactly& read_exactly, std::optional<nlohmann::json>& reply)>;

[[nodiscard]] HostProbe probe_host(const std::filesystem::path& executable,
                                   const std::vector<std::string>& args, std::string_view request,
                                   const ReadReply& read_reply, std::chrono::milliseconds timeout);

} // namespace optguard::os
