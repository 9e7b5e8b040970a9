// libFuzzer target: the frame reader on arbitrary bytes. Invariants: it never reads a body past the
// limit, every frame it returns is exactly its declared length, and it always makes progress.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "protocol/frame_io.hpp"
#include "util/byte_channel.hpp"

using optguard::protocol::ReadStatus;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    // A small limit as well as the real one, so the fuzzer reaches too_large cheaply.
    for (const std::uint32_t limit : {optguard::protocol::max_request_bytes, std::uint32_t {64}}) {
        optguard::util::StringSource in(std::string(reinterpret_cast<const char*>(data), size));
        std::size_t consumed = 0;
        for (;;) {
            const auto frame = optguard::protocol::read_frame(in, limit);
            if (frame.status != ReadStatus::frame) {
                if (frame.status == ReadStatus::too_large && frame.declared_length <= limit) {
                    std::abort();
                }
                if (frame.status == ReadStatus::end_of_input && consumed != size) {
                    std::abort();
                }
                break;
            }
            if (frame.body.size() != frame.declared_length || frame.body.size() > limit) {
                std::abort();
            }
            consumed += 4 + frame.body.size();
            // Round trip: encoding what we read gives the bytes we consumed.
            const std::string again = optguard::protocol::encode_frame(frame.body);
            if (again.size() != 4 + frame.body.size()) {
                std::abort();
            }
        }
    }
    return 0;
}
