#pragma once
// Native messaging framing: a 32-bit native-endian length, then that many bytes. No JSON here.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "util/byte_channel.hpp"

namespace optguard::protocol {

// Browser -> host: 1 MiB of JSON (docs/protocol.md).
inline constexpr std::uint32_t max_request_bytes = 1024U * 1024U;
// Host -> browser: Chrome's limit is 1 MB; staying at 10^6 bytes is under it however "MB" is read.
inline constexpr std::size_t max_response_bytes = std::size_t {1000} * 1000U;

enum class ReadStatus {
    frame,           // body holds a complete frame (possibly empty)
    end_of_input,    // clean end of input between frames
    too_large,       // declared length over the limit; nothing past the header was read
    truncated_header,// end of input inside the 4-byte header
    truncated_body,  // end of input inside the body
};

struct FrameReadResult {
    ReadStatus status = ReadStatus::end_of_input;
    std::string body;
    std::uint32_t declared_length = 0; // valid for frame, too_large and truncated_body
    std::size_t bytes_received = 0;    // of the header (truncated_header) or body (truncated_body)
};

// Reads one frame. The declared length is checked against `limit` before anything is allocated,
// and the body is read in bounded chunks, so a lying header cannot make us reserve memory we never
// receive.
[[nodiscard]] FrameReadResult read_frame(util::ByteSource& in,
                                         std::uint32_t limit = max_request_bytes);

// Writes header + body. Returns false if the body does not fit a 32-bit length or the write failed
// (the browser closed the pipe).
[[nodiscard]] bool write_frame(util::ByteSink& out, std::string_view body);

// Encodes a frame into a byte string (tests and the forbidden-origin path use it).
[[nodiscard]] std::string encode_frame(std::string_view body);

// Puts stdin/stdout into binary mode. A no-op everywhere but Windows, where text mode would turn
// 0x0A in a length header into 0x0D 0x0A. The one place that knows about it.
void use_binary_stdio() noexcept;

} // namespace optguard::protocol
