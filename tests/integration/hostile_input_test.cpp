// Hostile input against the real host (issue 8): one table, one row per attack, each with the error
// code it must get and what the host must do afterwards: keep serving, or, when the stream cannot be
// resynchronised, answer once and exit 0.
//
// bad_input_test.cpp already covers (and this table does not repeat): the empty frame, a length of
// 0xFFFFFFFF, a header/body cut short by EOF after a good frame, 1 MiB + 1 with part of the body,
// invalid UTF-8 and an overlong sequence in values, a raw NUL byte between tokens, 100 000 nested
// arrays, 1e999 in an extra field, duplicate keys, ids that are null/float/bool/object/array/too big
// /too long, and a URL of 2 100 bytes. The rows below are the remaining variants.

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "protocol/frame_io.hpp"
#include "test_env.hpp"

// This file's own names, apart from other test files' in a unity build (tests/CMakeLists.txt).
namespace OPTGUARD_TEST_FILE {

using namespace optguard::itest;
using optguard::protocol::encode_frame;
using json = nlohmann::json;

namespace {

std::string header(std::uint32_t length)
{
    std::string bytes(4, '\0');
    std::memcpy(bytes.data(), &length, 4);
    return bytes;
}

// A LinkedIn report as text, with `fields` spliced in verbatim before the closing brace.
std::string report_text(const std::string& id, const std::string& fields)
{
    return R"({"id":)" + id + R"(,"type":"report","platform":"linkedin",)"
        + R"("setting":"generative-ai-training",)" + fields + "}";
}

std::string report_with_state(const std::string& id, const std::string& state_json)
{
    return report_text(id, R"("url":")" + std::string(linkedin_page) + R"(","state":)"
                               + state_json);
}

std::string report_with_url(const std::string& id, const std::string& url_json)
{
    return report_text(id, R"("state":"on","url":)" + url_json);
}

bool is_ascii(std::string_view text)
{
    for (const char c : text) {
        if (static_cast<unsigned char>(c) >= 0x80U) {
            return false;
        }
    }
    return true;
}

enum class After { keeps_serving, exits_0 };

struct HostileCase {
    const char* name;
    std::string bytes; // the raw bytes written to the host's stdin, frame headers included
    const char* code;  // the expected error code, or "ok"
    json id;           // the id the reply must echo
    After after = After::keeps_serving;
};

std::vector<HostileCase> serving_cases()
{
    std::string nested_objects;
    for (int i = 0; i < 100'000; ++i) {
        nested_objects += R"({"a":)";
    }
    // Appends, not `"1" + std::string(...)`: GCC 12's -O3 -Wrestrict false positive (PR 105329).
    nested_objects.append("1").append(100'000, '}');
    std::string huge_url = "\"";
    huge_url.append(linkedin_page).append("?q=").append(100 * 1024, 'u').append("\"");
    std::string emoji_id;
    for (int i = 0; i < 128; ++i) {
        emoji_id += "\xF0\x9F\x98\x80";
    }
    const std::string huge_path_url = "\"https://www.linkedin.com/" + std::string(100 * 1024, 'p')
        + "\"";

    return {
        // Framing: a frame that is only NUL bytes, or just whitespace.
        {"a frame of 4 NUL bytes", encode_frame(std::string(4, '\0')), "bad_json", nullptr},
        {"a frame of whitespace", encode_frame(" \n\t "), "bad_json", nullptr},
        // Invalid UTF-8 in keys (values are covered in bad_input_test.cpp).
        {"invalid UTF-8 in a key", encode_frame("{\"id\":1,\"type\":\"hello\",\"\xFF\":1}"),
         "bad_json", nullptr},
        {"a lone continuation byte in the key 'type'", encode_frame("{\"id\":1,\"typ\x80\":\"hello\"}"),
         "bad_json", nullptr},
        {"a truncated 4-byte sequence in a report value",
         encode_frame(report_with_state("2", "\"o\xF0\x9F\x98\"")), "bad_json", nullptr},
        {"UTF-16 surrogate encoded directly as UTF-8 (CESU)",
         encode_frame("{\"id\":\"\xED\xA0\x80\",\"type\":\"hello\"}"), "bad_json", nullptr},
        // Lone surrogates in \u escapes.
        {"a lone high surrogate in a value", encode_frame(R"({"id":"\ud800","type":"hello"})"),
         "bad_json", nullptr},
        {"a lone low surrogate in a value", encode_frame(R"({"id":"\udc00","type":"hello"})"),
         "bad_json", nullptr},
        {"a high surrogate followed by a non-surrogate escape",
         encode_frame(R"({"id":1,"type":"hello","x":"\ud800\u0041"})"), "bad_json", nullptr},
        {"a lone surrogate in a key", encode_frame(R"({"id":1,"type":"hello","\udfff":0})"),
         "bad_json", nullptr},
        {"a valid surrogate pair is accepted", encode_frame(R"({"id":"\ud83d\ude00","type":"hello"})"),
         "ok", "\xF0\x9F\x98\x80"},
        // NUL bytes, escaped (raw ones are refused by the JSON grammar).
        {"an escaped NUL in the type", encode_frame(R"({"id":3,"type":"hello\u0000"})"),
         "unknown_type", 3},
        {"an escaped NUL in the platform", encode_frame(R"({"id":4,"type":"report","platform":"linkedin\u0000","setting":"generative-ai-training","state":"on","url":")" + std::string(linkedin_page) + R"("})"),
         "unknown_setting", 4},
        {"an escaped NUL in the state", encode_frame(report_with_state("5", R"("on\u0000")")),
         "bad_request", 5},
        {"an escaped NUL in the url", encode_frame(report_with_url("6", std::string("\"").append(linkedin_page).append(R"(\u0000")"))),
         "bad_request", 6},
        {"a raw NUL inside a string", encode_frame(std::string("{\"id\":1,\"type\":\"hel\0lo\"}", 24)),
         "bad_json", nullptr},
        // Deep nesting, objects this time, and arrays that never close.
        {"100000 nested objects", encode_frame(nested_objects), "bad_json", nullptr},
        {"100000 open arrays inside a request",
         encode_frame(R"({"id":1,"type":"hello","x":)" + std::string(100'000, '[')), "bad_json",
         nullptr},
        // Numbers.
        {"-1e999 in an extra field", encode_frame(R"({"id":1,"type":"hello","n":-1e999})"),
         "bad_json", nullptr},
        {"1e999 as the id", encode_frame(R"({"id":1e999,"type":"hello"})"), "bad_json", nullptr},
        {"-0 as the id is the integer 0", encode_frame(R"({"id":-0,"type":"hello"})"), "ok", 0},
        {"-0.0 as the id is a float", encode_frame(R"({"id":-0.0,"type":"hello"})"),
         "bad_request", nullptr},
        {"1e2 as the id is a float", encode_frame(R"({"id":1e2,"type":"hello"})"), "bad_request",
         nullptr},
        {"the smallest 64-bit id", encode_frame(R"({"id":-9223372036854775808,"type":"hello"})"),
         "ok", INT64_MIN},
        {"one below the smallest 64-bit id",
         encode_frame(R"({"id":-9223372036854775809,"type":"hello"})"), "bad_request", nullptr},
        {"a number as the state", encode_frame(report_with_state("7", "-0")), "bad_request", 7},
        {"a number as the type", encode_frame(R"({"id":8,"type":1e308})"), "bad_request", 8},
        // Extra unknown fields are ignored (the report is stored without them; checked below).
        {"extra unknown fields on hello",
         encode_frame(R"({"id":9,"type":"hello","admin":true,"__proto__":{"x":1},"":null})"), "ok",
         9},
        // id of every remaining JSON type (null, bool, object, array, float: bad_input_test.cpp).
        {"a false id", encode_frame(R"({"id":false,"type":"hello"})"), "bad_request", nullptr},
        {"an id that is a nested object", encode_frame(R"({"id":{"id":1},"type":"hello"})"),
         "bad_request", nullptr},
        {"an id that is an array of one id", encode_frame(R"({"id":[1],"type":"hello"})"),
         "bad_request", nullptr},
        {"an id of 128 characters, 4 bytes each",
         encode_frame(json {{"id", emoji_id}, {"type", "hello"}}.dump()), "ok", emoji_id},
        // URLs of 100 KB, in the query and in the path.
        {"a URL of 100 KB in the query", encode_frame(report_with_url("10", huge_url)),
         "bad_request", 10},
        {"a URL of 100 KB in the path", encode_frame(report_with_url("11", huge_path_url)),
         "bad_request", 11},
        {"a URL with user info", encode_frame(report_with_url("12", R"("https://evil@www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement")")),
         "bad_request", 12},
        {"a URL on a look-alike host", encode_frame(report_with_url("13", R"("https://www.linkedin.com.evil.example/mypreferences/d/settings/data-for-ai-improvement")")),
         "bad_request", 13},
        {"a javascript: URL", encode_frame(report_with_url("14", R"x("javascript:alert(1)")x")),
         "bad_request", 14},
        {"a URL that is an object", encode_frame(report_with_url("15", R"({"href":"https://www.linkedin.com/"})")),
         "bad_request", 15},
        // A state that is not one of the enumerated values.
        {"state in capitals", encode_frame(report_with_state("16", R"("ON")")), "bad_request", 16},
        {"state with trailing space", encode_frame(report_with_state("17", R"("off ")")),
         "bad_request", 17},
        {"an empty state", encode_frame(report_with_state("18", R"("")")), "bad_request", 18},
        {"a null state", encode_frame(report_with_state("19", "null")), "bad_request", 19},
        {"a boolean state", encode_frame(report_with_state("20", "false")), "bad_request", 20},
        {"a state that is an array", encode_frame(report_with_state("21", R"(["on"])")),
         "bad_request", 21},
        {"a verdict-like state", encode_frame(report_with_state("22", R"("compliant")")),
         "bad_request", 22},
        {"state written with a unicode escape", encode_frame(report_with_state("23", R"("\u006fn")")),
         "ok", 23},
        // Two frames in one write, the first hostile: the second is still answered (checked by the
        // loop's hello, which follows in the same pipe).
        {"a hostile frame glued to a good one",
         encode_frame(R"({"id":24,"type":"report","platform":{"$ne":null}})"), "bad_request", 24},
    };
}

// A header announcing `length`, then `body`. Appended, not joined with `+`: GCC 12 -O2 warns
// falsely (-Warray-bounds) on such concatenations in the table below.
std::string header_then(std::uint32_t length, std::string_view body)
{
    std::string bytes = header(length);
    bytes += body;
    return bytes;
}

std::vector<HostileCase> exiting_cases()
{
    return {
        // Declared length larger than the data, then EOF, with nothing of the body at all.
        {"a header announcing 10 bytes, then EOF", header(10), "bad_frame", nullptr,
         After::exits_0},
        {"a 3-byte header, then EOF", std::string("\x05\x00\x00", 3), "bad_frame", nullptr,
         After::exits_0},
        // A length that is negative as a signed 32-bit number.
        {"a length of 0x80000000", header_then(0x80000000U, "{}"), "too_large", nullptr,
         After::exits_0},
        // 1 MiB + 1 sent in full and followed by a good frame: the host must not try to skip it.
        {"1 MiB + 1 sent in full, then a good frame",
         header_then(1024U * 1024U + 1U,
                     std::string(1024U * 1024U + 1U, ' ')
                         .append(encode_frame(R"({"id":1,"type":"hello"})"))),
         "too_large", nullptr, After::exits_0},
        // The largest length a JavaScript port could produce for a string of 2^32-1 bytes.
        {"a length of 0xFFFFFFFF followed by data", header_then(0xFFFFFFFFU, std::string(64, 'x')),
         "too_large", nullptr, After::exits_0},
    };
}

void check_reply(const HostileCase& hostile, const std::string& body)
{
    // The host's reply is always valid UTF-8 JSON, ASCII-only, and never echoes the attack.
    CHECK(is_ascii(body));
    CHECK(body.size() < 1000U);
    const json reply = json::parse(body);
    CHECK(reply.at("id") == hostile.id);
    if (std::string_view(hostile.code) == "ok") {
        CHECK(reply.at("ok") == true);
    } else {
        CHECK(reply.at("ok") == false);
        CHECK(reply.at("error").at("code") == hostile.code);
        CHECK_FALSE(reply.at("error").at("message").get<std::string>().empty());
    }
}

} // namespace

TEST_CASE("hostile frames get their error code and the host keeps serving")
{
    TestEnv env;
    auto host = env.start();
    for (const auto& hostile : serving_cases()) {
        const std::string name = hostile.name;
        CAPTURE(name);
        // The attack and a hello in the same write: the host must resynchronise on the next frame.
        REQUIRE(host->send_raw(hostile.bytes + encode_frame(R"({"id":"after","type":"hello"})")));
        const auto body = host->read_frame();
        REQUIRE(body.has_value());
        // A valid surrogate pair echoes a non-ASCII id; only error replies must be ASCII.
        if (std::string_view(hostile.code) == "ok" && !hostile.id.is_number()) {
            CHECK(json::parse(*body).at("id") == hostile.id);
        } else {
            check_reply(hostile, *body);
        }
        const json after = host->read_reply();
        CHECK(after.at("id") == "after");
        CHECK(after.at("ok") == true);
    }
    host->close_stdin();
    CHECK(host->wait_exit() == 0);
    // Only the one accepted report was stored, and none of the extra fields went with it.
    CHECK(env.count_rows() == 1);
    CHECK(env.query_text("SELECT state, url FROM observations")
          == "on|" + std::string(linkedin_page));
}

TEST_CASE("hostile streams that cannot be resynchronised get one reply and exit 0")
{
    for (const auto& hostile : exiting_cases()) {
        const std::string name = hostile.name;
        CAPTURE(name);
        TestEnv env;
        auto host = env.start();
        // The host may answer and exit before it has read everything: a failed write is fine.
        (void)host->send_raw(hostile.bytes);
        host->close_stdin();
        const auto body = host->read_frame();
        REQUIRE(body.has_value());
        check_reply(hostile, *body);
        CHECK(host->read_frame() == std::nullopt); // nothing after: the trailing frame was not read
        CHECK(host->wait_exit() == 0);
        CHECK_FALSE(std::filesystem::exists(env.database()));
    }
}

TEST_CASE("a report with extra personal fields is stored without them")
{
    TestEnv env;
    auto host = env.start();
    json report = linkedin_report(1, "off");
    report["name"] = "Jane Q. Example";
    report["email"] = "jane.example@example.org";
    report["profile"] = {{"headline", "Head of Secret Projects"}};
    const json reply = host->request(report);
    REQUIRE(reply.at("ok") == true);
    CHECK(reply.dump().find("Jane") == std::string::npos);
    const std::string stored = env.query_text("SELECT * FROM observations");
    CHECK(stored.find("Jane") == std::string::npos);
    CHECK(stored.find("example.org") == std::string::npos);
    CHECK(stored.find("Secret") == std::string::npos);
}

} // namespace OPTGUARD_TEST_FILE
