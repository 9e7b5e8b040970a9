#include "protocol/probe_reply.hpp"

#include <cstdint>
#include <cstring>

#include "protocol/frame_io.hpp"

namespace optguard::protocol {

std::string read_probe_reply(const ReadExactly& read_exactly, std::optional<nlohmann::json>& reply)
{
    std::string header;
    if (std::string status = read_exactly(header, 4); !status.empty()) {
        return status;
    }
    std::uint32_t length = 0;
    std::memcpy(&length, header.data(), sizeof length);
    if (length > max_response_bytes) {
        return "answered with a frame of " + std::to_string(length) + " bytes (limit "
            + std::to_string(max_response_bytes) + ")";
    }
    std::string body;
    if (std::string status = read_exactly(body, length); !status.empty()) {
        return status;
    }
    nlohmann::json parsed = nlohmann::json::parse(body, nullptr, false);
    if (parsed.is_discarded()) {
        return "answered with a frame that is not JSON";
    }
    reply = std::move(parsed);
    return {};
}

} // namespace optguard::protocol
