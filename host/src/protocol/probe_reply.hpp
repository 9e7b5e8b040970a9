#pragma once
// The protocol half of the doctor's host probe: reading the host's one framed reply and judging
// it. How bytes are read (a pipe fd with poll, or a Windows pipe HANDLE) stays in os/host_probe.cpp
// and os/win32/host_probe.cpp, which know nothing of frames: the doctor hands them this reader.

#include <cstddef>
#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace optguard::protocol {

// Reads exactly `size` bytes into `out` before the probe's deadline; "" on success, else why not.
using ReadExactly = std::function<std::string(std::string& out, std::size_t size)>;

// Reads a 4-byte length, refuses a length over max_response_bytes, reads the body and
// parses it. Returns "" and sets `reply`, or what went wrong in words for the doctor.
[[nodiscard]] std::string read_probe_reply(const ReadExactly& read_exactly,
                                           std::optional<nlohmann::json>& reply);

} // namespace optguard::protocol
