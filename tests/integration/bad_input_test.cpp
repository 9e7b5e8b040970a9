#include <cstdint>
#include <cstring>
#include <string>

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

json with_changes(json document, const json& changes)
{
    document.update(changes);
    return document;
}

struct BadCase {
    const char* name;
    std::string frame_body;
    const char* code;
    json id; // the id the reply must echo
};

} // namespace

TEST_CASE("every bad message gets its error code and the host keeps serving")
{
    const std::string long_url = std::string(linkedin_page) + "?" + std::string(2100, 'a');
    const BadCase cases[] = {
        {"empty frame", "", "bad_json", nullptr},
        {"not JSON", "hello", "bad_json", nullptr},
        {"invalid UTF-8", "{\"id\":\"\xFF\xFE\",\"type\":\"hello\"}", "bad_json", nullptr},
        {"overlong UTF-8", "{\"id\":1,\"type\":\"\xC0\xAF\"}", "bad_json", nullptr},
        {"raw NUL byte", std::string("{\"id\":1,\0\"type\":\"hello\"}", 24), "bad_json", nullptr},
        {"100000 levels deep", std::string(100'000, '[') + std::string(100'000, ']'), "bad_json",
         nullptr},
        {"65 levels deep", R"({"id":1,"type":"hello","x":)" + std::string(64, '[')
                               + std::string(64, ']') + "}",
         "bad_json", nullptr},
        {"huge number", R"({"id":1,"type":"hello","n":1e999})", "bad_json", nullptr},
        {"an array", "[1,2]", "bad_json", nullptr},
        {"missing id", R"({"type":"hello"})", "bad_request", nullptr},
        {"null id", R"({"id":null,"type":"hello"})", "bad_request", nullptr},
        {"float id", R"({"id":1.5,"type":"hello"})", "bad_request", nullptr},
        {"bool id", R"({"id":true,"type":"hello"})", "bad_request", nullptr},
        {"object id", R"({"id":{},"type":"hello"})", "bad_request", nullptr},
        {"array id", R"({"id":[],"type":"hello"})", "bad_request", nullptr},
        {"id beyond 64 bits", R"({"id":123456789012345678901234567890,"type":"hello"})",
         "bad_request", nullptr},
        {"id of 129 characters", R"({"id":")" + std::string(129, 'i') + R"(","type":"hello"})",
         "bad_request", nullptr},
        {"missing type", R"({"id":9})", "bad_request", 9},
        {"unknown type", R"({"id":"u","type":"erase"})", "unknown_type", "u"},
        {"unknown setting", with_changes(linkedin_report(4, "on"), {{"setting", "nope"}}).dump(),
         "unknown_setting", 4},
        {"unknown platform", with_changes(linkedin_report(4, "on"), {{"platform", "myspace"}}).dump(),
         "unknown_setting", 4},
        {"bad state", linkedin_report(5, "maybe").dump(), "bad_request", 5},
        {"missing url", json {{"id", 6}, {"type", "report"}, {"platform", "linkedin"},
                              {"setting", "generative-ai-training"}, {"state", "on"}}.dump(),
         "bad_request", 6},
        {"http url", linkedin_report(7, "on", "http://www.linkedin.com/mypreferences/d/settings/"
                                              "data-for-ai-improvement").dump(),
         "bad_request", 7},
        {"url off the setting's pages", linkedin_report(8, "on", "https://www.linkedin.com/feed/").dump(),
         "bad_request", 8},
        {"url over 2048 characters", linkedin_report(9, "on", long_url).dump(), "bad_request", 9},
        {"NUL inside strings", with_changes(linkedin_report(10, "on"), {{"setting", std::string("a\0b", 3)}}).dump(),
         "unknown_setting", 10},
    };
    TestEnv env;
    auto host = env.start();
    for (const auto& bad : cases) {
        CAPTURE(bad.name);
        REQUIRE(host->send_raw(encode_frame(bad.frame_body)));
        const json reply = host->read_reply();
        CHECK(reply.at("ok") == false);
        CHECK(reply.at("error").at("code") == bad.code);
        CHECK(reply.at("error").at("message").is_string());
        CHECK(reply.at("id") == bad.id);
        // ... and the host still answers.
        CHECK(host->request({{"id", "after"}, {"type", "hello"}}).at("ok") == true);
    }
    // No bad report got as far as storage: the database was never even created.
    CHECK_FALSE(std::filesystem::exists(env.database()));
    host->close_stdin();
    CHECK(host->wait_exit() == 0);
}

TEST_CASE("duplicate keys are accepted and the last one wins")
{
    TestEnv env;
    auto host = env.start();
    host->send_raw(encode_frame(R"({"id":1,"type":"status","type":"hello","id":2})"));
    const json reply = host->read_reply();
    CHECK(reply.at("id") == 2);
    CHECK(reply.at("type") == "hello");
}

TEST_CASE("ids of every accepted kind are echoed unchanged")
{
    TestEnv env;
    auto host = env.start();
    for (const json& id : {json(0), json(-1), json(18446744073709551615ULL), json(""),
                           json("\xF0\x9F\x98\x80 emoji"), json(std::string("nul\0id", 6))}) {
        CAPTURE(id.dump());
        CHECK(host->request({{"id", id}, {"type", "hello"}}).at("id") == id);
    }
}

TEST_CASE("a frame over 1 MiB is answered once with too_large and the host exits 0")
{
    TestEnv env;
    auto host = env.start();
    CHECK(host->request({{"id", 1}, {"type", "hello"}}).at("ok") == true);
    // Declared 1 MiB + 1; we send only part of it and keep stdin open: the host must not wait.
    REQUIRE(host->send_raw(header(1024U * 1024U + 1U) + std::string(1000, ' ')));
    const json reply = host->read_reply();
    CHECK(reply.at("error").at("code") == "too_large");
    CHECK(reply.at("id").is_null());
    CHECK(host->read_frame() == std::nullopt);
    CHECK(host->wait_exit() == 0);
}

TEST_CASE("a frame of exactly 1 MiB is read and answered")
{
    TestEnv env;
    auto host = env.start();
    std::string body = R"({"id":1,"type":"hello","pad":")";
    body += std::string(1024U * 1024U - body.size() - 2, 'p') + "\"}";
    REQUIRE(body.size() == 1024U * 1024U);
    REQUIRE(host->send_raw(encode_frame(body)));
    CHECK(host->read_reply().at("ok") == true);
}

TEST_CASE("a 4 GiB length header is refused without reading the body")
{
    TestEnv env;
    auto host = env.start();
    REQUIRE(host->send_raw(header(0xFFFFFFFFU)));
    CHECK(host->read_reply().at("error").at("code") == "too_large");
    CHECK(host->wait_exit() == 0);
}

TEST_CASE("a truncated header or body gets one bad_frame reply and exit status 0")
{
    TestEnv env;
    auto host = env.start();
    SUBCASE("header")
    {
        REQUIRE(host->send_raw(encode_frame(R"({"id":1,"type":"hello"})") + std::string("\x10\x00", 2)));
    }
    SUBCASE("body")
    {
        REQUIRE(host->send_raw(encode_frame(R"({"id":1,"type":"hello"})") + header(100) + "{\"id\""));
    }
    host->close_stdin();
    CHECK(host->read_reply().at("ok") == true);
    const json reply = host->read_reply();
    CHECK(reply.at("error").at("code") == "bad_frame");
    CHECK(host->read_frame() == std::nullopt);
    CHECK(host->wait_exit() == 0);
}

TEST_CASE("many frames written at once are all answered in order")
{
    TestEnv env;
    auto host = env.start();
    std::string batch;
    for (int i = 0; i < 200; ++i) {
        batch += encode_frame(json {{"id", i}, {"type", "hello"}}.dump());
    }
    REQUIRE(host->send_raw(batch));
    for (int i = 0; i < 200; ++i) {
        CHECK(host->read_reply().at("id") == i);
    }
}

} // namespace OPTGUARD_TEST_FILE
