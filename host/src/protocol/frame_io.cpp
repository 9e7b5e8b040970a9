#include "protocol/frame_io.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>

#ifdef _WIN32
#include <cstdio>
#include <fcntl.h>
#include <io.h>
#endif

namespace optguard::protocol {

namespace {

constexpr std::size_t header_size = sizeof(std::uint32_t);
constexpr std::size_t read_chunk = std::size_t {64} * 1024U;

} // namespace

FrameReadResult read_frame(util::ByteSource& in, std::uint32_t limit)
{
    FrameReadResult result;
    std::array<char, header_size> header {};
    const std::size_t got = in.read(header.data(), header.size());
    if (got == 0) {
        result.status = ReadStatus::end_of_input;
        return result;
    }
    if (got < header_size) {
        result.status = ReadStatus::truncated_header;
        result.bytes_received = got;
        return result;
    }
    std::uint32_t length = 0;
    std::memcpy(&length, header.data(), header_size); // native byte order, as the browser writes it
    result.declared_length = length;
    if (length > limit) {
        result.status = ReadStatus::too_large;
        return result;
    }

    // Grow as bytes arrive instead of trusting the header with one big allocation.
    std::size_t remaining = length;
    while (remaining > 0) {
        const std::size_t chunk = std::min(remaining, read_chunk);
        const std::size_t old_size = result.body.size();
        result.body.resize(old_size + chunk);
        const std::size_t n = in.read(result.body.data() + old_size, chunk);
        result.body.resize(old_size + n);
        remaining -= n;
        if (n < chunk) {
            result.status = ReadStatus::truncated_body;
            result.bytes_received = result.body.size();
            result.body.clear();
            return result;
        }
    }
    result.status = ReadStatus::frame;
    return result;
}

std::string encode_frame(std::string_view body)
{
    const auto length = static_cast<std::uint32_t>(body.size());
    std::string bytes(header_size, '\0');
    std::memcpy(bytes.data(), &length, header_size);
    bytes.append(body);
    return bytes;
}

bool write_frame(util::ByteSink& out, std::string_view body)
{
    if (body.size() > std::numeric_limits<std::uint32_t>::max()) {
        return false;
    }
    return out.write(encode_frame(body)); // one write: header and body reach the pipe together
}

void use_binary_stdio() noexcept
{
#ifdef _WIN32
    _setmode(_fileno(stdin), _O_BINARY);
    _setmode(_fileno(stdout), _O_BINARY);
#endif
}

} // namespace optguard::protocol
