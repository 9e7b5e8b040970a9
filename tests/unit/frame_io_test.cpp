#include <cstdint>
#include <cstring>
#include <string>

#include <doctest/doctest.h>

#include "protocol/frame_io.hpp"
#include "util/byte_channel.hpp"

// This file's own names, apart from other test files' in a unity build (tests/CMakeLists.txt).
namespace OPTGUARD_TEST_FILE {

using namespace optguard::protocol;
using optguard::util::StringSink;
using optguard::util::StringSource;

namespace {

std::string header(std::uint32_t length)
{
    std::string bytes(4, '\0');
    std::memcpy(bytes.data(), &length, 4);
    return bytes;
}

} // namespace

TEST_CASE("frame reader returns the body of a frame whose length is in native byte order")
{
    // Appended, not `header(17) + "..."`: GCC 12 -O2 warns falsely (-Warray-bounds) on the latter.
    std::string frame = header(17);
    frame += R"({"type":"hello"}x)";
    StringSource in(frame);
    const FrameReadResult result = read_frame(in);
    CHECK(result.status == ReadStatus::frame);
    CHECK(result.declared_length == 17);
    CHECK(result.body == R"({"type":"hello"}x)");
}

TEST_CASE("frame reader reads consecutive frames and then reports end of input")
{
    StringSource in(header(1) + "a" + header(2) + "bc");
    CHECK(read_frame(in).body == "a");
    CHECK(read_frame(in).body == "bc");
    CHECK(read_frame(in).status == ReadStatus::end_of_input);
}

TEST_CASE("frame reader returns an empty body for a zero-length frame")
{
    StringSource in(header(0) + header(1) + "z");
    const FrameReadResult empty = read_frame(in);
    CHECK(empty.status == ReadStatus::frame);
    CHECK(empty.body.empty());
    CHECK(read_frame(in).body == "z");
}

TEST_CASE("frame reader reports end of input on an empty stream")
{
    StringSource in("");
    CHECK(read_frame(in).status == ReadStatus::end_of_input);
}

TEST_CASE("frame reader reports a header cut short")
{
    StringSource in(std::string("\x05\x00", 2));
    const FrameReadResult result = read_frame(in);
    CHECK(result.status == ReadStatus::truncated_header);
    CHECK(result.bytes_received == 2);
}

TEST_CASE("frame reader reports a body cut short with how much arrived")
{
    StringSource in(header(10) + "abc");
    const FrameReadResult result = read_frame(in);
    CHECK(result.status == ReadStatus::truncated_body);
    CHECK(result.declared_length == 10);
    CHECK(result.bytes_received == 3);
    CHECK(result.body.empty());
}

TEST_CASE("frame reader accepts a frame of exactly the limit and rejects one byte more")
{
    SUBCASE("at the limit")
    {
        StringSource in(header(max_request_bytes) + std::string(max_request_bytes, ' '));
        const FrameReadResult result = read_frame(in);
        CHECK(result.status == ReadStatus::frame);
        CHECK(result.body.size() == max_request_bytes);
    }
    SUBCASE("one byte over")
    {
        StringSource in(header(max_request_bytes + 1) + "{}");
        const FrameReadResult result = read_frame(in);
        CHECK(result.status == ReadStatus::too_large);
        CHECK(result.declared_length == max_request_bytes + 1);
        CHECK(result.body.empty());
        // Nothing past the header was consumed.
        std::string rest(8, '\0');
        CHECK(in.read(rest.data(), rest.size()) == 2);
        CHECK(rest.substr(0, 2) == "{}");
    }
}

TEST_CASE("frame reader rejects a 4 GiB declared length without waiting for or allocating it")
{
    StringSource in(header(0xFFFFFFFFU) + "abc");
    const FrameReadResult result = read_frame(in);
    CHECK(result.status == ReadStatus::too_large);
    CHECK(result.body.capacity() < 1024);
}

TEST_CASE("frame reader honours a smaller limit passed by the caller")
{
    StringSource in(header(5) + "hello");
    CHECK(read_frame(in, 4).status == ReadStatus::too_large);
}

TEST_CASE("frame reader reads a body that spans several read chunks")
{
    const std::string body(200'000, 'x');
    std::string frame = header(static_cast<std::uint32_t>(body.size()));
    frame += body; // appended: see the first test (GCC 12 -Warray-bounds)
    StringSource in(frame);
    const FrameReadResult result = read_frame(in);
    CHECK(result.status == ReadStatus::frame);
    CHECK(result.body == body);
}

TEST_CASE("frame writer writes a native-endian length and the body, and the reader reads it back")
{
    StringSink pipe;
    REQUIRE(write_frame(pipe, R"({"ok":true})"));
    CHECK(pipe.text() == header(11) + R"({"ok":true})");
    StringSource back(pipe.text());
    CHECK(read_frame(back).body == R"({"ok":true})");
}

TEST_CASE("frame writer reports a failed write")
{
    struct ClosedPipe final : optguard::util::ByteSink {
        bool write(std::string_view /*bytes*/) override { return false; }
    } out;
    CHECK_FALSE(write_frame(out, "{}"));
}

TEST_CASE("encode_frame prefixes the body with its length")
{
    CHECK(encode_frame("") == header(0));
    CHECK(encode_frame("ab") == header(2) + "ab");
}

} // namespace OPTGUARD_TEST_FILE
