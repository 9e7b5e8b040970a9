#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "protocol/error_code.hpp"
#include "protocol/request.hpp"

// This file's own names, apart from other test files' in a unity build (tests/CMakeLists.txt).
namespace OPTGUARD_TEST_FILE {

using namespace optguard::protocol;
using json = nlohmann::json;

namespace {

// The code a ProtocolError carries, or nullopt if `action` did not throw one.
std::optional<ErrorCode> code_of(const std::function<void()>& action)
{
    try {
        action();
    } catch (const ProtocolError& error) {
        return error.code();
    }
    return std::nullopt;
}

std::string message_of(const std::function<void()>& action)
{
    try {
        action();
    } catch (const ProtocolError& error) {
        return error.what();
    }
    return "(no error)";
}

json report(const json& changes)
{
    json message = {{"id", 3},
                    {"type", "report"},
                    {"platform", "linkedin"},
                    {"setting", "generative-ai-training"},
                    {"state", "on"},
                    {"url", "https://www.linkedin.com/x"}};
    for (const auto& [key, value] : changes.items()) {
        if (value.is_null()) {
            message.erase(key);
        } else {
            message[key] = value;
        }
    }
    return message;
}

} // namespace

TEST_CASE("request parser rejects bodies that are not a JSON object with bad_json")
{
    SUBCASE("empty frame") { CHECK(code_of([] { (void)parse_message(""); }) == ErrorCode::bad_json); }
    SUBCASE("not JSON") { CHECK(code_of([] { (void)parse_message("{id:1}"); }) == ErrorCode::bad_json); }
    SUBCASE("invalid UTF-8")
    {
        CHECK(code_of([] { (void)parse_message("{\"id\":\"\xC0\xAF\"}"); }) == ErrorCode::bad_json);
    }
    SUBCASE("raw NUL byte")
    {
        CHECK(code_of([] { (void)parse_message(std::string("{\"id\":\0}", 8)); })
              == ErrorCode::bad_json);
    }
    SUBCASE("a number too large for a double")
    {
        CHECK(code_of([] { (void)parse_message(R"({"id":1e999})"); }) == ErrorCode::bad_json);
    }
    SUBCASE("too deep")
    {
        CHECK(code_of([] { (void)parse_message(std::string(100'000, '[')); })
              == ErrorCode::bad_json);
    }
    SUBCASE("an array") { CHECK(message_of([] { (void)parse_message("[1]"); }) == "message must be a JSON object, got array"); }
    SUBCASE("a string") { CHECK(code_of([] { (void)parse_message(R"("hello")"); }) == ErrorCode::bad_json); }
    SUBCASE("trailing garbage")
    {
        CHECK(code_of([] { (void)parse_message(R"({"id":1} x)"); }) == ErrorCode::bad_json);
    }
}

TEST_CASE("request parser accepts an escaped NUL inside a string")
{
    const json message = parse_message(R"({"id":"a\u0000b","type":"hello"})");
    CHECK(parse_id(message).get<std::string>() == std::string("a\0b", 3));
}

TEST_CASE("request id may be an integer or a string of at most 128 characters")
{
    CHECK(parse_id(json {{"id", 7}}) == 7);
    CHECK(parse_id(json {{"id", -7}}) == -7);
    CHECK(parse_id(json {{"id", 18446744073709551615ULL}}) == 18446744073709551615ULL);
    CHECK(parse_id(json {{"id", ""}}) == "");
    CHECK(parse_id(json {{"id", std::string(128, 'x')}}) == std::string(128, 'x'));
    // 128 characters of two bytes each: counted as characters, not bytes.
    std::string umlauts;
    for (int i = 0; i < 128; ++i) {
        umlauts += "\xC3\xA4";
    }
    CHECK(parse_id(json {{"id", umlauts}}) == umlauts);
}

TEST_CASE("request id of any other type or length is a bad_request")
{
    const auto bad = [](const json& message) {
        return code_of([&] { (void)parse_id(message); });
    };
    CHECK(bad(json::object()) == ErrorCode::bad_request);
    CHECK(bad(json {{"id", nullptr}}) == ErrorCode::bad_request);
    CHECK(bad(json {{"id", true}}) == ErrorCode::bad_request);
    CHECK(bad(json {{"id", 1.5}}) == ErrorCode::bad_request);
    CHECK(bad(json {{"id", json::array({1})}}) == ErrorCode::bad_request);
    CHECK(bad(json {{"id", json::object()}}) == ErrorCode::bad_request);
    CHECK(bad(json {{"id", std::string(129, 'x')}}) == ErrorCode::bad_request);
    CHECK(bad(parse_message(R"({"id":1e300})")) == ErrorCode::bad_request);
    CHECK(bad(parse_message(R"({"id":99999999999999999999999})")) == ErrorCode::bad_request);
    CHECK(message_of([] { (void)parse_id(json {{"id", 1.5}}); })
          == "field 'id' must be a string or an integer, got 1.5");
}

TEST_CASE("request type must be a string")
{
    CHECK(parse_type(json {{"type", "hello"}}) == "hello");
    CHECK(message_of([] { (void)parse_type(json::object()); }) == "field 'type' is missing");
    CHECK(message_of([] { (void)parse_type(json {{"type", 3}}); })
          == "field 'type' must be a string, got 3");
}

TEST_CASE("request parser maps each type to its request and rejects unknown types")
{
    CHECK(std::holds_alternative<HelloRequest>(parse_request("hello", json::object())));
    CHECK(std::holds_alternative<CatalogRequest>(parse_request("catalog", json::object())));
    CHECK(std::holds_alternative<StatusRequest>(parse_request("status", json::object())));
    CHECK(code_of([] { (void)parse_request("Hello", json::object()); }) == ErrorCode::unknown_type);
    CHECK(message_of([] { (void)parse_request("delete", json::object()); })
          == "unknown message type \"delete\"");
}

TEST_CASE("report request carries its fields and ignores unknown extra fields")
{
    json message = report(json::object());
    message["future_field"] = {1, 2, 3};
    const Request request = parse_request("report", message);
    const auto& typed = std::get<ReportRequest>(request);
    CHECK(typed.platform == "linkedin");
    CHECK(typed.setting == "generative-ai-training");
    CHECK(typed.state == optguard::domain::State::on);
    CHECK(typed.url == "https://www.linkedin.com/x");
}

TEST_CASE("report request names the missing or mistyped field")
{
    const auto message = [](const json& changes) {
        return message_of([&] { (void)parse_request("report", report(changes)); });
    };
    CHECK(message({{"platform", nullptr}}) == "field 'platform' is missing");
    CHECK(message({{"setting", 5}}) == "field 'setting' must be a string, got 5");
    CHECK(message({{"url", nullptr}}) == "field 'url' is missing");
    CHECK(message({{"state", "maybe"}})
          == R"(field 'state' must be "on", "off" or "unknown", got "maybe")");
    CHECK(message({{"state", "ON"}})
          == R"(field 'state' must be "on", "off" or "unknown", got "ON")");
    CHECK(code_of([] { (void)parse_request("report", report({{"state", true}})); })
          == ErrorCode::bad_request);
}

TEST_CASE("report request accepts a URL of 2048 bytes and rejects 2049")
{
    const std::string base = "https://www.linkedin.com/";
    const std::string at_limit = base + std::string(2048 - base.size(), 'a');
    CHECK_NOTHROW((void)parse_request("report", report({{"url", at_limit}})));
    CHECK(message_of([&] { (void)parse_request("report", report({{"url", at_limit + "a"}})); })
          == "field 'url' is 2049 bytes long; the limit is 2048");
}

TEST_CASE("every error code has one wire name and maps back to itself")
{
    for (const ErrorCode code : all_error_codes) {
        CHECK(error_code_from_string(to_string(code)) == code);
    }
    CHECK(to_string(ErrorCode::too_large) == "too_large");
    CHECK(to_string(ErrorCode::forbidden_origin) == "forbidden_origin");
    CHECK_FALSE(error_code_from_string("nope").has_value());
}

TEST_CASE("the error codes in docs/protocol.md are exactly the host's error codes")
{
    std::ifstream doc(OPTGUARD_TEST_DOCS "/protocol.md");
    REQUIRE(doc.good());
    std::vector<std::string> documented;
    std::string line;
    bool in_table = false;
    while (std::getline(doc, line)) {
        if (line.rfind("## Error codes", 0) == 0) {
            in_table = true;
        } else if (in_table && line.rfind("## ", 0) == 0) {
            break;
        } else if (in_table && line.rfind("| `", 0) == 0) {
            const auto end = line.find('`', 3);
            documented.push_back(line.substr(3, end - 3));
        }
    }
    std::vector<std::string> host;
    for (const ErrorCode code : all_error_codes) {
        host.emplace_back(to_string(code));
    }
    CHECK(documented == host);
}

} // namespace OPTGUARD_TEST_FILE
